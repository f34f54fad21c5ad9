#include "ingest/csv_reader.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>

#include <catch2/catch.hpp>
#include <zlib.h>

#include "ingest/loader.h"
#include "model/check.h"
#include "model/graph.h"
#include "model/keys.h"
#include "test_util.h"

using namespace collabgraph::ingest;
using collabgraph::testing::TempDir;

namespace {

// Writes the seven tables; `overrides` replaces a table's whole text.
std::string WriteTables(const TempDir& dir,
                        const std::map<std::string, std::string>& overrides = {}) {
  std::map<std::string, std::string> tables = {
      {"papers",
       "id,title,venue,year\n10,\"Graphs, \"\"quoted\"\", "
       "and\nmultiline\",icml,2020\n11,Plain,nips,2021\n"},
      {"authors", "id,name\n1,Ann Lee\n2,Bo Chen\n3,Cy Dee\n"},
      {"institutions", "id,name\n100,MIT\n101,Peking University\n102,Nowhere Lab\n"},
      {"countries", "id,name\n7,United States\n8,China\n9,Atlantis\n"},
      {"authored", "author,paper,position\n2,10,1\n1,10,0\n3,11,4\n"},
      {"affiliated", "author,paper,institution\n1,10,100\n2,10,101\n2,10,100\n3,11,102\n"},
      {"located_in", "institution,country\n100,7\n101,8\n102,9\n"},
  };
  for (const auto& [name, text] : overrides) tables[name] = text;
  std::filesystem::create_directories(dir.Sub("tables"));
  for (const auto& [name, text] : tables) dir.Write("tables/" + name + ".csv", text);
  return dir.Sub("tables");
}

// Every field of two papers is equal.
bool SamePaper(const collabgraph::model::PaperInput& a, const collabgraph::model::PaperInput& b) {
  auto same_institution = [](const collabgraph::model::InstitutionInput& x,
                             const collabgraph::model::InstitutionInput& y) {
    return x.name == y.name && x.key == y.key && x.country_code == y.country_code &&
           x.country_name == y.country_name && x.country_label == y.country_label &&
           x.country_resolution == y.country_resolution && x.region_code == y.region_code &&
           x.region_name == y.region_name && x.paper_level == y.paper_level && x.row == y.row;
  };
  auto same_authorship = [&](const collabgraph::model::AuthorshipInput& x,
                             const collabgraph::model::AuthorshipInput& y) {
    return x.name == y.name && x.key == y.key && x.external_ids == y.external_ids &&
           x.row == y.row &&
           std::equal(x.institutions.begin(), x.institutions.end(), y.institutions.begin(),
                      y.institutions.end(), same_institution);
  };
  return a.venue == b.venue && a.year == b.year && a.source_id == b.source_id &&
         a.props == b.props && a.tags == b.tags &&
         std::equal(a.authorships.begin(), a.authorships.end(), b.authorships.begin(),
                    b.authorships.end(), same_authorship);
}

}  // namespace

TEST_CASE("PaperInto makes the same paper as Paper, whatever the PaperInput held before",
          "[ingest][csv]") {
  TempDir dir;
  // Nowhere Lab (paper 11's) has no country at all.
  auto d =
      CsvDataset::Read(WriteTables(dir, {{"located_in", "institution,country\n100,7\n101,8\n"}}));
  INFO(d.status().ToString());
  REQUIRE(d.ok());
  auto first = (*d)->Paper(0);
  auto second = (*d)->Paper(1);
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  // A PaperInput that held a larger paper, with every optional field set.
  collabgraph::model::PaperInput reused;
  reused.venue = "old venue";
  reused.props.Set("abstract", std::string("old"));
  reused.tags = {{"old tag", "topic"}};
  for (int a = 0; a < 5; ++a) {
    collabgraph::model::AuthorshipInput author;
    author.name = "Old Author " + std::to_string(a);
    author.external_ids = {"openreview:~Old1"};
    collabgraph::model::InstitutionInput inst;
    inst.name = "Old Institute";
    inst.country_code = "CN";
    inst.country_name = "China";
    inst.country_label = "China";
    inst.country_resolution = "domain";
    inst.region_code = "HK";
    inst.region_name = "Hong Kong";
    inst.paper_level = true;
    author.institutions = {inst, inst, inst};
    reused.authorships.push_back(author);
  }
  REQUIRE((*d)->PaperInto(0, &reused).ok());
  CHECK(SamePaper(reused, *first));
  // Fewer authors, and an institution without a country after ones with countries.
  REQUIRE((*d)->PaperInto(1, &reused).ok());
  CHECK(SamePaper(reused, *second));
  CHECK(reused.authorships.at(0).institutions.at(0).country_code.empty());
  CHECK(reused.authorships.at(0).institutions.at(0).country_name.empty());
  // Back to the first paper (papers.csv is read again from the start), into the same one.
  REQUIRE((*d)->PaperInto(0, &reused).ok());
  CHECK(SamePaper(reused, *first));
  // Out of range: an error, and the paper is left as it was.
  CHECK(absl::IsOutOfRange((*d)->PaperInto(2, &reused)));
  CHECK(SamePaper(reused, *first));
}

TEST_CASE("CSV tables become papers with positions, institutions and countries", "[ingest][csv]") {
  TempDir dir;
  const std::string path = WriteTables(dir);
  REQUIRE(IsCsvDataset(path));
  auto d = CsvDataset::Read(path);
  INFO(d.status().ToString());
  REQUIRE(d.ok());
  REQUIRE((*d)->size() == 2);
  auto first = (*d)->Paper(0);
  REQUIRE(first.ok());
  const auto& p = *first;
  CHECK(p.venue == "icml");
  CHECK(p.year == 2020);
  CHECK(p.source_id == "10");
  CHECK(p.props.GetString("title") == "Graphs, \"quoted\", and\nmultiline");
  REQUIRE(p.authorships.size() == 2);
  CHECK(p.authorships[0].name == "Ann Lee");  // ordered by position, not by row
  CHECK(p.authorships[1].name == "Bo Chen");
  REQUIRE(p.authorships[1].institutions.size() == 2);
  CHECK(p.authorships[1].institutions[0].country_code == "US");
  CHECK(p.authorships[1].institutions[1].country_code == "CN");
  auto second = (*d)->Paper(1);
  REQUIRE(second.ok());
  const auto& q = *second;
  REQUIRE(q.authorships.size() == 1);  // position 4 alone: renumbered by order
  CHECK(q.authorships[0].institutions.at(0).country_code.empty());
  CHECK((*d)->summary().unresolved_countries.at("Atlantis") == 1);
  CHECK((*d)->summary().authorships == 3);
  CHECK((*d)->summary().authorships_with_country == 2);
}

TEST_CASE("Malformed CSV tables fail naming the file, line and field", "[ingest][csv]") {
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"papers", "id,title,venue\n", "papers.csv: line 1: the header must be"},
      {"papers", "id,title,venue,year\n1,T,icml,20x0\n",
       "papers.csv: line 2: field \"year\" must be an integer"},
      {"papers", "id,title,venue,year\n1,T,icml,2020\n1,U,icml,2020\n", "duplicate paper id 1"},
      // Consecutive ids need no map until a row breaks the run; a repeat after that is found.
      {"papers",
       "id,title,venue,year\n1,T,icml,2020\n2,U,icml,2020\n3,V,icml,2020\n2,W,icml,2020\n",
       "papers.csv: line 5: duplicate paper id 2"},
      {"papers", "id,title,venue,year\n1,\"T,icml,2020\n", "unterminated quoted field"},
      {"authored", "author,paper,position\n1,99,0\n",
       "authored.csv: line 2: paper 99 is not in papers.csv"},
      {"authored", "author,paper,position\n1,10\n",
       "authored.csv: line 2: expected 3 fields, found 2"},
      {"affiliated", "author,paper,institution\n1,10,555\n",
       "institution 555 is not in institutions.csv"},
      {"located_in", "institution,country\n100,77\n", "country 77 is not in countries.csv"},
      {"authored", "author,paper,position\n1,10,2147483648\n",
       "authored.csv: line 2: position 2147483648 is out of range"},
      {"affiliated", "author,paper,institution\n1,10,100\n9,10,100\n",
       "affiliated.csv: line 3: author 9 is not in authors.csv"},
  };
  for (const auto& [table, text, needle] : cases) {
    TempDir dir;
    auto d = CsvDataset::Read(WriteTables(dir, {{table, text}}));
    INFO(table << ": " << d.status().ToString());
    REQUIRE(absl::IsInvalidArgument(d.status()));
    CHECK(d.status().message().find(needle) != std::string_view::npos);
  }
  TempDir missing;
  std::filesystem::create_directories(missing.Sub("t"));
  missing.Write("t/papers.csv", "id,title,venue,year\n");
  CHECK(absl::IsNotFound(CsvDataset::Read(missing.Sub("t")).status()));
}

TEST_CASE(
    "CSV rows in any order are grouped by paper, repeats counted once, stray affiliations warned",
    "[ingest][csv]") {
  TempDir dir;
  // Paper ids descending, rows of the link tables shuffled, a repeated affiliation row, an
  // affiliation of a non-author, and a paper without authors.
  const std::string path = WriteTables(
      dir, {{"papers", "id,title,venue,year\n30,C,icml,2020\n20,B,icml,2021\n10,A,nips,2022\n"},
            {"authored", "author,paper,position\n3,10,0\n2,30,5\n1,30,-1\n1,10,7\n"},
            {"affiliated",
             "author,paper,institution\n2,30,101\n1,10,100\n2,30,101\n3,30,102\n"
             "2,30,100\n"}});
  auto d = CsvDataset::Read(path);
  INFO(d.status().ToString());
  REQUIRE(d.ok());
  REQUIRE((*d)->size() == 3);
  CHECK((*d)->summary().authorships == 4);
  CHECK((*d)->summary().authorships_with_country == 2);  // 2 on paper 30, 1 on paper 10
  REQUIRE((*d)->summary().warnings.size() == 1);
  CHECK((*d)->summary().warnings[0].id == "30");
  CHECK((*d)->summary().warnings[0].message.find("\"Cy Dee\"") != std::string::npos);
  // Out of order: the stream of papers.csv is opened again.
  auto c = (*d)->Paper(2);
  REQUIRE(c.ok());
  CHECK(c->source_id == "10");
  CHECK(c->props.GetString("title") == "A");
  REQUIRE(c->authorships.size() == 2);
  CHECK(c->authorships[0].name == "Cy Dee");
  CHECK(c->authorships[1].name == "Ann Lee");
  CHECK(c->authorships[1].institutions.size() == 1);
  auto a = (*d)->Paper(0);
  REQUIRE(a.ok());
  CHECK(a->source_id == "30");
  REQUIRE(a->authorships.size() == 2);
  CHECK(a->authorships[0].name == "Ann Lee");  // position -1 before 5
  CHECK(a->authorships[0].institutions.empty());
  REQUIRE(a->authorships[1].institutions.size() == 2);  // the repeated row counts once
  CHECK(a->authorships[1].institutions[0].name == "MIT");
  CHECK(a->authorships[1].institutions[1].name == "Peking University");
  auto b = (*d)->Paper(1);
  REQUIRE(b.ok());
  CHECK(b->authorships.empty());
  CHECK(absl::IsOutOfRange((*d)->Paper(3).status()));
}

TEST_CASE("CSV tables stream through chunk boundaries and gzip, hashing the same bytes",
          "[ingest][csv]") {
  // The reader fills 256 KiB chunks: a title whose "" escape straddles the first boundary. The
  // header takes 20 bytes and the row starts 1,"  so the title's first byte is byte 23.
  const size_t chunk = size_t{1} << 18;
  const std::string long_title = std::string(chunk - 1 - 23, 'x') + "\"tail";
  std::string papers =
      "id,title,venue,year\n1,\"" + std::string(chunk - 1 - 23, 'x') + "\"\"tail\",icml,2020\n";
  for (int i = 2; i <= 30000; ++i) {
    papers += std::to_string(i) + ",\"T, " + std::to_string(i) + "\",icml,2020\n";
  }
  TempDir plain;
  auto d = CsvDataset::Read(WriteTables(plain, {{"papers", papers},
                                                {"authored", "author,paper,position\n"},
                                                {"affiliated", "author,paper,institution\n"}}));
  INFO(d.status().ToString());
  REQUIRE(d.ok());
  REQUIRE((*d)->size() == 30000);
  auto p = (*d)->Paper(0);
  REQUIRE(p.ok());
  CHECK(p->props.GetString("title") == long_title);
  auto last = (*d)->Paper(29999);
  REQUIRE(last.ok());
  CHECK(last->props.GetString("title") == "T, 30000");
  CHECK(last->source_id == "30000");

  // The same tables gzipped read the same, with the same content hash.
  TempDir zipped;
  const std::string zdir = WriteTables(zipped, {{"papers", papers},
                                                {"authored", "author,paper,position\n"},
                                                {"affiliated", "author,paper,institution\n"}});
  for (const char* table : {"papers", "authors", "authored"}) {
    const std::string f = zdir + "/" + table + ".csv";
    std::ifstream in(f, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    gzFile out = gzopen(f.c_str(), "wb");
    REQUIRE(out != nullptr);
    REQUIRE(gzwrite(out, text.data(), static_cast<unsigned>(text.size())) ==
            static_cast<int>(text.size()));
    REQUIRE(gzclose(out) == Z_OK);
  }
  auto z = CsvDataset::Read(zdir);
  INFO(z.status().ToString());
  REQUIRE(z.ok());
  CHECK((*z)->summary().content_hash == (*d)->summary().content_hash);
  auto zp = (*z)->Paper(0);
  REQUIRE(zp.ok());
  CHECK(zp->props.GetString("title") == long_title);
}

TEST_CASE("A papers.csv changed after the check fails Paper() naming the file and line",
          "[ingest][csv]") {
  TempDir dir;
  const std::string path = WriteTables(dir);
  auto d = CsvDataset::Read(path);
  REQUIRE(d.ok());
  dir.Write("tables/papers.csv", "id,title,venue,year\n10,T,icml,2020\n12,Other,nips,2021\n");
  REQUIRE((*d)->Paper(0).ok());  // same id, venue and year: a new title is read as it is
  auto changed = (*d)->Paper(1);
  INFO(changed.status().ToString());
  CHECK(absl::IsFailedPrecondition(changed.status()));
  CHECK(changed.status().message().find("papers.csv: line 3: the file changed") !=
        std::string_view::npos);
  dir.Write("tables/papers.csv", "id,title,venue,year\n");
  auto shorter = (*d)->Paper(0);
  CHECK(absl::IsFailedPrecondition(shorter.status()));
}

TEST_CASE("A CSV ingest reuses each row's author, but not for an authorship an override split",
          "[ingest][csv]") {
  // Ann Lee (author row 1) at Peking University, then at MIT, then at each again; the
  // overrides split her Peking University authorships off. The first paper has the split
  // authorship: had its author been remembered for row 1, every later Ann Lee would be the
  // split one.
  TempDir dir;
  const std::string tables = WriteTables(
      dir, {{"papers",
             "id,title,venue,year\n11,A,icml,2020\n10,B,icml,2020\n12,C,icml,2021\n"
             "13,D,icml,2021\n"},
            {"authored", "author,paper,position\n1,10,0\n1,11,0\n1,12,0\n1,13,0\n2,13,1\n"},
            {"affiliated",
             "author,paper,institution\n1,11,101\n1,10,100\n1,12,101\n1,13,100\n2,13,100\n"}});
  dir.Write("overrides.txt", "split: Ann Lee @ Peking University\n");
  for (const bool bulk : {false, true}) {
    CAPTURE(bulk);
    auto graph = collabgraph::model::Graph::Open(dir.Sub(bulk ? "bulk.db" : "record.db"), {});
    REQUIRE(graph.ok());
    collabgraph::IngestOptions options;
    options.format = "csv";
    options.bulk = bulk;
    options.author_overrides_path = dir.Sub("overrides.txt");
    auto report = IngestFiles(graph->get(), {tables}, options);
    REQUIRE(report.ok());
    CHECK(report->author_overrides_applied == 2);
    auto view = (*graph)->NewReadView();
    using collabgraph::model::IndexKind;
    using collabgraph::model::StringIndexKey;
    auto papers_of = [&](const std::string& key) {
      std::vector<std::string> titles;
      auto id = view->Lookup(StringIndexKey(IndexKind::kAuthorKey, key));
      REQUIRE(id.ok());
      REQUIRE(id->has_value());
      REQUIRE(view->ScanEdges(collabgraph::model::EdgeType::kAuthored,
                              collabgraph::model::Direction::kOut, **id,
                              [&](const collabgraph::model::EdgeKeyParts& e, std::string_view) {
                                auto paper = view->GetNode(collabgraph::model::Label::kPaper, e.b);
                                REQUIRE(paper.ok());
                                titles.emplace_back(paper->GetString("title").value_or("?"));
                              })
                  .ok());
      std::sort(titles.begin(), titles.end());
      return titles;
    };
    CHECK(papers_of("name:ann lee") == std::vector<std::string>{"B", "D"});
    CHECK(papers_of("name:ann lee@peking university") == std::vector<std::string>{"A", "C"});
    CHECK(papers_of("name:bo chen") == std::vector<std::string>{"D"});
  }
}

TEST_CASE(
    "A CSV ingest writes each paper with its own rows and tags, stops at a papers.csv "
    "changed after the check, and resumes to the same database",
    "[ingest][csv]") {
  // The loader makes CSV papers on a thread of its own, a ring of them ahead of the writer:
  // 24,000 papers go round it many times. Paper p has author A<p % 97> at position 0 and
  // B<p % 89> at position 1; every 50th title names a lexicon topic.
  constexpr int kPapers = 24000;
  constexpr int kFirstId = 1000;
  constexpr int kChangedRow = 20000;  // rows from here on get other ids in the changed file
  auto papers_csv = [&](bool changed) {
    std::string text = "id,title,venue,year\n";
    for (int r = 0; r < kPapers; ++r) {
      const int id = kFirstId + r + (changed && r >= kChangedRow ? 100000 : 0);
      text += std::to_string(id) + "," + (r % 50 == 0 ? "Reinforcement learning " : "T") +
              std::to_string(id) + ",icml,2020\n";
    }
    return text;
  };
  std::string authors = "id,name\n";
  for (int a = 0; a < 97; ++a) authors += std::to_string(a) + ",A" + std::to_string(a) + "\n";
  for (int b = 0; b < 89; ++b) authors += std::to_string(97 + b) + ",B" + std::to_string(b) + "\n";
  std::string authored = "author,paper,position\n";
  for (int r = 0; r < kPapers; ++r) {
    const int id = kFirstId + r;
    authored += std::to_string(97 + id % 89) + "," + std::to_string(id) + ",1\n";
    authored += std::to_string(id % 97) + "," + std::to_string(id) + ",0\n";
  }
  TempDir dir;
  const std::string tables = WriteTables(dir, {{"papers", papers_csv(false)},
                                               {"authors", authors},
                                               {"authored", authored},
                                               {"affiliated", "author,paper,institution\n"}});
  using collabgraph::model::Label;
  auto ingest = [&](collabgraph::model::Graph* graph, bool bulk, bool change) {
    collabgraph::IngestOptions options;
    options.format = "csv";
    options.bulk = bulk;
    options.bulk_batch = 3000;
    // Once the tables are read and checked, before any paper is made.
    options.progress = [&](const collabgraph::IngestProgress& p) {
      if (change && p.phase == collabgraph::IngestProgress::Phase::kRead && p.files_done == 1) {
        dir.Write("tables/papers.csv", papers_csv(true));
      }
    };
    return IngestFiles(graph, {tables}, options);
  };
  // Every paper has its title, its two authors at their positions, and its tag.
  auto check_papers = [](const collabgraph::model::ReadView& view) {
    std::map<collabgraph::model::NodeId, std::string> source_ids;
    size_t wrong = 0;
    REQUIRE(view.ScanNodes(Label::kPaper,
                           [&](collabgraph::model::NodeId id, std::string_view v) {
                             collabgraph::model::Properties props;
                             REQUIRE(collabgraph::model::DecodeProperties(v, &props));
                             const std::string sid(props.GetString("source_id").value_or("?"));
                             source_ids[id] = sid;
                             const std::string title(props.GetString("title").value_or("?"));
                             const bool topic = (std::stoi(sid) - kFirstId) % 50 == 0;
                             wrong +=
                                 title != (topic ? "Reinforcement learning " : "T") + sid ? 1 : 0;
                           })
                .ok());
    size_t edges = 0;
    REQUIRE(view.ScanEdges(collabgraph::model::EdgeType::kAuthored,
                           collabgraph::model::Direction::kOut, std::nullopt,
                           [&](const collabgraph::model::EdgeKeyParts& e, std::string_view) {
                             ++edges;
                             auto author = view.GetNode(Label::kAuthor, e.a);
                             REQUIRE(author.ok());
                             const int id = std::stoi(source_ids.at(e.b));
                             const std::string want = e.rank == 0 ? "A" + std::to_string(id % 97)
                                                                  : "B" + std::to_string(id % 89);
                             wrong += author->GetString("name") != want ? 1 : 0;
                           })
                .ok());
    CHECK(wrong == 0);
    CHECK(edges == 2 * source_ids.size());
    auto tagged = view.EdgeCount(collabgraph::model::EdgeType::kTagged);
    REQUIRE(tagged.ok());
    size_t topics = 0;
    for (const auto& [id, sid] : source_ids) topics += (std::stoi(sid) - kFirstId) % 50 == 0;
    CHECK(*tagged == topics);
    return source_ids.size();
  };
  for (const bool bulk : {false, true}) {
    CAPTURE(bulk);
    dir.Write("tables/papers.csv", papers_csv(false));
    auto clean = collabgraph::model::Graph::Open(dir.Sub(bulk ? "clean-bulk" : "clean"), {});
    REQUIRE(clean.ok());
    auto report = ingest(clean->get(), bulk, /*change=*/false);
    INFO(report.status().ToString());
    REQUIRE(report.ok());
    auto clean_view = (*clean)->NewReadView();
    CHECK(check_papers(*clean_view) == kPapers);
    auto clean_hash = collabgraph::model::ContentHash(*clean_view);
    REQUIRE(clean_hash.ok());

    auto graph = collabgraph::model::Graph::Open(dir.Sub(bulk ? "resumed-bulk" : "resumed"), {});
    REQUIRE(graph.ok());
    auto stopped = ingest(graph->get(), bulk, /*change=*/true);
    INFO(stopped.status().ToString());
    CHECK(absl::IsFailedPrecondition(stopped.status()));
    CHECK(stopped.status().message().find("papers.csv: line " + std::to_string(kChangedRow + 2) +
                                          ": the file changed") != std::string_view::npos);
    {
      auto view = (*graph)->NewReadView();
      const size_t written = check_papers(*view);
      // Record by record, every paper before the changed row; in bulk mode, whole batches.
      if (bulk) {
        CHECK(written > 0);
        CHECK(written < kChangedRow);
      } else {
        CHECK(written == kChangedRow);
      }
      auto check = collabgraph::model::CheckGraph(*view);
      REQUIRE(check.ok());
      CHECK(check->violation_count == 0);
    }
    dir.Write("tables/papers.csv", papers_csv(false));
    auto resumed = ingest(graph->get(), bulk, /*change=*/false);
    INFO(resumed.status().ToString());
    REQUIRE(resumed.ok());
    CHECK(resumed->files.at(0).already_present > 0);
    auto view = (*graph)->NewReadView();
    CHECK(check_papers(*view) == kPapers);
    CHECK(collabgraph::model::ContentHash(*view).value() == *clean_hash);
  }
}

TEST_CASE("With OmitGivenRows a row's strings come with its first paper only, and Fill* gives them",
          "[ingest][csv]") {
  // Ann Lee (row of author 1) and MIT (institution 100) in both papers; Bo Chen at MIT too.
  TempDir dir;
  const std::string tables = WriteTables(
      dir, {{"authored", "author,paper,position\n1,10,0\n2,10,1\n1,11,0\n"},
            {"affiliated", "author,paper,institution\n1,10,100\n2,10,100\n2,10,101\n1,11,100\n"}});
  auto full = CsvDataset::Read(tables);
  auto omitting = CsvDataset::Read(tables);
  REQUIRE(full.ok());
  REQUIRE(omitting.ok());
  (*omitting)->OmitGivenRows();
  size_t omitted_authors = 0;
  size_t omitted_institutions = 0;
  collabgraph::model::PaperInput made;
  for (size_t i = 0; i < 2; ++i) {
    CAPTURE(i);
    auto want = (*full)->Paper(i);
    REQUIRE(want.ok());
    REQUIRE((*omitting)->PaperInto(i, &made).ok());
    REQUIRE(made.authorships.size() == want->authorships.size());
    // An omitted row carries its row alone; the source's strings for it are the full paper's.
    for (size_t k = 0; k < made.authorships.size(); ++k) {
      collabgraph::model::AuthorshipInput& a = made.authorships[k];
      CHECK(a.row == want->authorships[k].row);
      if (a.omitted) {
        ++omitted_authors;
        CHECK(a.name.empty());
        CHECK(a.key.empty());
        (*omitting)->FillAuthor(a.row, &a);
      }
      for (collabgraph::model::InstitutionInput& inst : a.institutions) {
        if (!inst.omitted) continue;
        ++omitted_institutions;
        CHECK(inst.name.empty());
        CHECK(inst.country_code.empty());
        (*omitting)->FillInstitution(inst.row, &inst);
        inst.omitted = false;
      }
      a.omitted = false;
    }
    CHECK(SamePaper(made, *want));
  }
  CHECK(omitted_authors == 1);       // Ann Lee in paper 11
  CHECK(omitted_institutions == 2);  // MIT for Bo Chen in paper 10, and in paper 11
}

TEST_CASE(
    "A CSV ingest fills in the omitted rows whose first paper was in the database already, "
    "to the same database as an ingest that gives every row",
    "[ingest][csv]") {
  // The database holds icml/2020/10 from other tables, with another author. In the tables
  // ingested next, paper 10 is then already there, so Ann Lee, Bo Chen, MIT and Peking
  // University (given with it) are not in the writer's memo when paper 11, which carries
  // them as rows alone, comes: they, and their countries, are made from the data set.
  TempDir dir;
  std::filesystem::create_directories(dir.Sub("first"));
  const std::string first = WriteTables(dir, {{"papers", "id,title,venue,year\n10,Old,icml,2020\n"},
                                              {"authored", "author,paper,position\n3,10,0\n"},
                                              {"affiliated", "author,paper,institution\n"}});
  std::filesystem::rename(first, dir.Sub("first/tables"));
  const std::string second = WriteTables(
      dir, {{"papers", "id,title,venue,year\n10,A,icml,2020\n11,B,icml,2020\n"},
            {"authored", "author,paper,position\n1,10,0\n2,10,1\n1,11,0\n2,11,1\n"},
            {"affiliated", "author,paper,institution\n1,10,100\n2,10,101\n1,11,100\n2,11,101\n"}});
  dir.Write("no-overrides.txt", "# nothing: every row's strings are given\n");
  using collabgraph::model::Label;
  for (const bool bulk : {false, true}) {
    CAPTURE(bulk);
    std::optional<uint64_t> hash;
    for (const bool omit : {true, false}) {
      CAPTURE(omit);
      auto graph = collabgraph::model::Graph::Open(
          dir.Sub(std::string(bulk ? "bulk" : "record") + (omit ? "-omit" : "-full")), {});
      REQUIRE(graph.ok());
      collabgraph::IngestOptions options;
      options.format = "csv";
      options.bulk = bulk;
      REQUIRE(IngestFiles(graph->get(), {dir.Sub("first/tables")}, options).ok());
      // Author overrides turn the omission off (they read every paper's names).
      if (!omit) options.author_overrides_path = dir.Sub("no-overrides.txt");
      auto report = IngestFiles(graph->get(), {second}, options);
      INFO(report.status().ToString());
      REQUIRE(report.ok());
      CHECK(report->files.at(0).already_present == 1);
      CHECK(report->files.at(0).added == 1);
      auto view = (*graph)->NewReadView();
      auto check = collabgraph::model::CheckGraph(*view);
      REQUIRE(check.ok());
      CHECK(check->violation_count == 0);
      auto nodes = [&](Label label) {
        auto n = view->NodeCount(label);
        REQUIRE(n.ok());
        return *n;
      };
      CHECK(nodes(Label::kAuthor) == 3);       // Cy Dee of the first tables, Ann Lee, Bo Chen
      CHECK(nodes(Label::kInstitution) == 2);  // MIT, Peking University
      CHECK(nodes(Label::kCountry) == 2);      // US, CN
      auto ann = view->Lookup(collabgraph::model::StringIndexKey(
          collabgraph::model::IndexKind::kAuthorKey, "name:ann lee"));
      REQUIRE(ann.ok());
      REQUIRE(ann->has_value());
      auto props = view->GetNode(Label::kAuthor, **ann);
      REQUIRE(props.ok());
      CHECK(props->GetString("name") == "Ann Lee");
      auto content = collabgraph::model::ContentHash(*view);
      REQUIRE(content.ok());
      if (hash) {
        CHECK(*content == *hash);
      } else {
        hash = *content;
      }
    }
  }
}
