#include "collabgraph/query.h"

#include <filesystem>
#include <map>
#include <set>

#include <catch2/catch.hpp>

#include "collabgraph/database.h"
#include "test_util.h"

using namespace collabgraph;
using collabgraph::testing::TempDir;

namespace {

// A small world whose answers are worked out by hand:
//   p1 (2019): Ann [MIT, US], Bo [Peking University, CN]          -> countries CN US
//   p2 (2019): Bo [Peking University], Cy [HKUST, China]           -> CN (HKUST: region HK)
//   p3 (2020): Cy [HKUST], Di [ETH Zurich, CH]                     -> CN CH
//   p4 (2020): Ann [MIT], Ed [MIT]                                  -> US
//   p5 (2020, Reject): Ann [MIT], Bo [Peking University]          -> left out by default
// Author graph: Ann-Bo (p1, p5), Bo-Cy (p2), Cy-Di (p3), Ann-Ed (p4); Ann-Di is 3 hops.
constexpr const char* k2019 = R"json([
  {"id": "p1", "title": "One", "status": "Poster", "author": "Ann Lee; Bo Chen",
   "aff_unique_index": "0;1", "aff_unique_norm": "MIT;Peking University",
   "aff_country_unique_index": "0;1", "aff_country_unique": "United States;China"},
  {"id": "p2", "title": "Two", "status": "Poster", "author": "Bo Chen; Cy Wong",
   "aff_unique_index": "0;1", "aff_unique_norm": "Peking University;HKUST",
   "aff_domain": "pku.edu.cn;ust.hk",
   "aff_country_unique_index": "0;0", "aff_country_unique": "China"}])json";
constexpr const char* k2020 = R"json([
  {"id": "p3", "title": "Three", "status": "Oral", "author": "Cy Wong; Di Müller",
   "aff_unique_index": "0;1", "aff_unique_norm": "HKUST;ETH Zurich",
   "aff_domain": "ust.hk;ethz.ch",
   "aff_country_unique_index": "0;1", "aff_country_unique": "China;Switzerland"},
  {"id": "p4", "title": "Four", "status": "Poster", "author": "Ann Lee; Ed Ross",
   "aff_unique_index": "0;0", "aff_unique_norm": "MIT",
   "aff_country_unique_index": "0;0", "aff_country_unique": "United States"},
  {"id": "p5", "title": "Five", "status": "Reject", "author": "Ann Lee; Bo Chen",
   "aff_unique_index": "0;1", "aff_unique_norm": "MIT;Peking University",
   "aff_country_unique_index": "0;1", "aff_country_unique": "United States;China"}])json";

std::vector<std::string> Titles(PaperCursor& c) {
  std::vector<std::string> out;
  for (; c.Valid(); c.Next()) out.push_back(c.paper().title);
  REQUIRE(c.status().ok());
  return out;
}

uint64_t AuthorId(const Snapshot& snap, const std::string& name) {
  auto found = snap.FindAuthors(name, NameMatch::kExact);
  REQUIRE(found.ok());
  REQUIRE(found->size() == 1);
  return found->front().id;
}

struct World {
  TempDir dir;
  std::unique_ptr<Database> db;
  World() {
    const std::string a = dir.Write("conf2019.json", k2019);
    const std::string b = dir.Write("conf2020.json", k2020);
    auto opened = Database::Open(dir.Sub("db"));
    REQUIRE(opened.ok());
    db = std::move(*opened);
    REQUIRE((*db).Ingest({a, b}).ok());
  }
};

}  // namespace

TEST_CASE("Snapshot finds nodes by id, exact and normalised name, source id", "[api][query]") {
  World w;
  auto snap = w.db->NewSnapshot();
  const uint64_t ann = AuthorId(*snap, "Ann Lee");
  auto a = snap->Author(ann);
  REQUIRE(a.ok());
  CHECK(a->name == "Ann Lee");
  CHECK(a->key == "name:ann lee");
  CHECK(absl::IsNotFound(snap->Author(987654).status()));

  auto exact = snap->FindAuthors("ann lee", NameMatch::kExact);
  REQUIRE(exact.ok());
  CHECK(exact->empty());
  auto norm = snap->FindAuthors("ANN  lee!", NameMatch::kNormalized);
  REQUIRE(norm.ok());
  REQUIRE(norm->size() == 1);
  CHECK(norm->front().id == ann);
  auto di = snap->FindAuthors("di muller", NameMatch::kNormalized);  // diacritics folded
  REQUIRE(di.ok());
  REQUIRE(di->size() == 1);
  CHECK(di->front().name == "Di Müller");

  auto insts = snap->FindInstitutions("peking university", NameMatch::kNormalized);
  REQUIRE(insts.ok());
  REQUIRE(insts->size() == 1);
  CHECK(insts->front().country_code == "CN");
  auto hkust = snap->FindInstitutions("HKUST", NameMatch::kExact);
  REQUIRE(hkust.ok());
  REQUIRE(hkust->size() == 1);
  CHECK(hkust->front().region_code == "HK");

  auto paper = snap->FindPaperByExternalId("source", "conf/2020/p3");
  REQUIRE(paper.ok());
  REQUIRE(paper->has_value());
  CHECK((*paper)->title == "Three");
  CHECK((*paper)->year == 2020);
  auto none = snap->FindPaperByExternalId("source", "conf/2020/p9");
  REQUIRE(none.ok());
  CHECK(!none->has_value());
  CHECK(absl::IsInvalidArgument(snap->FindPaperByExternalId("source", "conf-p3").status()));

  auto china = snap->Country("China");
  REQUIRE(china.ok());
  CHECK(china->code == "CN");
  CHECK(absl::IsNotFound(snap->Country("FR").status()));
}

TEST_CASE("Snapshot::Papers applies countries, regions, institutions, years and status",
          "[api][query]") {
  World w;
  auto snap = w.db->NewSnapshot();
  auto all = snap->Papers({});
  CHECK(Titles(*all) == std::vector<std::string>{"One", "Two", "Three", "Four"});
  PaperQuery with_rejected;
  with_rejected.filters.include_rejected = true;
  CHECK(Titles(*snap->Papers(with_rejected)).size() == 5);

  auto us_cn = snap->Papers({.all_countries = {"US", "China"}});
  CHECK(Titles(*us_cn) == std::vector<std::string>{"One"});
  auto any = snap->Papers({.any_countries = {"CH", "US"}});
  CHECK(Titles(*any) == std::vector<std::string>{"One", "Three", "Four"});
  // HKUST counts as CN in the source view, as HK when split, and as CN again when merged.
  CHECK(Titles(*snap->Papers({.all_countries = {"CN", "CH"}})) ==
        std::vector<std::string>{"Three"});
  CHECK(Titles(*snap->Papers({.all_countries = {"CN", "CH"}, .regions = Regions::kSplit})).empty());
  CHECK(Titles(*snap->Papers({.all_countries = {"HK", "CH"}, .regions = Regions::kSplit})) ==
        std::vector<std::string>{"Three"});
  CHECK(Titles(*snap->Papers({.all_countries = {"CN", "CH"}, .regions = Regions::kMerge})) ==
        std::vector<std::string>{"Three"});

  PaperQuery in2020;
  in2020.filters.year_from = 2020;
  CHECK(Titles(*snap->Papers(in2020)) == std::vector<std::string>{"Three", "Four"});
  const uint64_t ann = AuthorId(*snap, "Ann Lee");
  CHECK(Titles(*snap->Papers({.author = ann})) == std::vector<std::string>{"One", "Four"});
  // Countries on top of an author's papers: checked on those papers' rosters.
  CHECK(Titles(*snap->Papers({.any_countries = {"US"}, .author = ann})) ==
        std::vector<std::string>{"One", "Four"});
  CHECK(Titles(*snap->Papers({.all_countries = {"US", "CN"}, .author = ann})) ==
        std::vector<std::string>{"One"});
  CHECK(Titles(*snap->Papers({.any_countries = {"CH"}, .author = ann})).empty());
  auto mit = snap->FindInstitutions("MIT", NameMatch::kExact);
  REQUIRE(mit.ok());
  PaperQuery at_mit_2020 = in2020;
  at_mit_2020.institutions = {mit->front().id};
  CHECK(Titles(*snap->Papers(at_mit_2020)) == std::vector<std::string>{"Four"});

  // Country pairs: p1 (CN-US) and p3 (CH-CN); the rejected p5 (CN-US) only when asked for.
  auto pairs = snap->CountryPairs({});
  REQUIRE(pairs.ok());
  REQUIRE(pairs->size() == 2);
  CHECK((pairs->at(0).a == "CH" && pairs->at(0).b == "CN" && pairs->at(0).papers == 1));
  CHECK((pairs->at(1).a == "CN" && pairs->at(1).b == "US" && pairs->at(1).papers == 1));
  auto all_pairs = snap->CountryPairs(with_rejected);  // the one-pass path
  REQUIRE(all_pairs.ok());
  REQUIRE(all_pairs->size() == 2);
  CHECK((all_pairs->at(0).a == "CN" && all_pairs->at(0).b == "US" && all_pairs->at(0).papers == 2));
  PaperQuery split = with_rejected;
  split.regions = Regions::kSplit;
  auto split_pairs = snap->CountryPairs(split);
  REQUIRE(split_pairs.ok());
  REQUIRE(split_pairs->size() == 3);  // CN-US 2, CH-HK 1 (p3), CN-HK 1 (p2)
  CHECK(split_pairs->at(0).papers == 2);
  CHECK((split_pairs->at(1).a == "CH" && split_pairs->at(1).b == "HK"));
  CHECK((split_pairs->at(2).a == "CN" && split_pairs->at(2).b == "HK"));

  auto bad = snap->Papers({.any_countries = {"Atlantis"}});
  CHECK(!bad->Valid());
  CHECK(absl::IsInvalidArgument(bad->status()));
}

TEST_CASE("Snapshot::Papers by country over thousands of real papers equals a per-paper check",
          "[api][query][data]") {
  if (!std::filesystem::exists(testing::DataDir() + "/paperlists")) return;
  TempDir dir;
  auto db = Database::Open(dir.Sub("db"));
  REQUIRE(db.ok());
  std::vector<std::string> files;
  for (int year = 2012; year <= 2016; ++year) {
    files.push_back(testing::DataDir() + "/paperlists/nips/nips" + std::to_string(year) +
                    ".json.gz");
  }
  REQUIRE((*db)->Ingest(files).ok());
  auto snap = (*db)->NewSnapshot();
  // The expected answers from every paper's own countries.
  std::vector<uint64_t> us;
  std::vector<uint64_t> us_and_gb;
  std::vector<std::string> us_titles;
  size_t papers = 0;
  for (auto c = snap->Papers({}); c->Valid(); c->Next()) {
    ++papers;
    auto countries = snap->CountriesOfPaper(c->paper().id, Regions::kSource);
    REQUIRE(countries.ok());
    std::set<std::string> codes;
    for (const CountryRecord& country : *countries) codes.insert(country.code);
    if (codes.count("US") != 0) {
      us.push_back(c->paper().id);
      us_titles.push_back(c->paper().title);
    }
    if (codes.count("US") != 0 && codes.count("GB") != 0) us_and_gb.push_back(c->paper().id);
  }
  // More than two slices of 256 records for the cursor to read side by side.
  REQUIRE(us.size() > 600);
  REQUIRE(!us_and_gb.empty());
  REQUIRE(us.size() < papers);
  auto ids = [](PaperCursor& c) {
    std::vector<uint64_t> out;
    for (; c.Valid(); c.Next()) out.push_back(c.paper().id);
    REQUIRE(c.status().ok());
    return out;
  };
  CHECK(ids(*snap->Papers({.any_countries = {"US"}})) == us);
  CHECK(Titles(*snap->Papers({.any_countries = {"US"}})) == us_titles);
  CHECK(ids(*snap->Papers({.all_countries = {"US", "GB"}})) == us_and_gb);
  // Eight "every country" sets take 64-bit masks instead of bytes: the same answer.
  CHECK(ids(*snap->Papers({.all_countries = {"US", "GB", "US", "GB", "US", "GB", "US", "GB"}})) ==
        us_and_gb);
}

TEST_CASE("Snapshot traversals: authorships, countries, co-authors, k-hop and paths",
          "[api][query]") {
  World w;
  auto snap = w.db->NewSnapshot();
  const uint64_t ann = AuthorId(*snap, "Ann Lee");
  const uint64_t bo = AuthorId(*snap, "Bo Chen");
  const uint64_t cy = AuthorId(*snap, "Cy Wong");
  const uint64_t di = AuthorId(*snap, "Di Müller");
  const uint64_t ed = AuthorId(*snap, "Ed Ross");

  auto p3 = snap->FindPaperByExternalId("source", "conf/2020/p3");
  REQUIRE(p3.ok());
  const uint64_t three = (*p3)->id;
  auto authorships = snap->Authorships(three);
  REQUIRE(authorships.ok());
  REQUIRE(authorships->size() == 2);
  CHECK((*authorships)[0].author.id == cy);
  CHECK((*authorships)[0].institutions.at(0).name == "HKUST");
  CHECK((*authorships)[1].author.id == di);
  auto codes = [&](Regions r) {
    auto cs = snap->CountriesOfPaper(three, r);
    REQUIRE(cs.ok());
    std::vector<std::string> out;
    for (const auto& c : *cs) out.push_back(c.code);
    return out;
  };
  CHECK(codes(Regions::kSource) == std::vector<std::string>{"CH", "CN"});
  CHECK(codes(Regions::kSplit) == std::vector<std::string>{"CH", "HK"});
  CHECK(codes(Regions::kMerge) == std::vector<std::string>{"CH", "CN"});

  // Ann and Bo share p1 and the rejected p5: traversals follow every stored paper.
  auto co = snap->CoAuthors(ann);
  REQUIRE(co.ok());
  REQUIRE(co->size() == 2);
  CHECK(co->at(0).author.id == bo);
  CHECK(co->at(0).papers == 2);
  CHECK(co->at(1).author.id == ed);
  CHECK(co->at(1).papers == 1);

  auto hood = snap->Neighborhood(GraphKind::kAuthor, ann, 2);
  REQUIRE(hood.ok());
  std::map<uint64_t, uint32_t> reached;
  for (auto& c = *hood; c->Valid(); c->Next()) reached[c->id()] = c->distance();
  REQUIRE((*hood)->status().ok());
  CHECK(reached == std::map<uint64_t, uint32_t>{{bo, 1}, {ed, 1}, {cy, 2}});
  CHECK(absl::IsInvalidArgument(snap->Neighborhood(GraphKind::kCountry, ann, 1).status()));
  CHECK(absl::IsNotFound(snap->Neighborhood(GraphKind::kAuthor, 999999, 1).status()));

  auto path = snap->ShortestPath(GraphKind::kAuthor, ed, di);
  REQUIRE(path.ok());
  std::vector<uint64_t> ids;
  for (const auto& s : *path) ids.push_back(s.id);
  CHECK(ids == std::vector<uint64_t>{ed, ann, bo, cy, di});
  CHECK(path->front().via_paper == 0);
  CHECK(path->back().via_paper == three);
  CHECK(path->back().name == "Di Müller");
  auto short_path = snap->ShortestPath(GraphKind::kAuthor, ed, di, 3);
  REQUIRE(short_path.ok());
  CHECK(short_path->empty());  // 4 hops needed

  auto mit = snap->FindInstitutions("MIT", NameMatch::kExact);
  auto eth = snap->FindInstitutions("ETH Zurich", NameMatch::kExact);
  REQUIRE((mit.ok() && eth.ok()));
  auto inst_path = snap->ShortestPath(GraphKind::kInstitution, mit->front().id, eth->front().id);
  REQUIRE(inst_path.ok());
  std::vector<std::string> names;
  for (const auto& s : *inst_path) names.push_back(s.name);
  CHECK(names == std::vector<std::string>{"MIT", "Peking University", "HKUST", "ETH Zurich"});

  auto top = snap->MostProlificAuthors(2);
  REQUIRE(top.ok());
  REQUIRE(top->size() == 2);
  CHECK(top->at(0).author.id == ann);  // p1, p4, p5
  CHECK(top->at(0).papers == 3);
  CHECK(top->at(1).author.id == bo);  // p1, p2, p5
}

TEST_CASE("A Snapshot keeps answering from its own state while papers are added", "[api][query]") {
  World w;
  auto before = w.db->NewSnapshot();
  const uint64_t ann = AuthorId(*before, "Ann Lee");
  const std::string more = w.dir.Write("conf2021.json", R"json([
    {"id": "p6", "title": "Six", "status": "Poster", "author": "Ann Lee; Fay Zhu",
     "aff_unique_index": "0;1", "aff_unique_norm": "MIT;Tsinghua University",
     "aff_country_unique_index": "0;1", "aff_country_unique": "United States;China"}])json");
  REQUIRE(w.db->Ingest({more}).ok());
  auto after = w.db->NewSnapshot();

  CHECK(Titles(*before->Papers({.all_countries = {"US", "CN"}})) ==
        std::vector<std::string>{"One"});
  CHECK(Titles(*after->Papers({.all_countries = {"US", "CN"}})) ==
        std::vector<std::string>{"One", "Six"});
  auto co_before = before->CoAuthors(ann);
  auto co_after = after->CoAuthors(ann);
  REQUIRE((co_before.ok() && co_after.ok()));
  CHECK(co_before->size() == 2);
  CHECK(co_after->size() == 3);
  CHECK(before->FindAuthors("Fay Zhu", NameMatch::kExact)->empty());
  CHECK(after->FindAuthors("Fay Zhu", NameMatch::kExact)->size() == 1);
}
