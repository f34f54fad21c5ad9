#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>

#include <catch2/catch.hpp>

#include "ingest/paperlists_reader.h"
#include "model/graph.h"
#include "model/keys.h"
#include "model/paper_writer.h"
#include "test_util.h"

using namespace collabgraph;
using namespace collabgraph::model;
using collabgraph::testing::TempDir;

namespace {

// Real papers in write order: paper id i+1 is papers[i] (ids are allocated 1, 2, 3, ...).
std::vector<PaperInput> RealPapers() {
  std::vector<PaperInput> papers;
  std::vector<std::filesystem::path> files;
  for (const auto& e :
       std::filesystem::directory_iterator(testing::DataDir() + "/paperlists/nips")) {
    files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    auto parsed = ingest::ReadPaperlistsFile(f.string(), {});
    REQUIRE(parsed.ok());
    for (auto& p : parsed->papers) papers.push_back(std::move(p));
  }
  return papers;
}

struct Outcome {
  uint64_t checks = 0;
  uint64_t checks_during_writes = 0;
  uint64_t violations = 0;
};

// One check, made of several reads: the paper counter c says papers 1..c exist. Paper c must
// be whole (its author positions are 0..k-1 with k its number of authorships, and its source
// index entry exists) and paper c+1 must not exist at all. A random earlier paper must be
// whole too.
bool CheckOnce(const ReadView& view, const std::vector<PaperInput>& papers, std::mt19937_64& rng) {
  auto count = view.NodeCount(Label::kPaper);
  if (!count.ok()) return false;
  const uint64_t c = *count;
  auto whole = [&](NodeId id) {
    size_t authors = 0;
    bool ranks_ok = true;
    if (!view.ScanEdges(EdgeType::kAuthored, Direction::kIn, id,
                        [&](const EdgeKeyParts& e, std::string_view) {
                          ranks_ok = ranks_ok && e.rank < papers[id - 1].authorships.size();
                          ++authors;
                        })
             .ok()) {
      return false;
    }
    const PaperInput& p = papers[id - 1];
    auto indexed = view.Lookup(PaperSourceIndexKey(p.venue, p.year, p.source_id));
    return ranks_ok && authors == p.authorships.size() && view.GetNode(Label::kPaper, id).ok() &&
           indexed.ok() && indexed->has_value() && **indexed == id;
  };
  if (c > 0 && (!whole(c) || !whole(1 + rng() % c))) return false;
  if (c < papers.size()) {
    if (!absl::IsNotFound(view.GetNode(Label::kPaper, c + 1).status())) return false;
    bool any_edge = false;
    if (!view.ScanEdges(EdgeType::kAuthored, Direction::kIn, c + 1,
                        [&](const EdgeKeyParts&, std::string_view) { any_edge = true; })
             .ok() ||
        any_edge) {
      return false;
    }
  }
  return true;
}

Outcome RunWriterAndReaders(bool snapshots, uint64_t min_checks) {
  static const std::vector<PaperInput> papers = RealPapers();
  TempDir dir;
  auto graph = Graph::Open(dir.Sub("db"), {});
  REQUIRE(graph.ok());
  std::atomic<bool> writing{true};
  std::atomic<uint64_t> checks{0}, during{0}, violations{0};
  std::atomic<bool> write_failed{false};
  // Catch2 assertions are not thread-safe: threads only record outcomes.
  std::thread writer([&] {
    auto w = (*graph)->NewWriter();
    for (size_t i = 0; w.ok() && i < papers.size(); ++i) {
      if (!WritePaper(w->get(), papers[i], false).ok()) write_failed = true;
    }
    if (!w.ok()) write_failed = true;
    writing = false;
  });
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&, t] {
      std::mt19937_64 rng(t + 1);
      const storage::Store* store = &(*graph)->store();
      while (writing || checks < min_checks) {
        const bool active = writing;
        auto view = snapshots ? std::make_unique<ReadView>(store)
                              : ReadView::WithoutSnapshotForTesting(store);
        if (!CheckOnce(*view, papers, rng)) ++violations;
        ++checks;
        if (active) ++during;
        if (!snapshots && violations > 0 && !writing) break;
      }
    });
  }
  writer.join();
  for (auto& r : readers) r.join();
  REQUIRE_FALSE(write_failed);
  return {checks.load(), during.load(), violations.load()};
}

}  // namespace

TEST_CASE("Readers under snapshots never see part of a paper while a writer ingests",
          "[model][concurrency]") {
  if (!std::filesystem::exists(testing::DataDir() + "/paperlists/nips")) return;
  const Outcome with = RunWriterAndReaders(/*snapshots=*/true, 100000);
  WARN("with snapshots: " << with.checks << " checks (" << with.checks_during_writes
                          << " while writing), " << with.violations << " violations");
  CHECK(with.checks >= 100000);
  CHECK(with.checks_during_writes > 1000);
  CHECK(with.violations == 0);

  // The same checks reading the latest state at each step must catch the writer between two
  // reads: proof that the test can fail.
  const Outcome without = RunWriterAndReaders(/*snapshots=*/false, 0);
  WARN("without snapshots: " << without.checks << " checks, " << without.violations
                             << " violations");
  CHECK(without.violations > 0);
}

// The soak version (scripts/soak.sh): rounds of the test above, each into a fresh database,
// until COLLABGRAPH_SOAK_SECONDS (default 60) have passed. Hidden: run it with "[soak]".
TEST_CASE("Readers under snapshots stay consistent beside a writer for a long soak",
          "[.soak][model][concurrency]") {
  if (!std::filesystem::exists(testing::DataDir() + "/paperlists/nips")) return;
  const char* env = std::getenv("COLLABGRAPH_SOAK_SECONDS");
  const double seconds = env != nullptr ? std::atof(env) : 60.0;
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  Outcome total;
  uint64_t rounds = 0;
  do {
    const Outcome round = RunWriterAndReaders(/*snapshots=*/true, 0);
    total.checks += round.checks;
    total.checks_during_writes += round.checks_during_writes;
    total.violations += round.violations;
    ++rounds;
  } while (elapsed() < seconds);
  // One line scripts/soak.sh parses.
  std::printf(
      "soak-concurrency: seconds=%.0f rounds=%llu checks=%llu during_writes=%llu "
      "violations=%llu\n",
      elapsed(), static_cast<unsigned long long>(rounds),
      static_cast<unsigned long long>(total.checks),
      static_cast<unsigned long long>(total.checks_during_writes),
      static_cast<unsigned long long>(total.violations));
  CHECK(total.checks_during_writes > 0);
  CHECK(total.violations == 0);
}
