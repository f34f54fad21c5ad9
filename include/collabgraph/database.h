#pragma once

// collabgraph::Database: the handle to one CollabGraph database, a directory holding a
// RocksDB instance (docs/format.md). Open one, ingest paper lists into it, and ask it for
// collaboration statistics and centrality rankings.
//
//   auto db = collabgraph::Database::Open("neurips.db");
//   if (!db.ok()) { /* db.status().message() names the path and the problem */ }
//   auto report = (*db)->Ingest({"nips2016.json.gz"});
//   auto stats = (*db)->Stats({.group_by = collabgraph::GroupBy::kYear});
//
// Thread-safety: all const methods may be called from many threads at once; each reads from
// its own snapshot, so it sees either all or none of any paper written concurrently. Ingest
// is serialised: a second concurrent Ingest on the same Database fails with
// FailedPrecondition. Only one process may open a database for writing.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#include "collabgraph/centrality.h"
#include "collabgraph/export.h"
#include "collabgraph/ingest.h"
#include "collabgraph/options.h"
#include "collabgraph/query.h"
#include "collabgraph/stats.h"

namespace collabgraph {

// The library version, "MAJOR.MINOR.PATCH".
const char* LibraryVersion();

struct DatabaseInfo {
  std::string path;
  uint32_t format_read = 0;     // read format version stored in the database
  uint32_t format_write = 0;    // write format version stored in the database
  uint32_t library_format = 0;  // the format version this library writes
  std::string created_by;       // library version that created the database
  bool read_only = false;
  std::vector<std::pair<std::string, uint64_t>> nodes;  // label -> count, every label
  std::vector<std::pair<std::string, uint64_t>> edges;  // edge type -> count, every type
  uint64_t approximate_bytes = 0;
};

// The outcome of Database::Check.
struct CheckResult {
  uint64_t nodes = 0;          // node records read
  uint64_t edges = 0;          // edge records read (both directions)
  uint64_t index_entries = 0;  // index records read
  uint64_t violation_count = 0;
  // (invariant, detail) of the first violations found; invariants are named in docs/format.md.
  std::vector<std::pair<std::string, std::string>> violations;
  bool ok() const { return violation_count == 0; }
};

// The outcome of Database::Compact.
struct CompactReport {
  // Sorted runs over all column families (level-0 files plus non-empty deeper levels): every
  // scan merges one cursor per run.
  uint64_t sorted_runs_before = 0;
  uint64_t sorted_runs_after = 0;
  uint64_t bytes_before = 0;  // approximate size on disk
  uint64_t bytes_after = 0;
  double seconds = 0;
};

class Database {
 public:
  // Opens or creates the database in directory `path`.
  // Errors: NotFound (no database and create_if_missing is false, or read_only);
  // FailedPrecondition (not a CollabGraph database, or a read format newer than this library
  // reads; the message names the path and both versions); Unavailable ("locked by another
  // process" when another process has it open for writing); DataLoss (corruption).
  static absl::StatusOr<std::unique_ptr<Database>> Open(const std::string& path,
                                                        const OpenOptions& options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Reads every file and, only when all of them parse, writes their papers; each paper is one
  // atomic write. Papers already present (same venue, year and source id) are left unchanged,
  // so ingesting a file twice changes nothing.
  // Errors: InvalidArgument naming the file, record and field for unreadable input (nothing is
  // written then); NotFound for a missing file; FailedPrecondition when read-only; storage
  // errors as in Open.
  absl::StatusOr<IngestReport> Ingest(const std::vector<std::string>& paths,
                                      const IngestOptions& options = {});

  // Counts per label and edge type, and the format versions.
  absl::StatusOr<DatabaseInfo> Info() const;

  // Verifies every invariant of the stored graph under one snapshot (docs/format.md,
  // "Invariants"). Violations are reported in the result, not as an error status; errors are
  // for I/O failures only.
  absl::StatusOr<CheckResult> Check() const;

  // Rewrites the database files so that each column family is one sorted run on its bottom
  // level, using every core. An ingest leaves its records spread over level-0 files and
  // several levels, each of which every scan must merge; after Compact, scans and traversals
  // read one table per key range (bench/README.md has the query times before and after).
  // The logical content, and so ContentHash, is unchanged; readers may run meanwhile.
  // Errors: FailedPrecondition when read-only; storage errors as in Open.
  absl::StatusOr<CompactReport> Compact();

  // A hash of the logical content (every node, edge, index and counter record); two databases
  // with the same content have the same hash whatever their file layout.
  absl::StatusOr<uint64_t> ContentHash() const;

  // Country statistics under explicit rules (docs/methodology.md).
  absl::StatusOr<StatsResult> Stats(const StatsOptions& options) const;

  // DescribePair: the per-year series of a country pair, the institutions and authors on its papers
  // (top `top` of each; 0 = all) and the tag cross-tab, under the rules of `options`.
  // InvalidArgument for codes that are not ISO 3166-1 alpha-2.
  absl::StatusOr<PairDetail> DescribePair(const StatsOptions& options, const std::string& a,
                                          const std::string& b, size_t top) const;

  // Centrality on a projection built from one snapshot of the stored graph.
  // InvalidArgument for an unknown metric.
  absl::StatusOr<CentralityResult> Centrality(const CentralityOptions& options) const;

  // A Snapshot of the current state for lookups and traversals (collabgraph/query.h). It
  // borrows this Database, which must outlive it.
  std::unique_ptr<Snapshot> NewSnapshot() const;

  // The collaboration graph of `options.graph` (with its filters, regions and member cap; the
  // metric options are ignored) as nodes and weighted edges, from one snapshot; WriteGraph
  // (collabgraph/export.h) writes it as GraphML, GEXF, VOSviewer, CSV or JSON.
  absl::StatusOr<GraphExport> Project(const CentralityOptions& options) const;

 private:
  struct Impl;
  explicit Database(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace collabgraph
