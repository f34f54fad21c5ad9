#pragma once

// The property-graph layer over storage::Store: nodes with typed properties, edges stored in
// both directions, secondary indexes and exact counters.
//
// Thread-safety: Graph is thread-safe. A ReadView is used by one thread; many ReadViews may
// live at once, each pinned to its own snapshot. At most one Writer exists per Graph at a time
// (NewWriter fails with FailedPrecondition otherwise); across processes RocksDB's LOCK file
// keeps a second writer out.

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

#include "model/keys.h"
#include "model/properties.h"
#include "model/roster.h"
#include "model/schema.h"
#include "storage/store.h"

namespace collabgraph::model {

class Writer;

// Everything a reader sees comes from one snapshot taken when the view was created.
class ReadView {
 public:
  explicit ReadView(const storage::Store* store);
  // A view that reads the latest state at every call instead of one snapshot. Only for tests
  // that prove snapshots matter: multi-key reads through it can see different states.
  static std::unique_ptr<ReadView> WithoutSnapshotForTesting(const storage::Store* store);

  // NotFound when the node does not exist; DataLoss when its value does not decode.
  absl::StatusOr<Properties> GetNode(Label label, NodeId id) const;
  // GetNode of every id in one batched read; the results are in the order of `ids`.
  std::vector<absl::StatusOr<Properties>> GetNodes(Label label,
                                                   const std::vector<NodeId>& ids) const;
  // The id stored under an index key, or nullopt.
  absl::StatusOr<std::optional<NodeId>> Lookup(std::string_view index_key) const;
  // Calls `fn(id, encoded_properties)` for every node with `label`, in id order.
  absl::Status ScanNodes(Label label,
                         const std::function<void(NodeId, std::string_view)>& fn) const;
  // Calls `fn(parts, encoded_properties)` for every edge of `type` in direction `dir`, keyed
  // by `a` when given, in key order.
  absl::Status ScanEdges(
      EdgeType type, Direction dir, std::optional<NodeId> a,
      const std::function<void(const EdgeKeyParts&, std::string_view)>& fn) const;
  // Calls `fn(key_without_kind_byte, value)` for every index entry of `kind`.
  absl::Status ScanIndex(IndexKind kind,
                         const std::function<void(std::string_view, std::string_view)>& fn) const;
  // Calls `fn(key, value)` for every record of a column family, in key order, whether or not
  // it decodes (for integrity checks and content hashes).
  absl::Status ScanRaw(storage::Cf cf,
                       const std::function<void(std::string_view, std::string_view)>& fn) const;
  // A cursor over the records of `cf` whose keys start with `prefix`, reading this view's
  // snapshot; it must not outlive the view. For streaming traversals (lib/query).
  std::unique_ptr<storage::Cursor> NewCursor(storage::Cf cf, std::string_view prefix) const;
  // The format version the database was written in.
  uint32_t format_version() const { return store_->write_format_version(); }
  absl::StatusOr<uint64_t> NodeCount(Label label) const;
  absl::StatusOr<uint64_t> EdgeCount(EdgeType type) const;

 private:
  absl::StatusOr<uint64_t> ReadCounter(const std::string& key) const;
  const storage::Store* store_;
  std::unique_ptr<storage::Snapshot> snapshot_;
};

class Graph {
 public:
  // See storage::Store::Open for the error codes.
  static absl::StatusOr<std::unique_ptr<Graph>> Open(const std::string& path,
                                                     const storage::StoreOptions& options);

  std::unique_ptr<ReadView> NewReadView() const { return std::make_unique<ReadView>(store_.get()); }
  // The single writer. FailedPrecondition when the graph is read-only or a writer is alive.
  absl::StatusOr<std::unique_ptr<Writer>> NewWriter();

  const storage::Store& store() const { return *store_; }
  storage::Store& mutable_store() { return *store_; }

 private:
  friend class Writer;
  explicit Graph(std::unique_ptr<storage::Store> store) : store_(std::move(store)) {}
  std::unique_ptr<storage::Store> store_;
  std::mutex writer_mutex_;
  bool writer_active_ = false;
};

// Test-only: writers made after this call empty their cache of entity keys (Writer::Lookup)
// at `limit` entries instead of 2^20, so that a test can take a bulk load past that point with
// a small data set; 0 restores 2^20. Set it while no writer is being made.
void SetIndexCacheLimitForTesting(size_t limit);

// Accumulates one atomic record (a paper and everything it brings) and commits it as one
// RocksDB write batch, counters included. Nothing is visible to readers before Commit.
// It keeps each paper's roster (model/roster.h) equal to the paper's AUTHORED and AFFILIATED
// edges: the calls below that write or delete a paper or such an edge update the roster, which
// goes into the same batch.
class Writer {
 public:
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  NodeId AllocateId(Label label);
  // The id AllocateId(label) would return next.
  NodeId PeekNextId(Label label) const { return pending_.next_id[static_cast<uint8_t>(label)]; }
  // Writes a node; `is_new` counts it in its label's counter.
  void PutNode(Label label, NodeId id, const Properties& props, bool is_new);
  // Writes both directions of an edge; `is_new` counts it once in its type's counter.
  void PutEdge(EdgeType type, NodeId src, NodeId dst, uint32_t rank, const Properties& props,
               bool is_new = true);
  void PutIndex(const std::string& key, std::string_view value);
  // Removes a node record and decrements its label's counter.
  void DeleteNodeRecord(Label label, NodeId id);
  // Removes both records of an edge and decrements its type's counter.
  void DeleteEdgeRecords(EdgeType type, NodeId src, NodeId dst, uint32_t rank);
  void DeleteIndex(const std::string& key);
  // Reads a node, as written by the pending record if it wrote it, else as committed.
  absl::StatusOr<Properties> GetNode(Label label, NodeId id);
  // True when the committed database has the edge record (type, direction, a, b, rank).
  absl::StatusOr<bool> HasEdge(EdgeType type, NodeId src, NodeId dst, uint32_t rank);
  // True when any committed edge of `type` has `id` as its key vertex in `dir`.
  absl::StatusOr<bool> HasAnyEdge(EdgeType type, Direction dir, NodeId id);
  // Index lookup that sees this record's pending PutIndex calls before the database.
  absl::StatusOr<std::optional<NodeId>> Lookup(const std::string& index_key);
  // Sets an ingest resume marker (counters column family) in the pending record; its last
  // value goes into the batch at the commit.
  void PutMarker(const std::string& key, uint64_t value);
  // Reads a resume marker, as the pending record or a bulk commit in flight sets it, else as
  // committed; nullopt when absent.
  absl::StatusOr<std::optional<uint64_t>> ReadMarker(const std::string& key);
  // Applies the pending records atomically: with `sync`, the WAL is fsynced first. On error
  // they are dropped and the in-memory counters restored.
  // With `bulk`, they are ingested as sorted SST files (storage::Store::IngestAsTables; puts
  // only) on a thread of their own, while the caller goes on with the next record: Commit
  // returns once the previous bulk commit has landed, and its error, if it failed. This
  // writer's reads see the records in flight (Lookup, GetNode), or wait for them (HasEdge,
  // HasAnyEdge). After a failed bulk commit every later Commit fails with its
  // error. WaitForCommits waits for the commit in flight.
  absl::Status Commit(bool sync, bool bulk = false);
  // Returns once no bulk commit is in flight: OK, or the error of a failed one.
  absl::Status WaitForCommits();
  // Builds the records from now on in batches made for bulk commits
  // (storage::WriteBatch::Kind::kTables), which cost less to fill and to ingest as tables; a
  // commit without `bulk` converts them. Call it with nothing pending.
  void UseTableBatches();
  // Drops the pending record.
  void Abort();
  size_t pending_operations() const { return batch_->Count() + pending_markers_.size(); }

 private:
  friend class Graph;
  explicit Writer(Graph* graph);
  absl::Status LoadCounters();
  // Remembers a committed entity index entry (index_cache_).
  void CacheIndex(const std::string& key, NodeId id);
  // The roster `paper` will have once the pending record commits: read from the database at
  // its first use in a record, unless the record created the paper. Null after a read error
  // (kept in roster_error_).
  Roster* PendingRoster(NodeId paper);
  // The committed rosters of a chunk (empty when it has none), from chunk_cache_ or the store.
  absl::StatusOr<const RosterChunk*> CommittedChunk(NodeId chunk);
  // Puts a chunk's committed rosters in chunk_cache_, emptying it first when it is full.
  const RosterChunk* CacheChunk(NodeId chunk, RosterChunk papers);
  // Adds the roster chunks of the pending record to the batch; `written` receives them, to
  // be cached once the batch commits.
  absl::Status PutRosterChunks(std::vector<std::pair<NodeId, RosterChunk>>* written);
  // Clears every pending structure after a commit or an abort.
  void ClearPending();

  struct Counters {
    std::array<uint64_t, 8> nodes{};
    std::array<uint64_t, 8> edges{};
    std::array<uint64_t, 8> next_id{};
  };
  Graph* graph_;
  storage::WriteBatch::Kind batch_kind_ = storage::WriteBatch::Kind::kLog;
  std::unique_ptr<storage::WriteBatch> batch_;
  Counters committed_;
  Counters pending_;
  absl::flat_hash_map<std::string, NodeId> pending_index_;
  std::vector<std::string> pending_deleted_index_;
  // Where the pending record's batch holds each node it wrote (position and size of the
  // encoded value, storage::WriteBatch::ValueAt), so that GetNode sees them before the commit;
  // and its resume markers, for ReadMarker.
  using NodeRef = std::pair<Label, NodeId>;
  using ValueSpan = std::pair<size_t, size_t>;
  absl::flat_hash_map<NodeRef, ValueSpan> pending_nodes_;
  absl::flat_hash_map<std::string, uint64_t> pending_markers_;
  // Rosters of the papers the pending record touches (PendingRoster); a failed read of a
  // committed roster is kept in roster_error_ and fails the commit.
  absl::flat_hash_map<NodeId, Roster> pending_rosters_;
  std::vector<NodeId> pending_deleted_papers_;
  absl::Status roster_error_;
  // Committed roster chunks this writer has read or written: the single writer keeps them
  // exact. An ingest writes papers in id order, so the chunk of the next paper is usually the
  // last one written. Emptied at 4096 chunks (about 8 MB).
  absl::flat_hash_map<NodeId, RosterChunk> chunk_cache_;
  // Committed entries of the entity indexes (author, institution, country, venue, tag) this
  // writer has seen: the single writer keeps it exact, and it saves a RocksDB read per
  // author and institution of every paper. Emptied when it reaches 2^20 entries (CacheIndex), so
  // that an ingest of millions of authors does not keep them all in memory (about 100 bytes an
  // entry).
  absl::flat_hash_map<std::string, NodeId> index_cache_;
  bool index_cache_emptied_ = false;  // index_cache_ has been emptied once
  size_t index_cache_limit_;          // entries at which index_cache_ is emptied
  // While index_filter_active_: the hashes of every index key this writer has written with an
  // id (PutIndex), and the index column family held nothing when the writer started. A key
  // whose hash is not here then has no entry, and Lookup answers without reading the
  // database: most lookups of a load into a new database miss (each paper's source key, each
  // new author), and a miss is the most expensive read (every level-0 file of a bulk load is
  // probed). Dropped past 2^23 keys (up to 150 MB; the lookups then read again).
  bool index_filter_active_ = false;
  absl::flat_hash_set<uint64_t> index_filter_;
  // The bulk commit in flight (Commit): its batch, the id-holding index entries, nodes and
  // markers it writes (seen by Lookup, GetNode and ReadMarker until it lands), its thread and
  // its outcome.
  std::unique_ptr<storage::WriteBatch> inflight_batch_;
  absl::flat_hash_map<std::string, NodeId> inflight_index_;
  absl::flat_hash_map<NodeRef, ValueSpan> inflight_nodes_;  // in inflight_batch_
  absl::flat_hash_map<std::string, uint64_t> inflight_markers_;
  std::thread committer_;
  absl::Status inflight_status_;
  // The error of a failed bulk commit: the records after it must not land.
  absl::Status failed_;
};

}  // namespace collabgraph::model
