#pragma once

// The storage layer: one RocksDB instance with a fixed set of column families, the format
// version check done at open time, write batches, snapshots and cursors. This is the only
// layer that includes RocksDB headers; its own headers forward-declare what they need so that
// the layers above never see them. The byte layout of everything stored is in docs/format.md.
//
// Thread-safety: a Store may be used from many threads at once (RocksDB's DB is thread-safe).
// WriteBatch, Cursor and Snapshot objects are used by one thread at a time. Snapshots and
// cursors must be destroyed before the Store that created them.

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace rocksdb {
class DB;
class Env;
class ColumnFamilyHandle;
class Iterator;
class Slice;
class Snapshot;
class WriteBatch;
}  // namespace rocksdb

namespace collabgraph::storage {

// Format history. Bump kFormatVersion (and the golden database in tests/golden/) on any change
// to a key or value layout; docs/format.md keeps the table of what each version changed.
//   1  (library 0.1.0)  first format: nodes, edges, index and counters column families.
//   2  (library 0.1.0)  index kinds NodeName (9) and ExternalId (10). Format 1 databases are
//                       read (and checked) as they are, but not written: they lack the new
//                       index entries.
//   3  (library 0.1.0)  column family "rosters": the authorships of 64 papers per record.
//                       Format 2 databases are read without it (queries fall back to the
//                       edges), not written.
inline constexpr uint32_t kFormatVersion = 3;
// The oldest read format this library can read.
inline constexpr uint32_t kMinReadFormatVersion = 1;
inline constexpr std::string_view kMagic = "CollabGraph\x01";

// Column families. The numeric values index Store's handle table; names are on disk.
enum class Cf : int {
  kMeta = 0,      // "default": magic, format versions, library version
  kNodes = 1,     // "nodes":   one record per node
  kEdges = 2,     // "edges":   one record per edge direction
  kIndex = 3,     // "index":   secondary indexes, value-less or id-valued
  kCounters = 4,  // "counters": exact counts per label and edge type, ingest markers
  kRosters = 5,   // "rosters": the authorships of 64 papers per record (format 3 on)
};
inline constexpr int kNumCf = 6;
// Column families that databases of older formats lack: opened when present. A missing one
// reads as empty, and a database whose format has it must have it.
inline constexpr bool IsOptionalCf(Cf cf) { return cf == Cf::kRosters; }
inline constexpr uint32_t kFirstFormatWithRosters = 3;

struct StoreOptions {
  // Create an empty database when `path` does not exist. Default: true.
  bool create_if_missing = true;
  // Open without the ability to write, as a RocksDB secondary instance: works beside a writer
  // in another process and sees the database as of the open; no file in the database
  // directory is created or changed. Default: false.
  bool read_only = false;
  // Size of the shared LRU block cache, in bytes. Default: 64 MiB.
  size_t block_cache_bytes = size_t{64} << 20;
  // Memory all memtables may use together (RocksDB WriteBufferManager), in bytes.
  // Default: 128 MiB.
  size_t write_buffer_bytes = size_t{128} << 20;
  // The RocksDB environment (file system) to use; not owned, must outlive the Store. Tests
  // use it to inject faults. Default: nullptr, RocksDB's default environment.
  rocksdb::Env* env = nullptr;
};

// RAII read snapshot: every read made with it sees the database as of its creation.
class Snapshot {
 public:
  ~Snapshot();
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

 private:
  friend class Store;
  Snapshot(rocksdb::DB* db, const rocksdb::Snapshot* snap) : db_(db), snap_(snap) {}
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snap_;
};

// An atomic group of writes; Store::Write and Store::IngestAsTables apply all of it or none.
class WriteBatch {
 public:
  // How the batch keeps its writes. kLog: as a RocksDB write batch, what Store::Write applies.
  // kTables: each column family's writes apart, in the order they came, what
  // Store::IngestAsTables sorts into files; a bulk load's writing thread spent a tenth of its
  // time encoding RocksDB batch records, which the ingest then decoded again. Either kind
  // goes to either call, which converts the other (a copy of every write).
  enum class Kind { kLog, kTables };

  WriteBatch();
  ~WriteBatch();
  WriteBatch(const WriteBatch&) = delete;
  WriteBatch& operator=(const WriteBatch&) = delete;

  Kind kind() const { return kind_; }
  // Empties the batch and makes it of `kind`.
  void Reset(Kind kind);

  void Put(Cf cf, std::string_view key, std::string_view value);
  // Put, returning where the batch keeps the value: ValueAt(position, value.size()) reads it
  // back until the next Clear(), without a copy of its own.
  size_t PutAndLocate(Cf cf, std::string_view key, std::string_view value);
  std::string_view ValueAt(size_t position, size_t size) const;
  void Delete(Cf cf, std::string_view key);
  // Number of operations added since construction or Clear().
  size_t Count() const;
  // Bytes the batch holds.
  size_t ByteSize() const;
  // An empty batch makes room for `bytes` at once: it then fills without growing step by step,
  // each step a copy of the whole and fresh pages to fault in.
  void Reserve(size_t bytes);
  // True when a Delete was added since construction or Clear().
  bool HasDeletes() const;
  void Clear();

 private:
  friend class Store;
  void Bind(rocksdb::ColumnFamilyHandle* const* handles) { handles_ = handles; }
  // The writes of a kTables batch as a RocksDB write batch, in their order per column family.
  std::unique_ptr<rocksdb::WriteBatch> ToLog() const;

  Kind kind_ = Kind::kLog;
  std::unique_ptr<rocksdb::WriteBatch> batch_;  // kLog
  rocksdb::ColumnFamilyHandle* const* handles_ = nullptr;
  // kTables: the keys and values, one after the other, in bytes_; each column family's writes
  // in order, as where its key starts and the sizes (value_size kDeleted for a delete).
  struct Op {
    uint64_t offset;
    uint32_t key_size;
    uint32_t value_size;
  };
  static constexpr uint32_t kDeleted = UINT32_MAX;
  std::string bytes_;
  std::array<std::vector<Op>, kNumCf> ops_;
  size_t count_ = 0;
  bool has_deletes_ = false;
};

// Forward cursor over one column family, optionally limited to keys with a given prefix.
// key() and value() stay valid until the next call that moves the cursor. After the loop,
// check status(): an invalid cursor with a non-OK status stopped on an error.
class Cursor {
 public:
  ~Cursor();
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;

  void Seek(std::string_view target);
  void SeekToFirst();
  bool Valid() const;
  void Next();
  std::string_view key() const;
  std::string_view value() const;
  absl::Status status() const;

 private:
  friend class Store;
  Cursor() = default;
  // The iteration bounds and the Slices that point into them must outlive iter_.
  std::unique_ptr<std::string> lower_bound_;
  std::unique_ptr<std::string> upper_bound_;
  std::unique_ptr<rocksdb::Slice> lower_bound_slice_;
  std::unique_ptr<rocksdb::Slice> upper_bound_slice_;
  std::unique_ptr<rocksdb::Iterator> iter_;
};

class Store {
 public:
  // Opens (or creates) the database at `path`.
  // Errors: NotFound when `path` does not exist and create_if_missing is false;
  // FailedPrecondition when `path` is not a CollabGraph database or its read format is newer
  // than this library reads (the message names the path and both versions); Unavailable when
  // another process holds it open for writing ("locked by another process"); DataLoss on
  // corruption. A database whose write format is newer opens read-only.
  static absl::StatusOr<std::unique_ptr<Store>> Open(const std::string& path,
                                                     const StoreOptions& options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Reads one key. NotFound when absent. `snapshot` may be null (latest state).
  absl::Status Get(Cf cf, std::string_view key, const Snapshot* snapshot, std::string* value) const;
  // Reads several keys in one batched lookup (RocksDB MultiGet: faster than one Get per key);
  // `statuses[i]` is NotFound for an absent key. Both outputs are resized to keys.size().
  void MultiGet(Cf cf, const std::vector<std::string>& keys, const Snapshot* snapshot,
                std::vector<std::string>* values, std::vector<absl::Status>* statuses) const;
  // A cursor over `cf` restricted to keys starting with `prefix` (all keys when empty).
  std::unique_ptr<Cursor> NewCursor(Cf cf, std::string_view prefix, const Snapshot* snapshot) const;
  std::unique_ptr<Snapshot> GetSnapshot() const;
  // Applies `batch` atomically. With `sync`, the WAL is fsynced before returning.
  // FailedPrecondition on a read-only store.
  absl::Status Write(WriteBatch* batch, bool sync);
  // Bulk path: sorts the puts of `batch` per column family (the last put of a key wins),
  // writes each column family's records as SST files, one per stream of keys (nodes of one
  // label, edges of one type and direction, index entries of one kind; small streams share a
  // file), and ingests all the files in one atomic, durable step (RocksDB
  // IngestExternalFiles), bypassing memtables and the WAL. A stream whose keys grow from batch
  // to batch (new papers, new nodes) thus goes straight to the bottom level, with nothing to
  // compact; see FinishBulk for the others. `index_lookups` says whether the loader reads
  // the index column family between batches (false when it answers its lookups itself; see
  // FinishBulk).
  // `batch` must hold puts only (InvalidArgument otherwise).
  absl::Status IngestAsTables(WriteBatch* batch, bool index_lookups = true);
  // The end of a bulk load. The first IngestAsTables turns off automatic compaction of the
  // edges column family, and of the index column family when no lookups read it (else it
  // lets level-0 files of the index pile up to 20 instead of 4 before they are compacted).
  // The edge records keyed by a vertex that is not new in the batch (an author's papers, an
  // institution's authorships, a venue's papers), and most index entries, span their whole
  // key range in every batch; leveled compaction rewrites such a stream whenever level 0
  // fills, many times over a load. The edge files above the bottom level are merged during
  // the load, every kEdgeMergeBatches batches, into one run on the level above the previous
  // merge's (MaybeStartEdgeMerge); FinishBulk waits for the merge running, merges the edge
  // files left above the last merged run into one more, and the index, unless it is one
  // sorted run on the bottom level, into that level (the two side by side), and restores the
  // settings, also when a merge fails (docs/format.md, "Bulk mode"). It does nothing when no bulk
  // batch was ingested since the last call. The settings are not stored: a crash before or
  // during FinishBulk leaves RocksDB's defaults to the next open, and its automatic compaction
  // then merges the edges and the index in its own time.
  absl::Status FinishBulk();
  // Makes a batch bound to this store's column families.
  std::unique_ptr<WriteBatch> NewBatch() const;
  // Flushes memtables and fsyncs the WAL.
  absl::Status Flush();
  // Rewrites every column family into one sorted run on its bottom level (RocksDB
  // CompactRange over the whole key range, split over `threads`). The logical content is
  // unchanged; scans then read one table per key range instead of merging one per level and
  // per level-0 file. A crash midway leaves the database as before or as after (RocksDB
  // installs a compaction's output atomically). FailedPrecondition on a read-only store.
  absl::Status Compact(uint32_t threads);
  // Sorted runs of `cf` that hold keys starting with `prefix` (every key by default): its
  // level-0 files plus its deeper levels with such files. A lookup or scan of such keys
  // consults each of them.
  int SortedRuns(Cf cf, std::string_view prefix = {}) const;
  // The table files of `cf` by compression ("LZ4", "NoCompression", as RocksDB names them).
  std::map<std::string, int> TableCompressions(Cf cf) const;

  const std::string& path() const { return path_; }
  bool read_only() const { return read_only_; }
  // The error for a write to a read-only store, saying why it is read-only.
  absl::Status ReadOnlyError() const;
  uint32_t read_format_version() const { return read_format_; }
  uint32_t write_format_version() const { return write_format_; }
  const std::string& created_by() const { return created_by_; }
  // Approximate total size of the database files, in bytes.
  uint64_t ApproximateSizeOnDisk() const;

 private:
  Store() = default;
  // Merges every file of `cf` into one sorted run on its bottom level (one CompactFiles),
  // unless it is one already; automatic compaction of `cf` must be off and no compaction
  // running (WaitForCompactions).
  absl::Status MergeIntoBottomLevel(rocksdb::ColumnFamilyHandle* cf, uint32_t threads,
                                    const std::string& context);
  // Merges every file of `cf` on the levels above `floor` into one sorted run on level
  // floor - 1, and leaves the files of `floor` and below as they are (into the bottom level
  // when that has none). Same preconditions as MergeIntoBottomLevel.
  absl::Status MergeAboveLevel(rocksdb::ColumnFamilyHandle* cf, int floor,
                               const std::string& context);
  // During a bulk load: merges the edge files above the last merged run (bulk_edge_floor_,
  // else the bottom level) into one run on the level above it, on a thread of its own, once
  // kEdgeMergeBatches batches have added files there (see FinishBulk). Called after a batch's
  // ingest, with bulk_scratch_mutex_ held.
  void MaybeStartEdgeMerge();
  // Waits for the merge MaybeStartEdgeMerge started, if any; returns its outcome, or the
  // outcome of an earlier one that failed.
  absl::Status WaitForEdgeMerge();
  // Turns the settings of a bulk load (FinishBulk) on or off.
  absl::Status SetBulkCompaction(bool bulk, bool index_lookups);
  // Returns once no compaction runs (new ones may start unless the caller stopped them), or
  // once a background compaction has failed while it waited.
  void WaitForCompactions();
  // Opens the RocksDB instance at `path`; with `created`, creates it and its meta records.
  static absl::StatusOr<std::unique_ptr<Store>> OpenAt(const std::string& path,
                                                       const StoreOptions& options, bool created);
  absl::Status ReadOrInitMeta(bool created);

  std::string path_;
  bool read_only_ = false;
  uint32_t read_format_ = 0;
  uint32_t write_format_ = 0;
  std::string created_by_;
  std::string secondary_dir_;     // private directory of a read-only (secondary) instance
  uint64_t ingest_sequence_ = 0;  // names the SST files of IngestAsTables
  // IngestAsTables' working arrays, kept from one batch to the next: made afresh, each batch
  // faulted their pages in again (a third of a 1M-paper bulk load's page faults). The mutex
  // makes calls take turns (a writer has one in flight at a time anyway); FinishBulk frees them.
  struct BulkScratch;
  struct BulkScratchDeleter {
    void operator()(BulkScratch* scratch) const;
  };
  std::mutex bulk_scratch_mutex_;
  std::unique_ptr<BulkScratch, BulkScratchDeleter> bulk_scratch_;
  // The bulk load's merges of edge files during the load (MaybeStartEdgeMerge): the thread of
  // the one running, the first error of one, the level of the last merged run (0: none yet)
  // and the batches with edge files ingested since it started.
  std::mutex edge_merge_mutex_;
  std::thread edge_merge_thread_;
  absl::Status edge_merge_status_;
  int bulk_edge_floor_ = 0;
  int bulk_edge_batches_ = 0;
  // IngestAsTables ran since the last FinishBulk (read by Compact on another thread).
  std::atomic<bool> bulk_active_{false};
  // The index_lookups of the bulk load's settings (SetBulkCompaction).
  std::atomic<bool> bulk_index_lookups_{true};
  // Serialises Compact: two at once would pick the same input files, and the second would fail.
  std::mutex compact_mutex_;
  // Declared before handles_ so the handles are destroyed first (~Store also closes them).
  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::ColumnFamilyHandle* handles_[kNumCf] = {};
  // Column families this library does not know, of a newer format: RocksDB opens a database
  // only with all of its column families, and the open must get as far as the format check.
  std::vector<rocksdb::ColumnFamilyHandle*> unknown_handles_;
};

}  // namespace collabgraph::storage
