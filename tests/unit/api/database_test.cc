#include "collabgraph/database.h"

#include <filesystem>

#include <catch2/catch.hpp>

#include "collabgraph/json.h"
#include "test_util.h"

using namespace collabgraph;
using collabgraph::testing::TempDir;

namespace {

constexpr const char* kSmallList = R"json([
  {"id": "p1", "title": "One", "status": "Poster", "author": "Ann Lee; Bo Chen",
   "aff_unique_index": "0;1", "aff_unique_norm": "MIT;Peking University",
   "aff_country_unique_index": "0;1", "aff_country_unique": "United States;China"},
  {"id": "p2", "title": "Two", "status": "Reject", "author": "Ann Lee",
   "aff_unique_index": "0", "aff_unique_norm": "MIT",
   "aff_country_unique_index": "0", "aff_country_unique": "United States"},
  {"id": "p3", "title": "Three", "status": "Oral", "author": "Cy Dee",
   "aff_unique_index": "0", "aff_unique_norm": "ETH Zurich",
   "aff_country_unique_index": "0", "aff_country_unique": "Switzerland"}])json";

uint64_t Count(const DatabaseInfo& info, const std::string& label) {
  for (const auto& [name, n] : info.nodes) {
    if (name == label) return n;
  }
  for (const auto& [name, n] : info.edges) {
    if (name == label) return n;
  }
  FAIL("no counter " << label);
  return 0;
}

}  // namespace

TEST_CASE("Database: ingest, reopen, and the statistics a later open reads", "[api]") {
  TempDir dir;
  const std::string file = dir.Write("conf2020.json", kSmallList);
  {
    auto db = Database::Open(dir.Sub("db"));
    REQUIRE(db.ok());
    auto report = (*db)->Ingest({file});
    REQUIRE(report.ok());
    CHECK(report->files.at(0).added == 3);
    CHECK(report->files.at(0).rejected == 1);
  }
  OpenOptions ro;
  ro.read_only = true;
  auto db = Database::Open(dir.Sub("db"), ro);
  REQUIRE(db.ok());
  auto info = (*db)->Info();
  REQUIRE(info.ok());
  CHECK(Count(*info, "Paper") == 3);
  CHECK(Count(*info, "Author") == 3);
  CHECK(Count(*info, "AUTHORED") == 4);
  CHECK(info->read_only);

  StatsOptions options;
  options.group_by = GroupBy::kYear;
  auto stats = (*db)->Stats(options);
  REQUIRE(stats.ok());
  REQUIRE(stats->groups.size() == 1);
  CHECK(stats->groups[0].key == "2020");
  CHECK(stats->groups[0].papers == 2);
  CHECK(stats->groups[0].excluded_papers == 1);
  CHECK(stats->groups[0].international_papers == 1);
  const std::string json = ToJson(*stats);
  CHECK(json.find("\"groups\":[{\"key\":\"2020\",\"papers\":2,") != std::string::npos);
  CHECK(json.rfind("{\"rules\":{\"counting\":\"full\"", 0) == 0);

  CentralityOptions copt;
  copt.graph = GraphKind::kCountry;
  auto cent = (*db)->Centrality(copt);
  REQUIRE(cent.ok());
  CHECK(cent->nodes == 3);
  CHECK(cent->edges == 1);
  CHECK(absl::IsFailedPrecondition((*db)->Ingest({file}).status()));  // read-only
}

TEST_CASE("Database: a bad file among good ones writes nothing", "[api]") {
  TempDir dir;
  const std::string good = dir.Write("conf2020.json", kSmallList);
  const std::string bad = dir.Write("conf2021.json", R"json([{"id": "x", "title": 5.5}])json");
  auto db = Database::Open(dir.Sub("db"));
  REQUIRE(db.ok());
  auto report = (*db)->Ingest({good, bad});
  REQUIRE(absl::IsInvalidArgument(report.status()));
  CHECK(report.status().message().find("conf2021.json: record 0 (id \"x\"): field \"title\"") !=
        std::string_view::npos);
  auto info = (*db)->Info();
  REQUIRE(info.ok());
  CHECK(Count(*info, "Paper") == 0);
  CHECK(Count(*info, "AUTHORED") == 0);
}

TEST_CASE("Database: a bad file after a long good one writes nothing in bulk mode", "[api]") {
  // The writer starts on each file as soon as it is parsed, and here reaches a bulk batch's
  // end (64 papers, a roster chunk) long before the end of the good files: that commit must
  // wait until every file is checked, and then never happen.
  const std::string data = collabgraph::testing::DataDir() + "/paperlists/nips";
  if (!std::filesystem::exists(data + "/nips2016.json.gz")) {
    WARN("data directory missing: " << data);
    return;
  }
  TempDir dir;
  const std::string bad = dir.Write("conf2021.json", R"json([{"id": "x", "title": 5.5}])json");
  for (const bool bad_first : {false, true}) {
    INFO("bad file first: " << bad_first);
    std::vector<std::string> files = {data + "/nips1987.json.gz", data + "/nips2016.json.gz"};
    files.insert(bad_first ? files.begin() : files.end(), bad);
    auto db = Database::Open(dir.Sub(bad_first ? "db1" : "db2"));
    REQUIRE(db.ok());
    IngestOptions options;
    options.bulk = true;
    options.bulk_batch = 1;
    auto report = (*db)->Ingest(files, options);
    REQUIRE(absl::IsInvalidArgument(report.status()));
    CHECK(report.status().message().find("conf2021.json: record 0") != std::string_view::npos);
    auto info = (*db)->Info();
    REQUIRE(info.ok());
    CHECK(Count(*info, "Paper") == 0);
    CHECK(Count(*info, "Author") == 0);
    CHECK(Count(*info, "AUTHORED") == 0);
  }
}

TEST_CASE("Database: ingesting the same file twice changes nothing", "[api]") {
  TempDir dir;
  const std::string file = dir.Write("conf2020.json", kSmallList);
  auto db = Database::Open(dir.Sub("db"));
  REQUIRE(db.ok());
  REQUIRE((*db)->Ingest({file}).ok());
  auto before = (*db)->Info().value();
  const std::string stats_before = ToJson((*db)->Stats({}).value());
  auto again = (*db)->Ingest({file});
  REQUIRE(again.ok());
  CHECK(again->files[0].added == 0);
  CHECK(again->files[0].already_present == 3);
  auto after = (*db)->Info().value();
  before.approximate_bytes = after.approximate_bytes = 0;  // compaction may differ
  CHECK(ToJson(after) == ToJson(before));
  CHECK(ToJson((*db)->Stats({}).value()) == stats_before);
  CHECK(Count(after, "Paper") == 3);
}

TEST_CASE("Database: opening garbage fails with the path in the message", "[api]") {
  TempDir dir;
  dir.Write("x", "y");
  auto db = Database::Open(dir.path());
  REQUIRE_FALSE(db.ok());
  CHECK(db.status().message().find(dir.path()) != std::string_view::npos);
  OpenOptions options;
  options.create_if_missing = false;
  CHECK(absl::IsNotFound(Database::Open(dir.Sub("nothing"), options).status()));
}
