// Database::Compact on real paper lists: the files become one sorted run per column family,
// and nothing a reader can ask for changes.

#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "collabgraph/database.h"
#include "collabgraph/json.h"
#include "test_util.h"

using namespace collabgraph;
using collabgraph::testing::TempDir;

namespace {

// Everything the compaction must leave as it was: the content hash, the integrity check, and
// the three questions of bench/query_bench.cc.
struct Answers {
  uint64_t hash = 0;
  std::string info;
  std::map<int, uint64_t> us_cn_per_year;
  std::string pairs;
  uint64_t top_author = 0;
  std::vector<std::pair<uint64_t, uint32_t>> two_hop;  // (author, distance)
  bool operator==(const Answers&) const = default;
};

Answers Ask(const Database& db) {
  Answers a;
  auto hash = db.ContentHash();
  REQUIRE(hash.ok());
  a.hash = *hash;
  auto check = db.Check();
  REQUIRE(check.ok());
  CHECK(check->ok());
  auto info = db.Info();
  REQUIRE(info.ok());
  for (const auto& [label, n] : info->nodes) a.info += label + "=" + std::to_string(n) + " ";
  for (const auto& [type, n] : info->edges) a.info += type + "=" + std::to_string(n) + " ";
  auto snap = db.NewSnapshot();
  auto papers = snap->Papers({.all_countries = {"US", "CN"}});
  for (; papers->Valid(); papers->Next()) ++a.us_cn_per_year[papers->paper().year];
  REQUIRE(papers->status().ok());
  PaperQuery every;
  every.filters.include_rejected = true;
  auto pairs = snap->CountryPairs(every);
  REQUIRE(pairs.ok());
  for (const auto& p : *pairs) a.pairs += p.a + "-" + p.b + ":" + std::to_string(p.papers) + " ";
  auto top = snap->MostProlificAuthors(1);
  REQUIRE(top.ok());
  REQUIRE(!top->empty());
  a.top_author = top->front().author.id;
  auto hood = snap->Neighborhood(GraphKind::kAuthor, a.top_author, 2);
  REQUIRE(hood.ok());
  for (; (*hood)->Valid(); (*hood)->Next()) {
    a.two_hop.emplace_back((*hood)->id(), (*hood)->distance());
  }
  REQUIRE((*hood)->status().ok());
  return a;
}

}  // namespace

TEST_CASE("Compact: one sorted run per column family, the same answers before and after",
          "[api][data]") {
  const std::string nips = testing::DataDir() + "/paperlists/nips/";
  if (!std::filesystem::exists(nips + "nips2021.json.gz")) return;
  TempDir dir;
  const std::string path = dir.Sub("db");
  Answers before;
  {
    // Small memtables and one ingest per file: many level-0 files, as a long ingest leaves.
    OpenOptions options;
    options.write_buffer_bytes = size_t{1} << 20;
    auto db = Database::Open(path, options);
    REQUIRE(db.ok());
    for (const char* year : {"2014", "2015", "2016", "2021"}) {
      auto report = (*db)->Ingest({nips + "nips" + year + ".json.gz"});
      REQUIRE(report.ok());
    }
    before = Ask(**db);
    CHECK(before.us_cn_per_year.size() >= 4);
    CHECK(before.two_hop.size() > 100);

    auto report = (*db)->Compact();
    REQUIRE(report.ok());
    INFO(ToJson(*report));
    CHECK(report->sorted_runs_before > 5);
    CHECK(report->sorted_runs_after == 6);  // every column family holds records
    CHECK(report->bytes_after > 0);
    CHECK(report->seconds >= 0);
    CHECK(Ask(**db) == before);

    // A second compaction finds nothing to merge.
    auto again = (*db)->Compact();
    REQUIRE(again.ok());
    CHECK(again->sorted_runs_before == 6);
    CHECK(again->sorted_runs_after == 6);
  }
  OpenOptions read_only;
  read_only.read_only = true;
  auto db = Database::Open(path, read_only);
  REQUIRE(db.ok());
  CHECK(Ask(**db) == before);
  auto refused = (*db)->Compact();
  CHECK(absl::IsFailedPrecondition(refused.status()));
  CHECK(refused.status().message().find(path) != std::string::npos);
}

TEST_CASE("Compact: two threads compacting at once both succeed", "[api][data]") {
  const std::string nips = testing::DataDir() + "/paperlists/nips/";
  if (!std::filesystem::exists(nips + "nips2016.json.gz")) return;
  TempDir dir;
  OpenOptions options;
  options.write_buffer_bytes = size_t{1} << 20;
  auto db = Database::Open(dir.Sub("db"), options);
  REQUIRE(db.ok());
  for (const char* year : {"2015", "2016"}) {
    REQUIRE((*db)->Ingest({nips + "nips" + year + ".json.gz"}).ok());
  }
  auto hash = (*db)->ContentHash();
  REQUIRE(hash.ok());
  absl::StatusOr<CompactReport> results[2];
  std::thread other([&] { results[1] = (*db)->Compact(); });
  results[0] = (*db)->Compact();
  other.join();
  for (const auto& r : results) {
    REQUIRE(r.ok());
    CHECK(r->sorted_runs_after == 6);
  }
  auto after = (*db)->ContentHash();
  REQUIRE(after.ok());
  CHECK(*after == *hash);
}
