#include "model/check.h"

#include <filesystem>

#include <catch2/catch.hpp>

#include "ingest/loader.h"
#include "model/keys.h"
#include "model/roster.h"
#include "storage/test_hooks.h"
#include "test_util.h"
#include "util/coding.h"

using namespace collabgraph;
using namespace collabgraph::model;
using collabgraph::testing::TempDir;

namespace {

// A database of one real NeurIPS year, built once and copied for each corruption.
const std::string& BaseDatabase() {
  static TempDir* dir = new TempDir();
  static const std::string path = [] {
    const std::string db = dir->Sub("base");
    auto graph = Graph::Open(db, {});
    REQUIRE(graph.ok());
    auto report = ingest::IngestFiles(
        graph->get(), {testing::DataDir() + "/paperlists/nips/nips1994.json.gz"}, {});
    REQUIRE(report.ok());
    return db;
  }();
  return path;
}

std::vector<std::string> Invariants(const CheckReport& r) {
  std::vector<std::string> out;
  for (const auto& v : r.violations) out.push_back(v.invariant);
  return out;
}

// Copies the base database, applies `corrupt` to its store, and runs the check.
CheckReport CheckAfter(const std::function<void(storage::Store&, ReadView&)>& corrupt) {
  TempDir dir;
  const std::string db = dir.Sub("db");
  std::filesystem::copy(BaseDatabase(), db, std::filesystem::copy_options::recursive);
  auto graph = Graph::Open(db, {});
  REQUIRE(graph.ok());
  {
    auto view = (*graph)->NewReadView();
    corrupt((*graph)->mutable_store(), *view);
  }
  auto report = CheckGraph(*(*graph)->NewReadView());
  REQUIRE(report.ok());
  return *report;
}

void Apply(storage::Store& store, const std::function<void(storage::WriteBatch&)>& fill) {
  auto batch = store.NewBatch();
  fill(*batch);
  REQUIRE(store.Write(batch.get(), false).ok());
}

// The first edge record of `type` in `dir`.
EdgeKeyParts FirstEdge(ReadView& view, EdgeType type, Direction dir) {
  std::optional<EdgeKeyParts> first;
  REQUIRE(view.ScanEdges(type, dir, std::nullopt,
                         [&](const EdgeKeyParts& e, std::string_view) {
                           if (!first) first = e;
                         })
              .ok());
  REQUIRE(first.has_value());
  return *first;
}

// Replaces the encoded roster of `paper` inside its chunk.
void ReplaceRoster(storage::Store& store, ReadView& view, NodeId paper, const std::string& roster) {
  const std::string key = RosterChunkKey(RosterChunkOf(paper));
  std::string value;
  REQUIRE(view.ScanRaw(storage::Cf::kRosters,
                       [&](std::string_view k, std::string_view v) {
                         if (k == key) value = std::string(v);
                       })
              .ok());
  RosterChunk papers;
  REQUIRE(DecodeRosterChunk(RosterChunkOf(paper), value, &papers));
  bool replaced = false;
  for (auto& [id, encoded] : papers) {
    if (id == paper) {
      encoded = roster;
      replaced = true;
    }
  }
  REQUIRE(replaced);
  Apply(store, [&](storage::WriteBatch& b) {
    b.Put(storage::Cf::kRosters, key, EncodeRosterChunk(papers));
  });
}

std::string U64(uint64_t v) {
  std::string s;
  util::PutFixed64BE(&s, v);
  return s;
}

}  // namespace

TEST_CASE("check passes on a real ingest", "[model][check]") {
  if (!std::filesystem::exists(testing::DataDir() + "/paperlists")) return;
  auto report = CheckAfter([](storage::Store&, ReadView&) {});
  CHECK(report.violation_count == 0);
  CHECK(report.nodes > 0);
  CHECK(report.edges > 0);
}

TEST_CASE("check reports each corrupted invariant", "[model][check]") {
  if (!std::filesystem::exists(testing::DataDir() + "/paperlists")) return;
  using storage::Cf;
  struct Case {
    std::string invariant;
    std::function<void(storage::Store&, ReadView&)> corrupt;
  };
  const std::vector<Case> cases = {
      {"key",
       [](storage::Store& s, ReadView&) {
         Apply(s, [](storage::WriteBatch& b) { b.Put(Cf::kNodes, std::string("\x09xyz", 4), ""); });
       }},
      {"key",
       [](storage::Store& s, ReadView&) {
         Apply(s, [](storage::WriteBatch& b) {
           b.Put(Cf::kEdges, std::string("\x01\x01short", 7), "");
         });
       }},
      {"key",
       [](storage::Store& s, ReadView&) {
         Apply(s,
               [](storage::WriteBatch& b) { b.Put(Cf::kIndex, std::string("\x63zz", 3), U64(1)); });
       }},
      {"key",
       [](storage::Store& s, ReadView&) {
         Apply(s, [](storage::WriteBatch& b) {
           b.Put(Cf::kCounters, std::string("\x01\x01", 2), "abc");
         });
       }},
      {"value",
       [](storage::Store& s, ReadView&) {
         Apply(s, [](storage::WriteBatch& b) {
           b.Put(Cf::kNodes, NodeKey(Label::kAuthor, 1), "\x05garbage");
         });
       }},
      {"reverse_edge",
       [](storage::Store& s, ReadView& v) {
         const EdgeKeyParts e = FirstEdge(v, EdgeType::kAuthored, Direction::kIn);
         Apply(s, [&](storage::WriteBatch& b) { b.Delete(Cf::kEdges, EdgeKey(e)); });
       }},
      {"reverse_edge",
       [](storage::Store& s, ReadView& v) {
         const EdgeKeyParts e = FirstEdge(v, EdgeType::kLocatedIn, Direction::kOut);
         Apply(s,
               [&](storage::WriteBatch& b) { b.Put(Cf::kEdges, EdgeKey(e), "\x01\x01x\x04\x01"); });
       }},
      {"dangling_edge",
       [](storage::Store& s, ReadView& v) {
         const EdgeKeyParts e = FirstEdge(v, EdgeType::kAffiliated, Direction::kOut);
         Apply(s, [&](storage::WriteBatch& b) {
           b.Put(Cf::kEdges, EdgeKey({EdgeType::kAffiliated, Direction::kOut, e.a, 999999, 0}),
                 "\x00");
           b.Put(Cf::kEdges, EdgeKey({EdgeType::kAffiliated, Direction::kIn, 999999, e.a, 0}),
                 "\x00");
         });
       }},
      {"authorship_positions",
       [](storage::Store& s, ReadView& v) {
         const EdgeKeyParts e = FirstEdge(v, EdgeType::kAuthored, Direction::kOut);
         Apply(s, [&](storage::WriteBatch& b) {
           b.Delete(Cf::kEdges, EdgeKey(e));
           b.Delete(Cf::kEdges, EdgeKey({e.type, Direction::kIn, e.b, e.a, e.rank}));
           b.Put(Cf::kEdges, EdgeKey({e.type, Direction::kOut, e.a, e.b, e.rank + 40}),
                 std::string(1, '\0'));
           b.Put(Cf::kEdges, EdgeKey({e.type, Direction::kIn, e.b, e.a, e.rank + 40}),
                 std::string(1, '\0'));
         });
       }},
      {"index_to_node",
       [](storage::Store& s, ReadView&) {
         Apply(s, [](storage::WriteBatch& b) {
           b.Put(Cf::kIndex, StringIndexKey(IndexKind::kAuthorKey, "name:nobody"), U64(424242));
         });
       }},
      {"index_to_node",
       [](storage::Store& s, ReadView&) {
         Apply(s, [](storage::WriteBatch& b) {
           b.Put(Cf::kIndex, NodeNameKey(Label::kAuthor, "Nobody At All", 1), "");
         });
       }},
      {"index_to_node",
       [](storage::Store& s, ReadView&) {
         Apply(s, [](storage::WriteBatch& b) {
           b.Put(Cf::kIndex, ExternalIdKey("orcid", "0000-0001"), U64(1));
         });
       }},
      {"node_to_index",
       [](storage::Store& s, ReadView& v) {
         auto props = v.GetNode(Label::kAuthor, 1);
         REQUIRE(props.ok());
         Apply(s, [&](storage::WriteBatch& b) {
           b.Delete(Cf::kIndex, NodeNameKey(Label::kAuthor, *props->GetString("name"), 1));
         });
       }},
      {"node_to_index",
       [](storage::Store& s, ReadView&) {
         Apply(s, [](storage::WriteBatch& b) {
           b.Delete(Cf::kIndex, StringIndexKey(IndexKind::kVenueName, "nips"));
         });
       }},
      {"node_to_index",
       [](storage::Store& s, ReadView& v) {
         std::optional<std::pair<NodeId, std::string>> paper;
         REQUIRE(v.ScanNodes(Label::kPaper, [&](NodeId id, std::string_view) {
                    if (!paper) paper = {id, ""};
                  }).ok());
         auto props = v.GetNode(Label::kPaper, paper->first);
         REQUIRE(props.ok());
         Apply(s, [&](storage::WriteBatch& b) {
           b.Delete(Cf::kIndex,
                    PaperByYearKey(static_cast<int>(*props->GetInt("year")), paper->first));
         });
       }},
      {"roster",  // the papers of the first chunk without their rosters
       [](storage::Store& s, ReadView&) {
         Apply(s, [](storage::WriteBatch& b) { b.Delete(Cf::kRosters, RosterChunkKey(0)); });
       }},
      {"roster",  // paper 1's roster lists too many authors
       [](storage::Store& s, ReadView& v) {
         Roster r;
         r.authors = {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}, {6, 7}, {7, 8}, {8, 9}};
         ReplaceRoster(s, v, 1, EncodeRoster(r));
       }},
      {"index_to_node",  // a roster of a paper that does not exist
       [](storage::Store& s, ReadView&) {
         Apply(s, [](storage::WriteBatch& b) {
           b.Put(Cf::kRosters, RosterChunkKey(777777),
                 EncodeRosterChunk({{777777 * 64, EncodeRoster({})}}));
         });
       }},
      {"value",  // a roster that does not decode
       [](storage::Store& s, ReadView& v) { ReplaceRoster(s, v, 1, std::string("\x05\x01", 2)); }},
      {"value",  // a chunk that does not decode
       [](storage::Store& s, ReadView&) {
         Apply(s, [](storage::WriteBatch& b) {
           b.Put(Cf::kRosters, RosterChunkKey(0), std::string("\x02\x07", 2));
         });
       }},
      {"counter",
       [](storage::Store& s, ReadView&) {
         Apply(s, [](storage::WriteBatch& b) {
           b.Put(Cf::kCounters,
                 CounterKey(CounterKind::kNodeCount, static_cast<uint8_t>(Label::kPaper)), U64(7));
         });
       }},
      {"counter",
       [](storage::Store& s, ReadView&) {
         Apply(s, [](storage::WriteBatch& b) {
           b.Put(Cf::kCounters,
                 CounterKey(CounterKind::kEdgeCount, static_cast<uint8_t>(EdgeType::kAuthored)),
                 U64(1));
         });
       }},
      {"counter",
       [](storage::Store& s, ReadView&) {
         Apply(s, [](storage::WriteBatch& b) {
           b.Put(Cf::kCounters,
                 CounterKey(CounterKind::kNextId, static_cast<uint8_t>(Label::kAuthor)), U64(2));
         });
       }},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    const CheckReport report = CheckAfter(cases[i].corrupt);
    const auto found = Invariants(report);
    INFO("case " << i << " (" << cases[i].invariant << "): reported " << report.violation_count);
    CHECK(std::find(found.begin(), found.end(), cases[i].invariant) != found.end());
  }
}

TEST_CASE("check names each edge record without its mirror, and mirrors that disagree",
          "[model][data]") {
  if (!std::filesystem::exists(testing::DataDir() + "/paperlists")) return;
  using storage::Cf;
  // Two records without their mirror in one type (one per direction), one value disagreement
  // in another, on top of an otherwise whole graph: the fingerprint sums differ, and the
  // second reading must name exactly these three.
  EdgeKeyParts out_gone{};
  EdgeKeyParts in_gone{};
  EdgeKeyParts changed{};
  const CheckReport report = CheckAfter([&](storage::Store& s, ReadView& v) {
    out_gone = FirstEdge(v, EdgeType::kAuthored, Direction::kOut);
    // An in record of another edge than out_gone's.
    bool found = false;
    REQUIRE(v.ScanEdges(EdgeType::kAuthored, Direction::kIn, std::nullopt,
                        [&](const EdgeKeyParts& e, std::string_view) {
                          if (!found && !(e.b == out_gone.a && e.a == out_gone.b)) {
                            in_gone = e;
                            found = true;
                          }
                        })
                .ok());
    REQUIRE(found);
    changed = FirstEdge(v, EdgeType::kAffiliated, Direction::kOut);
    Apply(s, [&](storage::WriteBatch& b) {
      b.Delete(Cf::kEdges, EdgeKey(out_gone));
      b.Delete(Cf::kEdges, EdgeKey(in_gone));
      b.Put(Cf::kEdges, EdgeKey({changed.type, Direction::kIn, changed.b, changed.a, changed.rank}),
            "\x01\x01x\x04\x01");
    });
  });
  std::vector<std::string> details;
  for (const auto& v : report.violations) {
    if (v.invariant == "reverse_edge") details.push_back(v.detail);
  }
  INFO(report.violation_count << " violations");
  const std::string out_missing = "AUTHORED " + std::to_string(out_gone.b) + " <- " +
                                  std::to_string(out_gone.a) + " rank " +
                                  std::to_string(out_gone.rank) + ": the out record is missing";
  const std::string in_missing = "AUTHORED " + std::to_string(in_gone.b) + " -> " +
                                 std::to_string(in_gone.a) + " rank " +
                                 std::to_string(in_gone.rank) + ": the in record is missing";
  CHECK(details.size() == 3);
  CHECK(std::count(details.begin(), details.end(), out_missing) == 1);
  CHECK(std::count(details.begin(), details.end(), in_missing) == 1);
  CHECK(std::count_if(details.begin(), details.end(), [](const std::string& d) {
          return d.rfind("AFFILIATED directions disagree on properties at ", 0) == 0;
        }) == 1);
}

TEST_CASE("check names how a roster differs from its paper's edges", "[model][data]") {
  if (!std::filesystem::exists(testing::DataDir() + "/paperlists")) return;
  Roster edges;
  const CheckReport report = CheckAfter([&](storage::Store& s, ReadView& v) {
    REQUIRE(v.ScanEdges(EdgeType::kAuthored, Direction::kIn, 1,
                        [&](const EdgeKeyParts& e, std::string_view) {
                          edges.authors.emplace_back(e.rank, e.b);
                        })
                .ok());
    REQUIRE(v.ScanEdges(EdgeType::kAffiliated, Direction::kOut, 1,
                        [&](const EdgeKeyParts& e, std::string_view) {
                          edges.institutions.emplace_back(e.rank, e.b);
                        })
                .ok());
    REQUIRE(!edges.authors.empty());
    // The stored roster names another author at position 0.
    Roster wrong = edges;
    wrong.authors[0].second = 999999;
    ReplaceRoster(s, v, 1, EncodeRoster(wrong));
  });
  std::sort(edges.authors.begin(), edges.authors.end());
  REQUIRE(report.violation_count == 1);
  const auto& v = report.violations.front();
  CHECK(v.invariant == "roster");
  const std::string edge_author = "0:" + std::to_string(edges.authors[0].second);
  CHECK(v.detail.find("Paper 1: roster lists authors [0:999999") == 0);
  CHECK(v.detail.find("its edges authors [" + edge_author) != std::string::npos);
}

TEST_CASE("A bulk ingest leaves the rosters and the index one sorted run, and check accepts it",
          "[model][data]") {
  if (!std::filesystem::exists(testing::DataDir() + "/paperlists")) return;
  // Batches of bulk_batch papers rounded up to whole chunks of 64 (a batch ends with a chunk),
  // each with edges keyed by authors: every 16th starts a merge, during the load, of the
  // author-keyed files above the last merged run (storage::Store::MaybeStartEdgeMerge).
  struct Case {
    std::vector<int> years;
    size_t bulk_batch;
    uint64_t batches;
    int edge_runs;  // sorted runs of the edges keyed by authors, as FinishBulk leaves them
  };
  auto years = [](int first, int last) {
    std::vector<int> all;
    for (int y = first; y <= last; ++y) all.push_back(y);
    return all;
  };
  const Case cases[] = {
      // 140 papers, two batches: the second batch's author-keyed files lie above the first
      // one's, on the bottom level; the merge at the end leaves them there, one run.
      {{1994}, 100, 2, 2},
      // 997 papers, 16 batches: batches 2 to 16 are merged during the load, into one run
      // above the first batch's; nothing is left to merge at the end.
      {years(1987, 1994), 64, 16, 2},
      // 5,417 papers, 85 batches: merges during the load after batches 16, 32, 48 and 64,
      // onto levels 5, 4, 3 and 2; level 1 is kept for the end, which merges batches 65 to 85
      // onto it: the first batch's run and 5 more.
      {years(1996, 2016), 64, 85, 6},
  };
  // The third case again, each merge during the load held back 300 ms, far longer than 16
  // batches of 64 papers take: the next merge is then due while the previous one runs, and
  // waits for it; the runs left are the same.
  struct Restore {
    ~Restore() { storage::SetEdgeMergeDelayForTesting(0); }
  } restore;
  for (size_t run = 0; run < 4; ++run) {
    const Case& c = cases[std::min<size_t>(run, 2)];
    storage::SetEdgeMergeDelayForTesting(run == 3 ? 300 : 0);
    CAPTURE(run);
    std::vector<std::string> files;
    for (const int year : c.years) {
      files.push_back(testing::DataDir() + "/paperlists/nips/nips" + std::to_string(year) +
                      ".json.gz");
    }
    TempDir dir;
    auto graph = Graph::Open(dir.Sub("db"), {});
    REQUIRE(graph.ok());
    IngestOptions options;
    options.bulk = true;
    options.bulk_batch = c.bulk_batch;
    auto report = ingest::IngestFiles(graph->get(), files, options);
    REQUIRE(report.ok());
    const uint64_t papers = (*graph)->NewReadView()->NodeCount(Label::kPaper).value();
    const uint64_t chunk_papers = 64;
    const uint64_t batch_papers = (c.bulk_batch + chunk_papers - 1) / chunk_papers * chunk_papers;
    REQUIRE((papers + batch_papers - 1) / batch_papers == c.batches);
    // Each batch ended with a chunk, so no two rosters files overlap and RocksDB put each on
    // the bottom level. The end of the ingest merged the index, whose batches all overlap,
    // into one run (storage::Store::FinishBulk).
    const storage::Store& store = (*graph)->store();
    CHECK(store.SortedRuns(storage::Cf::kRosters) == 1);
    CHECK(store.SortedRuns(storage::Cf::kIndex) == 1);
    // The edges keyed by new papers went to the bottom level batch by batch: one run. Those
    // keyed by authors overlapped from the second batch on; the merges left the bottom level
    // alone.
    const std::string authored_in = {static_cast<char>(EdgeType::kAuthored),
                                     static_cast<char>(Direction::kIn)};
    const std::string authored_out = {static_cast<char>(EdgeType::kAuthored),
                                      static_cast<char>(Direction::kOut)};
    CHECK(store.SortedRuns(storage::Cf::kEdges, authored_in) == 1);
    CHECK(store.SortedRuns(storage::Cf::kEdges, authored_out) == c.edge_runs);
    CHECK(store.SortedRuns(storage::Cf::kEdges) == c.edge_runs);
    auto checked = CheckGraph(*(*graph)->NewReadView());
    REQUIRE(checked.ok());
    CHECK(checked->violation_count == 0);
    // The same content as a record-by-record ingest of the same files.
    auto bulk_hash = ContentHash(*(*graph)->NewReadView());
    REQUIRE(bulk_hash.ok());
    auto plain = Graph::Open(dir.Sub("plain"), {});
    REQUIRE(plain.ok());
    REQUIRE(ingest::IngestFiles(plain->get(), files, {}).ok());
    auto plain_hash = ContentHash(*(*plain)->NewReadView());
    REQUIRE(plain_hash.ok());
    CHECK(*bulk_hash == *plain_hash);
  }
}

TEST_CASE("A bulk ingest writes a file per stream, so new papers need no compaction",
          "[model][data]") {
  if (!std::filesystem::exists(testing::DataDir() + "/paperlists")) return;
  std::vector<std::string> files;
  for (int year = 1987; year <= 2016; ++year) {
    files.push_back(testing::DataDir() + "/paperlists/nips/nips" + std::to_string(year) +
                    ".json.gz");
  }
  TempDir dir;
  auto graph = Graph::Open(dir.Sub("db"), {});
  REQUIRE(graph.ok());
  IngestOptions options;
  options.bulk = true;
  options.bulk_batch = 2000;  // 3 batches and a smaller one
  auto report = ingest::IngestFiles(graph->get(), files, options);
  REQUIRE(report.ok());
  const storage::Store& store = (*graph)->store();
  REQUIRE(store.SortedRuns(storage::Cf::kNodes) > 1);
  // The Paper nodes of each batch had a file of their own, after the previous batch's: one
  // run on the bottom level. Authors, whose ids also grow, share files with the few
  // institutions, countries and venues, whose ids do too, but whose files overlap.
  const std::string paper_label(1, static_cast<char>(Label::kPaper));
  CHECK(store.SortedRuns(storage::Cf::kNodes, paper_label) == 1);
  CHECK(store.SortedRuns(storage::Cf::kEdges) == 2);  // the bottom level and one above it
  auto checked = CheckGraph(*(*graph)->NewReadView());
  REQUIRE(checked.ok());
  CHECK(checked->violation_count == 0);
}
