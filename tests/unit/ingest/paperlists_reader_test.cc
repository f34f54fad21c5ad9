#include "ingest/paperlists_reader.h"

#include <filesystem>
#include <set>
#include <thread>

#include <catch2/catch.hpp>

#include "test_util.h"

using namespace collabgraph::ingest;
using collabgraph::model::PaperInput;
using collabgraph::testing::TempDir;

namespace {

ParsedFile MustParse(const std::string& json, const std::string& path = "nips2016.json") {
  auto parsed = ParsePaperlists(path, json, {});
  INFO(parsed.status().ToString());
  REQUIRE(parsed.ok());
  return std::move(*parsed);
}

std::set<std::string> Countries(const PaperInput& p) {
  std::set<std::string> out;
  for (const auto& a : p.authorships) {
    for (const auto& inst : a.institutions) {
      if (!inst.country_code.empty()) out.insert(inst.country_code);
    }
  }
  return out;
}

std::set<std::string> CountriesOf(const PaperInput& p, size_t author) {
  std::set<std::string> out;
  for (const auto& inst : p.authorships.at(author).institutions) out.insert(inst.country_code);
  return out;
}

bool HasWarning(const ParsedFile& f, const std::string& needle) {
  for (const auto& w : f.warnings) {
    if (w.message.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("Venue and year come from the file name", "[ingest][paperlists]") {
  CHECK(VenueYearFromFileName("/x/nips2016.json.gz") == std::make_pair(std::string("nips"), 2016));
  CHECK(VenueYearFromFileName("3dv2025.json") == std::make_pair(std::string("3dv"), 2025));
  CHECK(VenueYearFromFileName("ICML2013.json") == std::make_pair(std::string("icml"), 2013));
  CHECK_FALSE(VenueYearFromFileName("papers.json").has_value());
  CHECK_FALSE(VenueYearFromFileName("nips2016.csv").has_value());
  auto parsed = ParsePaperlists("papers.json", "[]", {});
  CHECK(absl::IsInvalidArgument(parsed.status()));
  CHECK(parsed.status().message().find("papers.json") != std::string_view::npos);
  ReadOptions options;
  options.venue = "myconf";
  options.year = 2020;
  auto given = ParsePaperlists("papers.json", "[]", options);
  REQUIRE(given.ok());
  CHECK(given->venue == "myconf");
}

TEST_CASE("The README example: '+' affiliations, an author without affiliation",
          "[ingest][paperlists]") {
  const ParsedFile f = MustParse(R"json([{
    "id": "x1", "title": "A Made-Up Paper", "status": "Poster", "track": "main",
    "author": "Ada Example; Bo Sample; Cy Placeholder",
    "aff": "Dept. of CS, Example University; Sample Lab + Example University; ",
    "aff_unique_index": "0;1+0;", "aff_unique_norm": "Example University;Sample Lab",
    "aff_country_unique_index": "0;1+0;", "aff_country_unique": "United States;China"}])json");
  REQUIRE(f.papers.size() == 1);
  const PaperInput& p = f.papers[0];
  REQUIRE(p.authorships.size() == 3);
  CHECK(p.authorships[1].institutions.size() == 2);
  CHECK(CountriesOf(p, 0) == std::set<std::string>{"US"});
  CHECK(CountriesOf(p, 1) == std::set<std::string>{"CN", "US"});
  CHECK(p.authorships[2].institutions.empty());
  CHECK(Countries(p) == std::set<std::string>{"CN", "US"});
  CHECK(p.venue == "nips");
  CHECK(p.year == 2016);
  CHECK(p.props.GetString("track") == "main");
  CHECK(f.authorships == 3);
  CHECK(f.authorships_with_country == 2);
}

TEST_CASE("Records without an id are identified by their normalised title",
          "[ingest][paperlists]") {
  const ParsedFile f = MustParse(R"json([
    {"title": "Deep Nets, Revisited!", "author": "A B"},
    {"title": "deep nets revisited", "author": "A B", "status": "Oral"},
    {"author": "C D"}])json");
  REQUIRE(f.papers.size() == 1);
  CHECK(f.papers[0].source_id == "title:deep nets revisited");
  CHECK(f.derived_ids == 2);
  CHECK(f.merged_duplicates == 1);
  CHECK(f.papers[0].props.GetString("status") == "Oral");  // filled from the duplicate
  CHECK(HasWarning(f, "neither id nor title"));
  CHECK(f.records == 3);
}

TEST_CASE("Duplicate ids merge into the first record", "[ingest][paperlists]") {
  const ParsedFile f = MustParse(R"json([
    {"id": "7", "title": "T", "author": ""},
    {"id": "7", "title": "T (session 2)", "author": "Ann Lee; Bo Chen", "track": "main"},
    {"id": 8, "title": "U", "author": "Cy"}])json");
  REQUIRE(f.papers.size() == 2);
  CHECK(f.merged_duplicates == 1);
  CHECK(f.papers[0].props.GetString("title") == "T");
  CHECK(f.papers[0].props.GetString("track") == "main");
  CHECK(f.papers[0].authorships.size() == 2);  // taken from the duplicate: the first had none
  CHECK(f.papers[1].source_id == "8");         // numeric ids are read as text
  CHECK(HasWarning(f, "no authors"));
}

TEST_CASE("Country index lists shorter than the authors align as a subsequence",
          "[ingest][paperlists]") {
  SECTION("unambiguous: only one way to embed") {
    // The second author's institution has no country and is left out of the country index;
    // entry sizes (1, 2) fix where the two country entries go.
    const ParsedFile f = MustParse(R"json([{"id": "a", "title": "T",
      "author": "A;B;C", "aff_unique_index": "0;1;2+0", "aff_unique_norm": "MIT;Nowhere;Tsinghua",
      "aff_country_unique_index": "0;1+0", "aff_country_unique": "United States;China"}])json");
    const PaperInput& p = f.papers[0];
    CHECK(CountriesOf(p, 0) == std::set<std::string>{"US"});
    CHECK(CountriesOf(p, 1) == std::set<std::string>{""});
    CHECK(CountriesOf(p, 2) == std::set<std::string>{"CN", "US"});
  }
  SECTION("ambiguous: no author gets a guessed country, the paper keeps its set") {
    const ParsedFile f = MustParse(R"json([{"id": "a", "title": "T",
      "author": "A;B;C", "aff_unique_index": "0;1;2", "aff_unique_norm": "MIT;Nowhere;Tsinghua",
      "aff_country_unique_index": "0;1", "aff_country_unique": "United States;China"}])json");
    const PaperInput& p = f.papers[0];
    CHECK(Countries(p) == std::set<std::string>{"CN", "US"});
    for (size_t i = 0; i < 3; ++i) {
      for (const auto& inst : p.authorships[i].institutions) {
        if (inst.name == "Nowhere") CHECK(inst.country_code.empty());
      }
    }
    CHECK(HasWarning(f, "unattributed"));
  }
}

TEST_CASE("Unaligned index fields keep the paper's country set", "[ingest][paperlists]") {
  // Real pattern (3dv2025): the country index cannot be aligned to the institutions, so
  // countries go to institutions where it is unambiguous, and the rest to an unattributed
  // institution, never dropped.
  const ParsedFile f = MustParse(R"json([{"id": "b", "title": "T",
    "author": "A;B;C;D", "aff_unique_index": "0;1+2;0;3+1+4",
    "aff_unique_norm": ";ETH Zurich;Google;Microsoft;Sofia University",
    "aff_country_unique_index": "1+2;1;2+1+1;1", "aff_country_unique": ";Switzerland;United States"}])json");
  const PaperInput& p = f.papers[0];
  CHECK(Countries(p) == std::set<std::string>{"CH", "US"});
  CHECK(p.authorships.size() == 4);
}

TEST_CASE("Empty and 'Unknown' country labels add no country", "[ingest][paperlists]") {
  const ParsedFile f = MustParse(R"json([{"id": "c", "title": "T", "author": "A; B",
    "aff_unique_index": "0;1", "aff_unique_norm": "X Lab;Y Lab",
    "aff_country_unique_index": "0;1", "aff_country_unique": "Germany;Unknown"},
    {"id": "d", "title": "T2", "author": "A", "aff_unique_index": "0", "aff_unique_norm": "Z",
    "aff_country_unique_index": "0", "aff_country_unique": "Atlantis"}])json");
  CHECK(Countries(f.papers[0]) == std::set<std::string>{"DE"});
  CHECK(Countries(f.papers[1]).empty());
  CHECK(f.unresolved_countries.at("Atlantis") == 1);
}

TEST_CASE("Index lists that do not match the authors warn and do not abort",
          "[ingest][paperlists]") {
  const ParsedFile f = MustParse(R"json([{"id": "e", "title": "T", "author": "A; B",
    "aff_unique_index": "0;1;0", "aff_unique_norm": "P;Q",
    "aff_country_unique_index": "0;1;0", "aff_country_unique": "France;Japan"},
    {"id": "f", "title": "T", "author": "A; B; ; C", "aff": "U1;U2;;U3 + U4"}])json");
  REQUIRE(f.papers.size() == 2);
  CHECK(HasWarning(f, "aff_unique_index has 3 entries for 2 authors"));
  CHECK(Countries(f.papers[0]) == std::set<std::string>{"FR", "JP"});
  // Empty author names are dropped and positions renumbered; raw "aff" gives institutions.
  REQUIRE(f.papers[1].authorships.size() == 3);
  CHECK(f.papers[1].authorships[2].name == "C");
  CHECK(f.papers[1].authorships[2].institutions.size() == 2);
  CHECK(HasWarning(f, "empty author name"));
  // An index that is not a position, or a position its list lacks, is corrupt: an error.
  for (const char* index : {"0;x", "0;1"}) {
    auto bad = ParsePaperlists(
        "nips2016.json",
        std::string(R"json([{"id": "g", "title": "T", "author": "A; B", "aff_unique_norm": "P",
                            "aff_unique_index": ")json") +
            index + R"json("}])json",
        {});
    REQUIRE(absl::IsInvalidArgument(bad.status()));
    CHECK(bad.status().message().find("nips2016.json: record 0 (id \"g\"): aff_unique_index") !=
          std::string_view::npos);
  }
}

TEST_CASE("Author separators: '; ', ';' and ', '", "[ingest][paperlists]") {
  const ParsedFile f = MustParse(R"json([{"id": "1", "title": "T", "author": "Ann Lee;Bo Chen"},
    {"id": "2", "title": "T", "author": "Ann Lee, Bo Chen, Cy Dee,"},
    {"id": "3", "title": "T", "author": "Solo Author"}])json");
  CHECK(f.papers[0].authorships.size() == 2);
  CHECK(f.papers[1].authorships.size() == 3);
  CHECK(f.papers[1].authorships[2].name == "Cy Dee");
  CHECK(f.papers[2].authorships.size() == 1);
  CHECK(f.papers[0].authorships[0].key == f.papers[1].authorships[0].key);
}

TEST_CASE("Rejected and withdrawn submissions are counted", "[ingest][paperlists]") {
  const ParsedFile f =
      MustParse(R"json([{"id": "1", "title": "T", "author": "A", "status": "Reject"},
    {"id": "2", "title": "T", "author": "A", "status": "Withdrawn"},
    {"id": "3", "title": "T", "author": "A", "status": "Poster"}])json");
  CHECK(f.rejected == 2);
}

TEST_CASE("Malformed files fail with the file, record and field named", "[ingest][paperlists]") {
  auto not_json = ParsePaperlists("nips2016.json", "[{\"id\": ", {});
  CHECK(absl::IsInvalidArgument(not_json.status()));
  CHECK(not_json.status().message().find("nips2016.json: record 0 (byte 8): unexpected end") !=
        std::string_view::npos);
  auto bad_literal = ParsePaperlists("nips2016.json", R"json([{"id": "a"}, {"id": tru}])json", {});
  CHECK(bad_literal.status().message().find("nips2016.json: record 1 (byte 14): not valid JSON") !=
        std::string_view::npos);

  auto not_array = ParsePaperlists("nips2016.json", R"json({"id": "x"})json", {});
  CHECK(not_array.status().message().find("must be a JSON array") != std::string_view::npos);

  auto not_object = ParsePaperlists("nips2016.json", R"json([{"id": "x"}, 5])json", {});
  CHECK(not_object.status().message().find("record 1") != std::string_view::npos);

  auto bad_field = ParsePaperlists("nips2016.json",
                                   R"json([{"id": "ok"}, {"id": "z9", "author": ["A"]}])json", {});
  REQUIRE(absl::IsInvalidArgument(bad_field.status()));
  const std::string msg(bad_field.status().message());
  CHECK(msg.find("nips2016.json: record 1 (id \"z9\")") != std::string::npos);
  CHECK(msg.find("\"author\" must be a string, found an array") != std::string::npos);
}

TEST_CASE("Gzip and plain files read the same; missing and non-regular files fail",
          "[ingest][paperlists]") {
  const std::string real = collabgraph::testing::DataDir() + "/paperlists/nips/nips1987.json.gz";
  if (!std::filesystem::exists(real)) {
    WARN("data directory missing: " << real);
    return;
  }
  auto gz = ReadPaperlistsFile(real, {});
  REQUIRE(gz.ok());
  CHECK(gz->papers.size() == 90);
  CHECK(gz->venue == "nips");
  CHECK(gz->year == 1987);

  TempDir dir;
  CHECK(absl::IsNotFound(ReadPaperlistsFile(dir.Sub("nips2000.json"), {}).status()));
  auto is_dir = ReadPaperlistsFile(dir.path(), {});
  CHECK(absl::IsInvalidArgument(is_dir.status()));
  CHECK(is_dir.status().message().find("not a regular file") != std::string_view::npos);
  // A truncated gzip file is a data error, not a silent short read.
  std::ifstream in(real, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string truncated = dir.Write("nips1987.json.gz", bytes.substr(0, bytes.size() / 2));
  auto cut = ReadPaperlistsFile(truncated, {});
  CHECK_FALSE(cut.ok());
  CHECK(cut.status().message().find("nips1987.json.gz") != std::string_view::npos);
}

namespace {

// What a parse gave, as text: its status, or each paper's id, properties, authors,
// institutions and countries.
std::string Digest(const absl::StatusOr<ParsedFile>& parsed) {
  if (!parsed.ok()) return parsed.status().ToString();
  std::string out = std::to_string(parsed->records) + " records\n";
  for (const PaperInput& p : parsed->papers) {
    out += p.source_id + " " + collabgraph::model::EncodeProperties(p.props) + ":";
    for (const auto& a : p.authorships) {
      out += " " + a.name;
      for (const auto& inst : a.institutions) out += " @" + inst.key + "/" + inst.country_code;
    }
    out += "\n";
  }
  return out;
}

// Reads `path` on a thread of its own, which has parsed nothing before.
std::string DigestOnNewThread(const std::string& path, const ReadOptions& options) {
  std::string digest;
  std::thread([&] { digest = Digest(ReadPaperlistsFile(path, options)); }).join();
  return digest;
}

}  // namespace

TEST_CASE("A thread that parsed other files parses the next one as a new thread does",
          "[ingest][paperlists]") {
  // Each parsing thread keeps its JSON parser from file to file (ParsePaperlists): a larger
  // file grows it, and another depth limit remakes it.
  const std::string dir = collabgraph::testing::DataDir() + "/paperlists/nips/";
  const std::string large = dir + "nips2016.json.gz";
  const std::string small = dir + "nips1987.json.gz";
  if (!std::filesystem::exists(large) || !std::filesystem::exists(small)) {
    WARN("data directory missing: " << dir);
    return;
  }
  ReadOptions shallow;
  shallow.max_depth = 1;  // every record (an object in the array) is deeper
  const std::string small_alone = DigestOnNewThread(small, {});
  const std::string large_alone = DigestOnNewThread(large, {});
  const std::string shallow_alone = DigestOnNewThread(small, shallow);
  CHECK(small_alone.find("90 records") == 0);
  CHECK(shallow_alone.find("nips1987.json.gz: record 0 (byte 6)") != std::string::npos);
  CHECK(shallow_alone.find("too deep") != std::string::npos);
  std::thread([&] {
    CHECK(Digest(ReadPaperlistsFile(small, {})) == small_alone);
    CHECK(Digest(ReadPaperlistsFile(large, {})) == large_alone);  // grows the parser
    CHECK(Digest(ReadPaperlistsFile(small, {})) == small_alone);
    CHECK(Digest(ReadPaperlistsFile(small, shallow)) == shallow_alone);
    CHECK(Digest(ReadPaperlistsFile(large, {})) == large_alone);
    // Text without simdjson's padding past its end (a string of its exact size) parses too.
    std::string exact = R"json([{"id": "a1", "title": "On Padding", "author": "Ann Lee"}])json";
    exact.shrink_to_fit();
    // CHECK, not REQUIRE: a failed REQUIRE throws, which off the test's own thread would
    // terminate the run instead of reporting.
    auto parsed = ParsePaperlists("nips2016.json", exact, {});
    CHECK(parsed.ok());
    CHECK((parsed.ok() && parsed->papers.size() == 1 && parsed->papers[0].source_id == "a1"));
  }).join();
}
