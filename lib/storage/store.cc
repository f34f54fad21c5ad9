#include "storage/store.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cassert>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <set>
#include <system_error>
#include <thread>
#include <vector>

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/perf_level.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/sst_partitioner.h>
#include <rocksdb/table.h>
#include <rocksdb/table_properties.h>
#include <rocksdb/write_batch.h>
#include <rocksdb/write_buffer_manager.h>

#include "storage/test_hooks.h"
#include "util/coding.h"
#include "util/status_macros.h"

namespace collabgraph::storage {

namespace {

// Bytes of a key that name its stream, per column family: nodes by label, edges by (type,
// direction), index entries by kind. Records of one stream arrive in key order across bulk
// batches when their leading id is newly allocated (a paper's edges, new nodes), so a file that
// holds one stream only does not overlap the previous batches' files and goes to the bottom
// level; a file spanning several streams would overlap every earlier one.
constexpr std::array<size_t, kNumCf> kStreamPrefixBytes = {0, 1, 2, 1, 0, 0};
// Bytes of a key under which the memtable keeps a hint of where the last record went: the
// streams above, each counter (kind and label), and each roster chunk (its whole key; a
// record-by-record ingest rewrites a chunk with every paper).
constexpr std::array<size_t, kNumCf> kMemtableHintPrefixBytes = {0, 1, 2, 1, 2, 8};

// RocksDB counts every key comparison, block read and the like in a thread-local perf context
// at its default level, through a thread-local access in its shared library each time: 10% of
// a record-by-record ingest, mostly in memtable inserts. Nothing here reads those counts. The
// level is per thread, so every Store entry point that calls into RocksDB sets it for the
// calling thread (a thread-local store, no more).
void NoPerfCounting() { rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable); }

constexpr const char* kCfNames[kNumCf] = {"default", "nodes",    "edges",
                                          "index",   "counters", "rosters"};

constexpr std::string_view kMetaMagicKey = "magic";
constexpr std::string_view kMetaReadFormatKey = "format.read";
constexpr std::string_view kMetaWriteFormatKey = "format.write";
constexpr std::string_view kMetaCreatedByKey = "library.created_by";

#ifndef COLLABGRAPH_VERSION_STRING
#define COLLABGRAPH_VERSION_STRING "0.1.0"
#endif

// SetDefaultEnvForTesting: the environment of stores opened without one; null in production.
std::atomic<rocksdb::Env*> test_default_env{nullptr};
// SetEdgeMergeDelayForTesting: 0 in production.
std::atomic<int> test_edge_merge_delay_ms{0};

// Maps a RocksDB status to the most specific canonical code, keeping RocksDB's text.
absl::Status ToStatus(const rocksdb::Status& s, std::string_view context) {
  if (s.ok()) return absl::OkStatus();
  std::string msg = std::string(context) + ": " + s.ToString();
  if (s.IsNotFound()) return absl::NotFoundError(msg);
  if (s.IsCorruption()) return absl::DataLossError(msg);
  if (s.IsNoSpace()) return absl::ResourceExhaustedError(msg);
  if (s.IsBusy() || s.IsTryAgain()) return absl::AbortedError(msg);
  if (s.IsInvalidArgument()) return absl::InvalidArgumentError(msg);
  if (s.IsNotSupported()) return absl::UnimplementedError(msg);
  if (s.IsIOError()) {
    // RocksDB reports a LOCK file held by another process (or another handle in this one) as
    // an IO error from the locking call.
    if (msg.find("/LOCK") != std::string::npos || msg.find("lock hold") != std::string::npos) {
      return absl::UnavailableError(std::string(context) + ": locked by another process (" +
                                    s.ToString() + ")");
    }
    return absl::UnavailableError(msg);
  }
  return absl::InternalError(msg);
}

// ToStatus with the context `what` followed by `where`, joined only for an error: the calls
// made for every record (a read, a write, a put into a table file) build no string when it
// succeeds (building "bulk ingest " + file for each put was about 6% of the CPU samples of the
// bulk commits of a 1M-paper load).
absl::Status ToStatus(const rocksdb::Status& s, std::string_view what, std::string_view where) {
  if (s.ok()) return absl::OkStatus();
  std::string context(what);
  context.append(where);
  return ToStatus(s, context);
}

std::string EncodeU32(uint32_t v) {
  std::string s;
  util::PutFixed32BE(&s, v);
  return s;
}

bool DecodeU32(std::string_view s, uint32_t* v) { return util::GetFixed32BE(&s, v) && s.empty(); }

// A logger that drops everything: read-only opens must not create or append to LOG files.
class NullLogger : public rocksdb::Logger {
 public:
  using rocksdb::Logger::Logv;
  void Logv(const char* /*format*/, va_list /*ap*/) override {}
};

// How often a read-only open looks again when a table file vanished under it (a compaction of
// a live writer deleted it): each look reads the writer's newer MANIFEST.
constexpr int kMissingFileAttempts = 5;

// Whether a RocksDB error is a file that is not there (rather than one that is damaged).
bool IsMissingFile(const rocksdb::Status& s) {
  return s.IsPathNotFound() || s.ToString().find("No such file or directory") != std::string::npos;
}

// The write-ahead log files in `path` (names).
std::set<std::string> WalFiles(const std::string& path) {
  std::set<std::string> logs;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".log")) logs.insert(name);
  }
  return logs;
}

// A RocksDB secondary instance (a read-only open) recovers the newest state whose table files
// all open, and says nothing when one does not: a damaged or missing SST file makes it show an
// older state, or an empty column family, as if nothing were wrong (found by
// tests/integration/corruption_test.py: `info` reported 0 papers with exit 0). A table file in
// the directory that the secondary left out is either an obsolete file a writer has not deleted
// yet, or one it could not read; a plain read-only open, which opens every table file and fails
// on any it cannot, tells the two apart. It runs only in that case, so the common open stays
// cheap. (A table file that was deleted outright cannot be seen this way; `check` then reports
// the records it took with it.)
absl::Status VerifySecondaryIsComplete(
    rocksdb::DB* db, const std::string& path, const rocksdb::Options& db_options,
    const std::vector<rocksdb::ColumnFamilyDescriptor>& descriptors) {
  std::vector<rocksdb::LiveFileMetaData> live;
  db->GetLiveFilesMetaData(&live);
  std::set<std::string> live_names;
  for (const auto& f : live) live_names.insert(std::filesystem::path(f.name).filename().string());
  bool unexplained = false;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".sst") && !name.starts_with("bulk-") && live_names.count(name) == 0) {
      unexplained = true;
      break;
    }
  }
  if (!unexplained) return absl::OkStatus();
  rocksdb::Options strict = db_options;
  strict.max_open_files = -1;  // open (and so check) every table file now
  // Beside a live writer, a table file can vanish between the MANIFEST read and the table opens
  // (a compaction deleted it). RocksDB reports that as corruption "in file MANIFEST" wrapping
  // the missing file's I/O error; it is no damage, and a fresh look at the newer MANIFEST
  // settles it. Only a table file that is present and unreadable counts.
  for (int attempt = 0; attempt < kMissingFileAttempts; ++attempt) {
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    const rocksdb::Status s =
        rocksdb::DB::OpenForReadOnly(strict, path, descriptors, &handles, &raw);
    if (raw != nullptr) {
      for (auto* h : handles) raw->DestroyColumnFamilyHandle(h).PermitUncheckedError();
      delete raw;
    }
    if (s.ok() || !s.IsCorruption()) return absl::OkStatus();
    if (!IsMissingFile(s)) return absl::DataLossError("open " + path + ": " + s.ToString());
  }
  // Still a file missing after several fresh looks: a deleted table file, which (as said above)
  // this check cannot see; `check` reports the records it took.
  return absl::OkStatus();
}

}  // namespace

void SetDefaultEnvForTesting(rocksdb::Env* env) { test_default_env.store(env); }
void SetEdgeMergeDelayForTesting(int milliseconds) { test_edge_merge_delay_ms.store(milliseconds); }

Snapshot::~Snapshot() {
  if (snap_ != nullptr) db_->ReleaseSnapshot(snap_);
}

WriteBatch::WriteBatch() : batch_(std::make_unique<rocksdb::WriteBatch>()) {}
WriteBatch::~WriteBatch() = default;

void WriteBatch::Reset(Kind kind) {
  Clear();
  kind_ = kind;
}

void WriteBatch::Put(Cf cf, std::string_view key, std::string_view value) {
  assert(handles_ != nullptr);
  if (kind_ == Kind::kTables) {
    assert(key.size() < kDeleted && value.size() < kDeleted);
    ops_[static_cast<size_t>(cf)].push_back(
        {bytes_.size(), static_cast<uint32_t>(key.size()), static_cast<uint32_t>(value.size())});
    bytes_.append(key);
    bytes_.append(value);
    ++count_;
    return;
  }
  // rocksdb::WriteBatch::Put only fails past its 4 GiB limit, far beyond one record.
  batch_
      ->Put(handles_[static_cast<int>(cf)], rocksdb::Slice(key.data(), key.size()),
            rocksdb::Slice(value.data(), value.size()))
      .PermitUncheckedError();
}

size_t WriteBatch::PutAndLocate(Cf cf, std::string_view key, std::string_view value) {
  Put(cf, key, value);
  // The value is the last thing either kind appended: in a RocksDB batch, a put's record ends
  // with it (rocksdb/write_batch.cc: tag, column family, key, then the length-prefixed value).
  const std::string& rep = kind_ == Kind::kTables ? bytes_ : batch_->Data();
  assert(rep.size() >= value.size() &&
         std::string_view(rep).substr(rep.size() - value.size()) == value);
  return rep.size() - value.size();
}

std::string_view WriteBatch::ValueAt(size_t position, size_t size) const {
  return std::string_view(kind_ == Kind::kTables ? bytes_ : batch_->Data()).substr(position, size);
}

void WriteBatch::Delete(Cf cf, std::string_view key) {
  assert(handles_ != nullptr);
  if (kind_ == Kind::kTables) {
    assert(key.size() < kDeleted);
    ops_[static_cast<size_t>(cf)].push_back(
        {bytes_.size(), static_cast<uint32_t>(key.size()), kDeleted});
    bytes_.append(key);
    ++count_;
    has_deletes_ = true;
    return;
  }
  batch_->Delete(handles_[static_cast<int>(cf)], rocksdb::Slice(key.data(), key.size()))
      .PermitUncheckedError();
}

size_t WriteBatch::Count() const { return kind_ == Kind::kTables ? count_ : batch_->Count(); }
size_t WriteBatch::ByteSize() const {
  return kind_ == Kind::kTables ? bytes_.size() : batch_->GetDataSize();
}
void WriteBatch::Reserve(size_t bytes) {
  assert(Count() == 0);
  if (kind_ == Kind::kTables) {
    bytes_.reserve(bytes);
  } else if (bytes > batch_->Data().capacity()) {
    batch_ = std::make_unique<rocksdb::WriteBatch>(bytes);
  }
}
bool WriteBatch::HasDeletes() const {
  return kind_ == Kind::kTables ? has_deletes_ : batch_->HasDelete();
}
void WriteBatch::Clear() {
  batch_->Clear();
  bytes_.clear();  // keeps its capacity, as the vectors below do
  for (std::vector<Op>& ops : ops_) ops.clear();
  count_ = 0;
  has_deletes_ = false;
}

std::unique_ptr<rocksdb::WriteBatch> WriteBatch::ToLog() const {
  auto log = std::make_unique<rocksdb::WriteBatch>(bytes_.size() + 8 * count_ + 64);
  for (int cf = 0; cf < kNumCf; ++cf) {
    for (const Op& op : ops_[static_cast<size_t>(cf)]) {
      const rocksdb::Slice key(bytes_.data() + op.offset, op.key_size);
      if (op.value_size == kDeleted) {
        log->Delete(handles_[cf], key).PermitUncheckedError();
      } else {
        log->Put(handles_[cf], key,
                 rocksdb::Slice(bytes_.data() + op.offset + op.key_size, op.value_size))
            .PermitUncheckedError();
      }
    }
  }
  return log;
}

Cursor::~Cursor() = default;
void Cursor::Seek(std::string_view target) {
  iter_->Seek(rocksdb::Slice(target.data(), target.size()));
}
void Cursor::SeekToFirst() { iter_->SeekToFirst(); }
bool Cursor::Valid() const { return iter_->Valid(); }
void Cursor::Next() { iter_->Next(); }
std::string_view Cursor::key() const {
  const rocksdb::Slice k = iter_->key();
  return {k.data(), k.size()};
}
std::string_view Cursor::value() const {
  const rocksdb::Slice v = iter_->value();
  return {v.data(), v.size()};
}
absl::Status Cursor::status() const { return ToStatus(iter_->status(), "scan"); }

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const std::string& given_path,
                                                   const StoreOptions& given_options) {
  namespace fs = std::filesystem;
  StoreOptions options = given_options;
  if (options.env == nullptr) options.env = test_default_env.load();
  // "db/" and "db" are the same database; the staging directory must be a sibling of it.
  std::string path = given_path;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  std::error_code ec;
  const bool exists = fs::exists(path, ec);
  bool created = false;
  if (!exists) {
    if (!options.create_if_missing || options.read_only) {
      return absl::NotFoundError("no database at " + path);
    }
    created = true;
  } else {
    if (!fs::is_directory(path, ec)) {
      return absl::FailedPreconditionError(path +
                                           " is not a CollabGraph database (not a directory)");
    }
    if (!fs::exists(fs::path(path) / "CURRENT", ec)) {
      if (!fs::is_empty(path, ec) || options.read_only || !options.create_if_missing) {
        return absl::FailedPreconditionError(
            path + " is not a CollabGraph database (no RocksDB CURRENT file)");
      }
      created = true;
    }
  }

  if (created) {
    // A new database is built in a sibling directory and renamed into place once its column
    // families and meta records are durable: a crash during creation leaves either no
    // database or a complete one, never a directory that is half a database.
    const std::string staging = path + ".creating";
    fs::remove_all(staging, ec);  // left over from a creation that was killed
    { COLLABGRAPH_ASSIGN_OR_RETURN(std::unique_ptr<Store> fresh, OpenAt(staging, options, true)); }
    rocksdb::Env* env = options.env != nullptr ? options.env : rocksdb::Env::Default();
    if (exists) fs::remove(path, ec);  // the empty directory the caller gave
    COLLABGRAPH_RETURN_IF_ERROR(
        ToStatus(env->RenameFile(staging, path), "create " + path + " (rename)"));
    const std::string parent = fs::absolute(path).parent_path().string();
    std::unique_ptr<rocksdb::Directory> dir;
    COLLABGRAPH_RETURN_IF_ERROR(ToStatus(env->NewDirectory(parent, &dir), "create " + path));
    COLLABGRAPH_RETURN_IF_ERROR(ToStatus(dir->Fsync(), "create " + path + " (fsync directory)"));
  }
  return OpenAt(path, options, /*created=*/false);
}

absl::StatusOr<std::unique_ptr<Store>> Store::OpenAt(const std::string& path,
                                                     const StoreOptions& options, bool created) {
  rocksdb::Options db_options;
  db_options.create_if_missing = created;
  db_options.create_missing_column_families = created;
  db_options.paranoid_checks = true;
  if (options.env != nullptr) db_options.env = options.env;
  db_options.max_background_jobs = 2;
  // All column families flush together, so data written without the WAL (bulk loads) is never
  // durable in one column family and lost in another.
  db_options.atomic_flush = true;
  db_options.write_buffer_manager =
      std::make_shared<rocksdb::WriteBufferManager>(options.write_buffer_bytes);
  db_options.max_open_files = 512;
  db_options.keep_log_file_num = 3;
  if (options.read_only) db_options.info_log = std::make_shared<NullLogger>();

  rocksdb::BlockBasedTableOptions table_options;
  table_options.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  table_options.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  // Index and filter blocks stay in table-reader memory (about 10 bits per key for the Bloom
  // filters), not in the block cache: a filter larger than a cache shard would otherwise be
  // re-read and re-checksummed on every lookup that misses, which made a 1M-paper ingest
  // 50x slower (bench/README.md).
  table_options.cache_index_and_filter_blocks = false;
  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table_options));
  cf_options.compression = rocksdb::kLZ4Compression;
  cf_options.write_buffer_size = 32 << 20;

  // The edges column family is read by prefix scans (adjacency), never by point lookups on the
  // ingest or query paths, and whole-key Bloom filters serve point lookups only: without them
  // its table readers and compactions hold no filter blocks, which were about three quarters
  // of all filter memory (docs/format.md, "Memory settings").
  rocksdb::BlockBasedTableOptions edge_table_options = table_options;
  edge_table_options.filter_policy.reset();
  rocksdb::ColumnFamilyOptions edge_options = cf_options;
  edge_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(edge_table_options));

  // The rosters are read by scans and seeks too (never by whole-key lookups on a hot path).
  // Each stream keeps a hint of where its last record went into the memtable: a record that
  // follows it in key order (a new paper's edges, new nodes) is then inserted next to it,
  // without a search of the skip list from the top. Memtable only; nothing on disk changes.
  const auto options_of = [&](Cf cf) {
    rocksdb::ColumnFamilyOptions o =
        cf == Cf::kEdges || cf == Cf::kRosters ? edge_options : cf_options;
    if (const size_t prefix = kMemtableHintPrefixBytes[static_cast<size_t>(cf)]; prefix > 0) {
      o.memtable_insert_with_hint_prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(prefix));
    }
    // A compaction of the edges starts a new file where a stream (type and direction) starts,
    // so that no file's key range spans another stream's keys: a scan of a stream then reads
    // only the levels that hold it (a bulk load's merges, FinishBulk, write the streams keyed
    // by authors, institutions and venues onto levels that the streams keyed by new papers,
    // on the bottom level, have no keys on). File boundaries only; the records are the same.
    if (cf == Cf::kEdges) {
      o.sst_partitioner_factory = rocksdb::NewSstPartitionerFixedPrefixFactory(
          kStreamPrefixBytes[static_cast<size_t>(Cf::kEdges)]);
    }
    return o;
  };

  // The column families to open, and which Cf each descriptor is.
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  std::vector<int> cf_of_descriptor;
  std::vector<std::string> existing;
  if (!created) {
    // A CollabGraph database has exactly our column families (an older format may lack the
    // optional ones); anything else is another kind of RocksDB database, and opening it with
    // our list would fail with a confusing message.
    const rocksdb::Status ls = rocksdb::DB::ListColumnFamilies(db_options, path, &existing);
    if (!ls.ok()) return ToStatus(ls, "open " + path);
  }
  for (int i = 0; i < kNumCf; ++i) {
    const bool present =
        created || std::find(existing.begin(), existing.end(), kCfNames[i]) != existing.end();
    if (!present && !IsOptionalCf(static_cast<Cf>(i))) {
      return absl::FailedPreconditionError(
          path + " is not a CollabGraph database (column family '" + kCfNames[i] + "' is missing)");
    }
    if (!present) continue;
    descriptors.emplace_back(kCfNames[i], options_of(static_cast<Cf>(i)));
    cf_of_descriptor.push_back(i);
  }
  // A newer format's column families: opened (and never read), so that the format check below
  // names the versions instead of RocksDB refusing the open.
  for (const std::string& name : existing) {
    if (std::find(std::begin(kCfNames), std::end(kCfNames), name) != std::end(kCfNames)) continue;
    descriptors.emplace_back(name, cf_options);
    cf_of_descriptor.push_back(-1);
  }

  std::unique_ptr<Store> store(new Store());
  store->path_ = path;
  store->read_only_ = options.read_only;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  if (options.read_only) {
    // Read-only opens are RocksDB secondary instances: they work beside a live writer (which
    // may compact and delete files meanwhile) and see the database as of their open. The
    // secondary's own files go to a private temporary directory, never into the database.
    std::string secondary =
        (std::filesystem::temp_directory_path() / "collabgraph-reader-XXXXXX").string();
    if (::mkdtemp(secondary.data()) == nullptr) {
      return absl::UnavailableError("open " + path + ": cannot create a temporary directory");
    }
    store->secondary_dir_ = secondary;
    db_options.max_open_files = -1;  // required by secondary instances
    // A writer may delete a table file between the MANIFEST read and the table opens; a fresh
    // look at the newer MANIFEST settles it. It may also flush its memtables and delete a
    // write-ahead log after the secondary read the MANIFEST but before it replayed that log:
    // RocksDB then goes on without the log's writes and without a word. In CI the instance
    // showed later papers whose authors did not exist (reader_beside_writer_test.py); in
    // secondary_race_test.cc it shows neither the lost log's writes nor the next log's. A log
    // deleted while the open ran means the open must be done again: the MANIFEST it then
    // reads holds that log's writes.
    constexpr int kLogRaceAttempts = 20;
    bool log_raced = false;
    for (int attempt = 0; attempt < kLogRaceAttempts; ++attempt) {
      const std::set<std::string> logs_before = WalFiles(path);
      for (int missing = 0; missing < kMissingFileAttempts; ++missing) {
        s = rocksdb::DB::OpenAsSecondary(db_options, path, secondary, descriptors, &handles, &raw);
        if (s.ok() || !IsMissingFile(s)) break;
      }
      if (!s.ok()) break;
      const std::set<std::string> logs_after = WalFiles(path);
      log_raced = !std::includes(logs_after.begin(), logs_after.end(), logs_before.begin(),
                                 logs_before.end());
      if (!log_raced) break;
      for (auto* h : handles) raw->DestroyColumnFamilyHandle(h).PermitUncheckedError();
      handles.clear();
      delete raw;
      raw = nullptr;
    }
    if (s.ok() && log_raced) {
      return absl::UnavailableError("open " + path +
                                    " read-only: the writer replaced its write-ahead log "
                                    "during every one of " +
                                    std::to_string(kLogRaceAttempts) +
                                    " attempts to read it; try again");
    }
  } else {
    s = rocksdb::DB::Open(db_options, path, descriptors, &handles, &raw);
  }
  if (!s.ok()) return ToStatus(s, "open " + path);
  store->db_.reset(raw);
  for (size_t d = 0; d < handles.size(); ++d) {
    if (cf_of_descriptor[d] < 0) {
      store->unknown_handles_.push_back(handles[d]);
    } else {
      store->handles_[cf_of_descriptor[d]] = handles[d];
    }
  }
  if (options.read_only) {
    COLLABGRAPH_RETURN_IF_ERROR(
        VerifySecondaryIsComplete(store->db_.get(), path, db_options, descriptors));
  }

  if (absl::Status meta = store->ReadOrInitMeta(created); !meta.ok()) return meta;
  if (store->write_format_ >= kFirstFormatWithRosters &&
      store->handles_[static_cast<int>(Cf::kRosters)] == nullptr) {
    return absl::FailedPreconditionError(path + " is not a complete CollabGraph database: format " +
                                         std::to_string(store->write_format_) +
                                         " has column family 'rosters', which is missing");
  }
  if (store->write_format_ != kFormatVersion && !options.read_only) {
    // Readable, but written in another format (newer, or older without the newer indexes):
    // reopen without the ability to write.
    store.reset();
    StoreOptions read_only = options;
    read_only.read_only = true;
    return OpenAt(path, read_only, /*created=*/false);
  }
  if (!options.read_only) {
    // A crash between writing a bulk SST file and ingesting it leaves the file behind; RocksDB
    // never reads it (its own files are numbered). This process holds the lock: remove them.
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.starts_with("bulk-") && name.ends_with(".sst")) {
        std::filesystem::remove(entry.path(), ec);
      }
    }
  }
  return store;
}

absl::Status Store::ReadOrInitMeta(bool created) {
  rocksdb::ColumnFamilyHandle* meta = handles_[static_cast<int>(Cf::kMeta)];
  if (created) {
    rocksdb::WriteBatch batch;
    batch
        .Put(meta, rocksdb::Slice(kMetaMagicKey.data(), kMetaMagicKey.size()),
             rocksdb::Slice(kMagic.data(), kMagic.size()))
        .PermitUncheckedError();
    batch
        .Put(meta, rocksdb::Slice(kMetaReadFormatKey.data(), kMetaReadFormatKey.size()),
             EncodeU32(kFormatVersion))
        .PermitUncheckedError();
    batch
        .Put(meta, rocksdb::Slice(kMetaWriteFormatKey.data(), kMetaWriteFormatKey.size()),
             EncodeU32(kFormatVersion))
        .PermitUncheckedError();
    batch
        .Put(meta, rocksdb::Slice(kMetaCreatedByKey.data(), kMetaCreatedByKey.size()),
             COLLABGRAPH_VERSION_STRING)
        .PermitUncheckedError();
    rocksdb::WriteOptions wo;
    wo.sync = true;
    absl::Status st = ToStatus(db_->Write(wo, &batch), "initialise " + path_);
    if (!st.ok()) return st;
  }
  auto read = [&](std::string_view key, std::string* value) -> absl::Status {
    return ToStatus(
        db_->Get(rocksdb::ReadOptions(), meta, rocksdb::Slice(key.data(), key.size()), value),
        "read format record of " + path_);
  };
  std::string magic;
  absl::Status magic_status = read(kMetaMagicKey, &magic);
  if (!magic_status.ok() && !absl::IsNotFound(magic_status)) return magic_status;
  if (!magic_status.ok() || magic != kMagic) {
    // OpenAt found all of CollabGraph's column families, which no other kind of database
    // has, and a new database gets its magic record before it is renamed into place: this
    // one lost data (a truncated MANIFEST, a deleted table file), it is not a stranger.
    return absl::DataLossError(path_ +
                               " is damaged: it has CollabGraph's column families but no valid "
                               "CollabGraph magic record (lost or truncated database files?)");
  }
  std::string value;
  if (absl::Status st = read(kMetaReadFormatKey, &value); !st.ok()) return st;
  if (!DecodeU32(value, &read_format_)) {
    return absl::DataLossError(path_ + ": malformed format.read record");
  }
  if (absl::Status st = read(kMetaWriteFormatKey, &value); !st.ok()) return st;
  if (!DecodeU32(value, &write_format_)) {
    return absl::DataLossError(path_ + ": malformed format.write record");
  }
  if (absl::Status st = read(kMetaCreatedByKey, &created_by_); !st.ok()) return st;
  if (read_format_ > kFormatVersion || read_format_ < kMinReadFormatVersion) {
    return absl::FailedPreconditionError(
        path_ + " has read format version " + std::to_string(read_format_) +
        "; this library (" COLLABGRAPH_VERSION_STRING ") reads format versions " +
        std::to_string(kMinReadFormatVersion) + " to " + std::to_string(kFormatVersion));
  }
  return absl::OkStatus();
}

Store::~Store() {
  WaitForEdgeMerge().IgnoreError();  // a bulk load that did not finish
  if (db_ != nullptr) {
    for (auto*& h : handles_) {
      if (h != nullptr) db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
      h = nullptr;
    }
    for (auto* h : unknown_handles_) db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
    unknown_handles_.clear();
    db_->Close().PermitUncheckedError();
    db_.reset();
  }
  if (!secondary_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(secondary_dir_, ec);
  }
}

absl::Status Store::ReadOnlyError() const {
  if (write_format_ != kFormatVersion) {
    return absl::FailedPreconditionError(
        path_ + " is in format " + std::to_string(write_format_) + " and this library (" +
        COLLABGRAPH_VERSION_STRING ") writes format " + std::to_string(kFormatVersion) +
        ": it can be read but not written (ingest into a new database)");
  }
  return absl::FailedPreconditionError(path_ + " is open read-only");
}

absl::Status Store::Get(Cf cf, std::string_view key, const Snapshot* snapshot,
                        std::string* value) const {
  if (handles_[static_cast<int>(cf)] == nullptr) return absl::NotFoundError("key not found");
  NoPerfCounting();
  rocksdb::ReadOptions ro;
  if (snapshot != nullptr) ro.snapshot = snapshot->snap_;
  const rocksdb::Status s =
      db_->Get(ro, handles_[static_cast<int>(cf)], rocksdb::Slice(key.data(), key.size()), value);
  if (s.IsNotFound()) return absl::NotFoundError("key not found");
  return ToStatus(s, "read ", path_);
}

void Store::MultiGet(Cf cf, const std::vector<std::string>& keys, const Snapshot* snapshot,
                     std::vector<std::string>* values, std::vector<absl::Status>* statuses) const {
  NoPerfCounting();
  values->assign(keys.size(), std::string());
  statuses->assign(keys.size(), absl::NotFoundError("key not found"));
  if (handles_[static_cast<int>(cf)] == nullptr || keys.empty()) return;
  rocksdb::ReadOptions ro;
  if (snapshot != nullptr) ro.snapshot = snapshot->snap_;
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> pinned(keys.size());
  std::vector<rocksdb::Status> results(keys.size());
  db_->MultiGet(ro, handles_[static_cast<int>(cf)], keys.size(), slices.data(), pinned.data(),
                results.data());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (results[i].IsNotFound()) continue;
    (*statuses)[i] = ToStatus(results[i], "read ", path_);
    if (results[i].ok()) (*values)[i].assign(pinned[i].data(), pinned[i].size());
  }
}

std::unique_ptr<Cursor> Store::NewCursor(Cf cf, std::string_view prefix,
                                         const Snapshot* snapshot) const {
  NoPerfCounting();  // for the cursor's reads too: they run on this thread
  std::unique_ptr<Cursor> cursor(new Cursor());
  rocksdb::ReadOptions ro;
  if (snapshot != nullptr) ro.snapshot = snapshot->snap_;
  if (!prefix.empty()) {
    // The smallest key greater than every key with this prefix: drop trailing 0xFF bytes,
    // then increment the last byte. A prefix of only 0xFF bytes has no bound.
    std::string bound(prefix);
    while (!bound.empty() && static_cast<uint8_t>(bound.back()) == 0xFF) bound.pop_back();
    if (!bound.empty()) {
      bound.back() = static_cast<char>(static_cast<uint8_t>(bound.back()) + 1);
      cursor->upper_bound_ = std::make_unique<std::string>(std::move(bound));
    }
  }
  if (cursor->upper_bound_ != nullptr) {
    cursor->upper_bound_slice_ = std::make_unique<rocksdb::Slice>(*cursor->upper_bound_);
    ro.iterate_upper_bound = cursor->upper_bound_slice_.get();
  }
  if (!prefix.empty()) {
    // SeekToFirst then starts at the prefix, and Seek never goes below it.
    cursor->lower_bound_ = std::make_unique<std::string>(prefix);
    cursor->lower_bound_slice_ = std::make_unique<rocksdb::Slice>(*cursor->lower_bound_);
    ro.iterate_lower_bound = cursor->lower_bound_slice_.get();
  }
  cursor->iter_.reset(handles_[static_cast<int>(cf)] == nullptr
                          ? rocksdb::NewEmptyIterator()  // an optional column family absent
                          : db_->NewIterator(ro, handles_[static_cast<int>(cf)]));
  return cursor;
}

std::unique_ptr<Snapshot> Store::GetSnapshot() const {
  // A secondary instance has no snapshots, and needs none: it never catches up with the
  // primary after its open, so every read sees the same state.
  const rocksdb::Snapshot* snap = secondary_dir_.empty() ? db_->GetSnapshot() : nullptr;
  return std::unique_ptr<Snapshot>(new Snapshot(db_.get(), snap));
}

std::unique_ptr<WriteBatch> Store::NewBatch() const {
  auto batch = std::make_unique<WriteBatch>();
  batch->Bind(handles_);
  return batch;
}

absl::Status Store::Write(WriteBatch* batch, bool sync) {
  if (read_only_) {
    return ReadOnlyError();
  }
  NoPerfCounting();
  rocksdb::WriteOptions wo;
  wo.sync = sync;
  if (batch->kind() == WriteBatch::Kind::kTables) {
    return ToStatus(db_->Write(wo, batch->ToLog().get()), "write ", path_);
  }
  return ToStatus(db_->Write(wo, batch->batch_.get()), "write ", path_);
}

namespace {

// Collects the puts of a write batch per column family, as views into the batch.
class PutCollector : public rocksdb::WriteBatch::Handler {
 public:
  using Puts = std::array<std::vector<std::pair<std::string_view, std::string_view>>, kNumCf>;
  // Appends to `puts`.
  PutCollector(rocksdb::ColumnFamilyHandle* const* handles, Puts* puts) : puts_(puts) {
    for (int i = 0; i < kNumCf; ++i) {
      if (handles[i] == nullptr) continue;
      const uint32_t id = handles[i]->GetID();
      if (id >= cf_index_.size()) cf_index_.resize(id + 1, -1);
      cf_index_[id] = i;
    }
  }
  rocksdb::Status PutCF(uint32_t cf_id, const rocksdb::Slice& key,
                        const rocksdb::Slice& value) override {
    if (cf_id >= cf_index_.size() || cf_index_[cf_id] < 0) {
      return rocksdb::Status::InvalidArgument("unknown column family");
    }
    (*puts_)[static_cast<size_t>(cf_index_[cf_id])].push_back(
        {std::string_view(key.data(), key.size()), std::string_view(value.data(), value.size())});
    return rocksdb::Status::OK();
  }
  rocksdb::Status DeleteCF(uint32_t /*cf_id*/, const rocksdb::Slice& /*key*/) override {
    return rocksdb::Status::InvalidArgument("a bulk ingest batch holds puts only");
  }

 private:
  Puts* puts_;
  std::vector<int> cf_index_;  // by RocksDB column family id: our Cf, or -1
};

// A stream with fewer records in a batch, and less than a sixteenth of its column family's,
// shares a file with its small neighbours: thousands of tiny files would cost more (file
// opens, Bloom filters, manifest entries) than compacting them. The share keeps the main
// streams of a small batch (the last of a load) in files of their own.
constexpr size_t kMinStreamRecords = 4096;
// How many records ahead the SST writer prefetches.
constexpr size_t kPrefetchDistance = 8;
constexpr size_t kStreamShareOfFile = 16;
// Batches of a bulk load whose edge files pile up above the bottom level before they are
// merged during the load (Store::MaybeStartEdgeMerge), and the highest level such a merge
// may write: level 1 stays free for the merge at the end (FinishBulk).
constexpr int kEdgeMergeBatches = 16;
constexpr int kTopEdgeMergeLevel = 2;

using Put = std::pair<std::string_view, std::string_view>;

// A put's place in the sort: the 20 key bytes after the stream prefix as big-endian words
// (zero-padded), and its index in the batch. Those bytes are the rest of an edge key (two ids
// and the rank), a node's id, or the start of a name, so most comparisons are integer
// compares on a contiguous array instead of a memcmp of keys scattered over the batch.
struct SortKey {
  uint64_t hi;
  uint64_t lo;
  uint32_t tail;
  uint32_t index;
};
constexpr size_t kSortKeyBytes = 20;

// The `n` (at most 8) bytes of `key` from `at` as a big-endian number, zero-padded.
uint64_t WordAt(std::string_view key, size_t at, size_t n = 8) {
  if (n == 8 && at + 8 <= key.size()) {
    uint64_t w;
    std::memcpy(&w, key.data() + at, sizeof w);
    if constexpr (std::endian::native == std::endian::little) w = __builtin_bswap64(w);
    return w;
  }
  uint64_t w = 0;
  for (size_t i = 0; i < n; ++i) {
    w = (w << 8) | (at + i < key.size() ? static_cast<uint8_t>(key[at + i]) : 0u);
  }
  return w;
}

// The most byte positions of the sort words that may vary for RadixSortWords to sort a
// stream: past that, a comparison sort takes fewer passes over it.
constexpr int kMaxRadixPasses = 8;

// Sorts `keys` by their words (hi, lo, tail), stably, with one counting pass per byte
// position that varies among them, least significant first; `tmp` is scratch. False, with
// `keys` untouched, when more than kMaxRadixPasses positions vary (names, mostly). The
// streams keyed by older nodes vary in few: an author's papers vary in the low bytes of two
// ids and a rank, about 7 of the 20, and a pass costs less than the 17 or so comparisons a
// comparison sort makes per record (a fifth of a bulk commit's time went to std::sort).
bool RadixSortWords(std::vector<SortKey>* keys, std::vector<SortKey>* tmp) {
  uint64_t hi_or = 0;
  uint64_t hi_and = ~uint64_t{0};
  uint64_t lo_or = 0;
  uint64_t lo_and = ~uint64_t{0};
  uint32_t tail_or = 0;
  uint32_t tail_and = ~uint32_t{0};
  for (const SortKey& k : *keys) {
    hi_or |= k.hi;
    hi_and &= k.hi;
    lo_or |= k.lo;
    lo_and &= k.lo;
    tail_or |= k.tail;
    tail_and &= k.tail;
  }
  // Byte positions, least significant first: 0-3 the tail, 4-11 lo, 12-19 hi.
  int positions[kSortKeyBytes];
  int n_positions = 0;
  const uint64_t hi_diff = hi_or ^ hi_and;
  const uint64_t lo_diff = lo_or ^ lo_and;
  const uint32_t tail_diff = tail_or ^ tail_and;
  for (int b = 0; b < 4; ++b) {
    if ((tail_diff >> (8 * b)) & 0xFF) positions[n_positions++] = b;
  }
  for (int b = 0; b < 8; ++b) {
    if ((lo_diff >> (8 * b)) & 0xFF) positions[n_positions++] = 4 + b;
  }
  for (int b = 0; b < 8; ++b) {
    if ((hi_diff >> (8 * b)) & 0xFF) positions[n_positions++] = 12 + b;
  }
  if (n_positions > kMaxRadixPasses) return false;
  auto byte_at = [](const SortKey& k, int position) -> size_t {
    if (position < 4) return (k.tail >> (8 * position)) & 0xFF;
    if (position < 12) return (k.lo >> (8 * (position - 4))) & 0xFF;
    return (k.hi >> (8 * (position - 12))) & 0xFF;
  };
  tmp->resize(keys->size());
  for (int p = 0; p < n_positions; ++p) {
    std::array<size_t, 256> start{};
    for (const SortKey& k : *keys) ++start[byte_at(k, positions[p])];
    size_t sum = 0;
    for (size_t& c : start) {
      const size_t count = c;
      c = sum;
      sum += count;
    }
    for (const SortKey& k : *keys) (*tmp)[start[byte_at(k, positions[p])]++] = k;
    keys->swap(*tmp);
  }
  return true;
}

// Sorts the puts of one stream [begin, end) by key, stably (equal keys keep their batch
// order, so that the last put of a key wins), and drops every put whose key the next put
// repeats. Returns the new end.
Put* SortRun(Put* begin, Put* end, size_t prefix, std::vector<SortKey>* keys,
             std::vector<SortKey>* keys_tmp, std::vector<Put>* scratch) {
  const size_t n = static_cast<size_t>(end - begin);
  // A stream in key order without repeats, the common case (new papers' edges, new nodes), is
  // left as it is; comparing its keys themselves costs less than making their sort words.
  bool increasing = true;
  for (size_t i = 1; i < n && increasing; ++i) increasing = begin[i - 1].first < begin[i].first;
  if (increasing) return end;
  keys->resize(n);
  for (size_t i = 0; i < n; ++i) {
    const std::string_view key = begin[i].first;
    (*keys)[i] = {WordAt(key, prefix), WordAt(key, prefix + 8),
                  static_cast<uint32_t>(WordAt(key, prefix + 16, 4)), static_cast<uint32_t>(i)};
  }
  // -1, 0, 1 as the keys compare. When their words tie, keys that end within them differ only
  // in length (the shorter one is padded with zeros); longer ones are compared whole.
  auto compare = [begin, prefix](const SortKey& a, const SortKey& b) {
    if (a.hi != b.hi) return a.hi < b.hi ? -1 : 1;
    if (a.lo != b.lo) return a.lo < b.lo ? -1 : 1;
    if (a.tail != b.tail) return a.tail < b.tail ? -1 : 1;
    const std::string_view ka = begin[a.index].first;
    const std::string_view kb = begin[b.index].first;
    if (ka.size() <= prefix + kSortKeyBytes && kb.size() <= prefix + kSortKeyBytes) {
      return ka.size() < kb.size() ? -1 : (ka.size() > kb.size() ? 1 : 0);
    }
    const int c = ka.compare(kb);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  };
  // Out of order, or in order with repeats, which only need dropping.
  bool sorted = true;
  for (size_t i = 1; i < n && sorted; ++i) sorted = compare((*keys)[i - 1], (*keys)[i]) <= 0;
  if (!sorted) {
    if (RadixSortWords(keys, keys_tmp)) {
      // Keys with equal words are ordered by the rest of the key (or their length); the
      // radix sort left them in batch order, which a stable sort keeps for equal keys.
      auto words_equal = [](const SortKey& a, const SortKey& b) {
        return a.hi == b.hi && a.lo == b.lo && a.tail == b.tail;
      };
      for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && words_equal((*keys)[i], (*keys)[j])) ++j;
        if (j - i > 1) {
          std::stable_sort(
              keys->begin() + static_cast<std::ptrdiff_t>(i),
              keys->begin() + static_cast<std::ptrdiff_t>(j),
              [&compare](const SortKey& a, const SortKey& b) { return compare(a, b) < 0; });
        }
        i = j;
      }
    } else {
      std::sort(keys->begin(), keys->end(), [&compare](const SortKey& a, const SortKey& b) {
        const int c = compare(a, b);
        return c != 0 ? c < 0 : a.index < b.index;
      });
    }
  }
  scratch->clear();
  for (size_t i = 0; i < n; ++i) {
    if (i + 1 < n && compare((*keys)[i], (*keys)[i + 1]) == 0) continue;  // a later put wins
    scratch->push_back(begin[(*keys)[i].index]);
  }
  std::copy(scratch->begin(), scratch->end(), begin);
  return begin + scratch->size();
}

// The working arrays of SortByStream, reused from call to call.
struct SortScratch {
  std::vector<SortKey> keys;
  std::vector<SortKey> keys_tmp;
  std::vector<Put> run;
  std::vector<Put> dealt;
  std::vector<uint32_t> start;
  std::vector<uint32_t> next;
};

// Sorts a column family's puts by key, keeping the last put of each key (later puts overwrite
// earlier ones, as they would in a write batch), a stream at a time: the puts are first dealt
// out by their `prefix` bytes (a stable counting sort), and each stream is sorted on its own
// (SortRun). Most streams come in key order: a batch puts a paper's edges, new nodes and
// their index entries in the order their ids were allocated. Only the streams keyed by older
// nodes (an author's papers, an institution's authorships, names) need sorting. A key shorter
// than the prefix goes with the keys that extend it by zero bytes, before which it sorts.
// Returns where each stream ends in the sorted puts.
std::vector<size_t> SortByStream(std::vector<Put>* puts, size_t prefix, SortScratch* s) {
  std::vector<SortKey>& keys = s->keys;
  std::vector<Put>& scratch = s->run;
  std::vector<size_t> ends;
  if (puts->empty()) return ends;
  if (prefix == 0) {
    Put* end = SortRun(puts->data(), puts->data() + puts->size(), 0, &keys, &s->keys_tmp, &scratch);
    puts->resize(static_cast<size_t>(end - puts->data()));
    ends.push_back(puts->size());
    return ends;
  }
  auto bucket = [prefix](std::string_view key) {
    size_t b = 0;
    for (size_t i = 0; i < prefix; ++i) {
      b = (b << 8) | (i < key.size() ? static_cast<uint8_t>(key[i]) : 0u);
    }
    return b;
  };
  std::vector<uint32_t>& start = s->start;
  start.assign((size_t{1} << (8 * prefix)) + 1, 0);
  for (const Put& put : *puts) ++start[bucket(put.first) + 1];
  for (size_t b = 1; b < start.size(); ++b) start[b] += start[b - 1];
  std::vector<Put>& dealt = s->dealt;
  dealt.resize(puts->size());
  std::vector<uint32_t>& next = s->next;
  next.assign(start.begin(), start.end() - 1);
  for (const Put& put : *puts) dealt[next[bucket(put.first)]++] = put;
  // Each stream is sorted in place and moved down over the duplicates dropped before it.
  size_t kept = 0;
  for (size_t b = 0; b + 1 < start.size(); ++b) {
    if (start[b + 1] == start[b]) continue;
    Put* first = dealt.data() + start[b];
    Put* last = SortRun(first, dealt.data() + start[b + 1], prefix, &keys, &s->keys_tmp, &scratch);
    if (dealt.data() + kept != first) std::copy(first, last, dealt.data() + kept);
    kept += static_cast<size_t>(last - first);
    ends.push_back(kept);
  }
  dealt.resize(kept);
  puts->swap(dealt);  // both keep their storage for the next call
  return ends;
}

}  // namespace

struct Store::BulkScratch {
  PutCollector::Puts puts;
  SortScratch sort;
};

void Store::BulkScratchDeleter::operator()(BulkScratch* scratch) const { delete scratch; }

absl::Status Store::IngestAsTables(WriteBatch* batch, bool index_lookups) {
  if (read_only_) return ReadOnlyError();
  NoPerfCounting();
  if (!bulk_active_ || bulk_index_lookups_ != index_lookups) {
    COLLABGRAPH_RETURN_IF_ERROR(SetBulkCompaction(true, index_lookups));
  }
  const std::lock_guard<std::mutex> scratch_lock(bulk_scratch_mutex_);
  if (bulk_scratch_ == nullptr) bulk_scratch_.reset(new BulkScratch());
  PutCollector::Puts& all_puts = bulk_scratch_->puts;
  for (auto& puts : all_puts) puts.clear();
  if (batch->kind() == WriteBatch::Kind::kTables) {
    if (batch->HasDeletes()) {
      return absl::InvalidArgumentError("bulk ingest " + path_ +
                                        ": a bulk ingest batch holds puts only");
    }
    const std::string_view bytes = batch->bytes_;
    for (size_t cf = 0; cf < kNumCf; ++cf) {
      auto& puts = all_puts[cf];
      puts.reserve(batch->ops_[cf].size());
      for (const WriteBatch::Op& op : batch->ops_[cf]) {
        puts.emplace_back(bytes.substr(op.offset, op.key_size),
                          bytes.substr(op.offset + op.key_size, op.value_size));
      }
    }
  } else {
    PutCollector collector(handles_, &all_puts);
    COLLABGRAPH_RETURN_IF_ERROR(
        ToStatus(batch->batch_->Iterate(&collector), "bulk ingest " + path_));
  }
  std::vector<rocksdb::IngestExternalFileArg> args;
  std::vector<std::string> files;
  auto remove_files = [&files] {
    std::error_code ec;
    for (const std::string& f : files) std::filesystem::remove(f, ec);  // not ingested
  };
  absl::Status st = [&]() -> absl::Status {
    const uint64_t sequence = ++ingest_sequence_;
    // The files to write: a column family and a range of its sorted puts each.
    struct Table {
      int cf;
      size_t begin;
      size_t end;
    };
    std::vector<Table> tables;
    for (int cf = 0; cf < kNumCf; ++cf) {
      auto& puts = all_puts[static_cast<size_t>(cf)];
      if (puts.empty()) continue;
      const std::vector<size_t> stream_ends =
          SortByStream(&puts, kStreamPrefixBytes[static_cast<size_t>(cf)], &bulk_scratch_->sort);
      // File boundaries: a stream that is not small gets a file of its own; runs of small
      // streams share one.
      size_t begin = 0;
      bool last_small = false;
      for (const size_t end : stream_ends) {
        const bool small =
            end - begin < kMinStreamRecords && (end - begin) * kStreamShareOfFile < puts.size();
        if (small && last_small && tables.back().cf == cf) {
          tables.back().end = end;
        } else {
          tables.push_back({cf, begin, end});
        }
        last_small = small;
        begin = end;
      }
    }
    if (tables.empty()) return absl::OkStatus();
    // A file whose key range overlaps a file the column family holds lands above the bottom
    // level and is merged again (FinishBulk, or a compaction): it is written uncompressed,
    // since the merge decompresses it and compresses its output anyway. One that overlaps
    // none lands on the bottom level and stays: compressed as the column family says.
    std::vector<bool> compress(tables.size(), true);
    {
      std::array<std::vector<std::pair<std::string, std::string>>, kNumCf> ranges;
      std::array<bool, kNumCf> read{};
      for (size_t t = 0; t < tables.size(); ++t) {
        const auto cf = static_cast<size_t>(tables[t].cf);
        if (!read[cf]) {
          read[cf] = true;
          rocksdb::ColumnFamilyMetaData meta;
          db_->GetColumnFamilyMetaData(handles_[cf], &meta);
          for (const auto& level : meta.levels) {
            for (const auto& file : level.files) {
              ranges[cf].emplace_back(file.smallestkey, file.largestkey);
            }
          }
        }
        const auto& puts = all_puts[cf];
        const std::string_view first = puts[tables[t].begin].first;
        const std::string_view last = puts[tables[t].end - 1].first;
        compress[t] = std::none_of(ranges[cf].begin(), ranges[cf].end(), [&](const auto& r) {
          return !(last < std::string_view(r.first) || std::string_view(r.second) < first);
        });
      }
    }
    for (size_t t = 0; t < tables.size(); ++t) {
      files.push_back(path_ + "/bulk-" + std::to_string(sequence) + "-" + kCfNames[tables[t].cf] +
                      "-" + std::to_string(t) + ".sst");
    }
    // Each file is written and fsynced on its own: a few threads overlap the waits for the
    // disk, which at a dozen or more files a batch took a sixth of a 1M-paper load's time.
    std::vector<absl::Status> written(tables.size());
    std::atomic<size_t> next{0};
    auto write = [&] {
      NoPerfCounting();
      for (size_t t = next++; t < tables.size(); t = next++) {
        const Table& table = tables[t];
        const std::string& file = files[t];
        const auto& puts = all_puts[static_cast<size_t>(table.cf)];
        written[t] = [&]() -> absl::Status {
          rocksdb::Options options = db_->GetOptions(handles_[table.cf]);
          if (!compress[t]) options.compression = rocksdb::kNoCompression;
          rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), options, handles_[table.cf],
                                        /*invalidate_page_cache=*/false);
          COLLABGRAPH_RETURN_IF_ERROR(ToStatus(writer.Open(file), "bulk ingest " + file));
          for (size_t i = table.begin; i < table.end; ++i) {
            // The sorted records lie scattered over the batch: fetching a few ahead overlaps
            // the cache misses (the first touch of each record was one).
            if (const size_t ahead = i + kPrefetchDistance; ahead < table.end) {
              __builtin_prefetch(puts[ahead].first.data());
              __builtin_prefetch(puts[ahead].second.data());
            }
            COLLABGRAPH_RETURN_IF_ERROR(
                ToStatus(writer.Put(rocksdb::Slice(puts[i].first.data(), puts[i].first.size()),
                                    rocksdb::Slice(puts[i].second.data(), puts[i].second.size())),
                         "bulk ingest ", file));
          }
          return ToStatus(writer.Finish(), "bulk ingest " + file);
        }();
      }
    };
    constexpr size_t kWriterThreads = 4;
    std::vector<std::thread> pool;
    for (size_t t = 1; t < std::min(kWriterThreads, tables.size()); ++t) pool.emplace_back(write);
    write();
    for (std::thread& t : pool) t.join();
    for (const absl::Status& w : written) COLLABGRAPH_RETURN_IF_ERROR(w);
    for (size_t t = 0; t < tables.size(); ++t) {
      if (args.empty() || args.back().column_family != handles_[tables[t].cf]) {
        rocksdb::IngestExternalFileArg arg;
        arg.column_family = handles_[tables[t].cf];
        arg.options.move_files = true;
        arg.options.allow_global_seqno = true;
        arg.options.allow_blocking_flush = true;
        args.push_back(std::move(arg));
      }
      args.back().external_files.push_back(files[t]);
    }
    COLLABGRAPH_RETURN_IF_ERROR(ToStatus(db_->IngestExternalFiles(args), "bulk ingest " + path_));
    if (!all_puts[static_cast<size_t>(Cf::kEdges)].empty()) MaybeStartEdgeMerge();
    return absl::OkStatus();
  }();
  if (!st.ok()) remove_files();
  return st;
}

void Store::MaybeStartEdgeMerge() {
  rocksdb::ColumnFamilyHandle* edges = handles_[static_cast<int>(Cf::kEdges)];
  if (edges == nullptr || ++bulk_edge_batches_ < kEdgeMergeBatches) return;
  // One merge at a time, and the files are listed once the previous one has finished (a wait
  // here, on the committing thread, only when a merge is slower than kEdgeMergeBatches
  // batches): listed while it ran, they would include its inputs.
  if (!WaitForEdgeMerge().ok()) return;  // FinishBulk reports the error
  rocksdb::ColumnFamilyMetaData meta;
  db_->GetColumnFamilyMetaData(edges, &meta);
  const int bottom = static_cast<int>(meta.levels.size()) - 1;
  const int floor = bulk_edge_floor_ > 0 ? bulk_edge_floor_ : bottom;
  if (meta.levels[bottom].files.empty() || floor - 1 < kTopEdgeMergeLevel) return;
  // The inputs are the files there now: those of the batches ingested while the merge runs
  // stay out of it (RocksDB puts them on level 0, above the merge's output) and go into the
  // next, so that the runs a load leaves depend on its batches, not on timing.
  std::vector<std::string> inputs;
  for (int level = 0; level < floor; ++level) {
    for (const auto& file : meta.levels[level].files) inputs.push_back(file.name);
  }
  if (inputs.empty()) return;
  bulk_edge_floor_ = floor - 1;
  bulk_edge_batches_ = 0;
  const std::lock_guard<std::mutex> lock(edge_merge_mutex_);
  edge_merge_thread_ = std::thread([this, edges, inputs = std::move(inputs), level = floor - 1] {
    NoPerfCounting();
    if (const int delay = test_edge_merge_delay_ms.load(); delay > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    }
    rocksdb::CompactionOptions options;
    options.compression = rocksdb::kLZ4Compression;
    options.output_file_size_limit = uint64_t{64} << 20;
    absl::Status status = ToStatus(db_->CompactFiles(options, edges, inputs, level),
                                   "bulk ingest " + path_ + " (column family edges, merge)");
    const std::lock_guard<std::mutex> status_lock(edge_merge_mutex_);
    edge_merge_status_.Update(status);
  });
}

absl::Status Store::WaitForEdgeMerge() {
  std::thread merge;
  {
    const std::lock_guard<std::mutex> lock(edge_merge_mutex_);
    merge = std::move(edge_merge_thread_);
  }
  if (merge.joinable()) merge.join();
  const std::lock_guard<std::mutex> lock(edge_merge_mutex_);
  return edge_merge_status_;
}

absl::Status Store::Flush() {
  if (read_only_) return absl::OkStatus();
  std::vector<rocksdb::ColumnFamilyHandle*> all;
  for (auto* h : handles_) {
    if (h != nullptr) all.push_back(h);
  }
  if (absl::Status st = ToStatus(db_->Flush(rocksdb::FlushOptions(), all), "flush " + path_);
      !st.ok()) {
    return st;
  }
  return ToStatus(db_->SyncWAL(), "sync " + path_);
}

void Store::WaitForCompactions() {
  // RocksDB retries a failed background compaction every second for as long as its cause
  // lasts (a full disk): the wait also ends when one fails, and the caller's own compaction
  // then meets the cause and reports it, instead of waiting for as long.
  const auto errors = [this] {
    uint64_t n = 0;
    db_->GetIntProperty(rocksdb::DB::Properties::kBackgroundErrors, &n);
    return n;
  };
  const uint64_t errors_before = errors();
  uint64_t running = 0;
  while (db_->GetIntProperty(rocksdb::DB::Properties::kNumRunningCompactions, &running) &&
         running > 0 && errors() == errors_before) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

absl::Status Store::MergeIntoBottomLevel(rocksdb::ColumnFamilyHandle* cf, uint32_t threads,
                                         const std::string& context) {
  NoPerfCounting();  // the merge runs on this thread
  rocksdb::ColumnFamilyMetaData meta;
  db_->GetColumnFamilyMetaData(cf, &meta);
  std::vector<std::string> inputs;
  for (const auto& level : meta.levels) {
    for (const auto& file : level.files) inputs.push_back(file.name);
  }
  const int bottom = static_cast<int>(meta.levels.size()) - 1;
  if (inputs.empty() || meta.levels[bottom].files.size() == inputs.size()) {
    return absl::OkStatus();  // already one run on the bottom level
  }
  // One merge of every file into the bottom level: CompactRange would instead push the data
  // down one level at a time, rewriting it once per level.
  rocksdb::CompactionOptions options;
  options.compression = rocksdb::kLZ4Compression;
  options.output_file_size_limit = uint64_t{64} << 20;
  options.max_subcompactions = std::max<uint32_t>(threads, 1);
  return ToStatus(db_->CompactFiles(options, cf, inputs, bottom), context);
}

absl::Status Store::MergeAboveLevel(rocksdb::ColumnFamilyHandle* cf, int floor,
                                    const std::string& context) {
  NoPerfCounting();  // the merge runs on this thread
  rocksdb::ColumnFamilyMetaData meta;
  db_->GetColumnFamilyMetaData(cf, &meta);
  const int bottom = static_cast<int>(meta.levels.size()) - 1;
  if (meta.levels[bottom].files.empty()) return MergeIntoBottomLevel(cf, /*threads=*/1, context);
  std::vector<std::string> inputs;
  int first_level = floor;
  for (int level = 0; level < floor; ++level) {
    for (const auto& file : meta.levels[level].files) inputs.push_back(file.name);
    if (!meta.levels[level].files.empty()) first_level = std::min(first_level, level);
  }
  if (inputs.empty() || first_level == floor - 1) return absl::OkStatus();  // one run already
  // Level floor - 1 takes no file of `floor` in: CompactFiles adds to a compaction every file
  // of its output level within the key range of its inputs, and that range spans the lower
  // levels' streams too (see FinishBulk).
  rocksdb::CompactionOptions options;
  options.compression = rocksdb::kLZ4Compression;
  options.output_file_size_limit = uint64_t{64} << 20;
  return ToStatus(db_->CompactFiles(options, cf, inputs, floor - 1), context);
}

absl::Status Store::Compact(uint32_t threads) {
  if (read_only_) return ReadOnlyError();
  std::lock_guard<std::mutex> lock(compact_mutex_);
  COLLABGRAPH_RETURN_IF_ERROR(WaitForEdgeMerge());  // it holds files of the edges
  COLLABGRAPH_RETURN_IF_ERROR(Flush());
  for (int i = 0; i < kNumCf; ++i) {
    rocksdb::ColumnFamilyHandle* cf = handles_[i];
    if (cf == nullptr) continue;
    const std::string context = "compact " + path_ + " (column family " + kCfNames[i] + ")";
    // Background compactions of this column family stop, and the running ones finish, so that
    // no input file is taken by one; they resume below, whatever happens.
    COLLABGRAPH_RETURN_IF_ERROR(
        ToStatus(db_->SetOptions(cf, {{"disable_auto_compactions", "true"}}), context));
    WaitForCompactions();
    absl::Status status = MergeIntoBottomLevel(cf, threads, context);
    // Off during a bulk load (see SetBulkCompaction).
    const bool stay_off =
        bulk_active_ && (static_cast<Cf>(i) == Cf::kEdges ||
                         (static_cast<Cf>(i) == Cf::kIndex && !bulk_index_lookups_));
    status.Update(ToStatus(
        db_->SetOptions(cf, {{"disable_auto_compactions", stay_off ? "true" : "false"}}), context));
    COLLABGRAPH_RETURN_IF_ERROR(status);
  }
  return absl::OkStatus();
}

absl::Status Store::SetBulkCompaction(bool bulk, bool index_lookups) {
  // Marked before the first change: FinishBulk then restores whatever part of it took effect.
  if (bulk) bulk_active_ = true;
  bulk_index_lookups_ = index_lookups;
  const std::string context = std::string(bulk ? "bulk ingest " : "finish bulk ingest ") + path_;
  if (rocksdb::ColumnFamilyHandle* edges = handles_[static_cast<int>(Cf::kEdges)]) {
    COLLABGRAPH_RETURN_IF_ERROR(ToStatus(
        db_->SetOptions(edges, {{"disable_auto_compactions", bulk ? "true" : "false"}}), context));
  }
  if (rocksdb::ColumnFamilyHandle* index = handles_[static_cast<int>(Cf::kIndex)]) {
    // Off while nothing reads the index; while lookups read it, level 0 holds up to 20 files
    // instead of 4 before a compaction. The other values are RocksDB's defaults (Open sets no
    // other).
    const bool off = bulk && !index_lookups;
    const bool relaxed = bulk && index_lookups;
    COLLABGRAPH_RETURN_IF_ERROR(ToStatus(
        db_->SetOptions(index, {{"disable_auto_compactions", off ? "true" : "false"},
                                {"level0_file_num_compaction_trigger", relaxed ? "20" : "4"},
                                {"level0_slowdown_writes_trigger", relaxed ? "60" : "20"},
                                {"level0_stop_writes_trigger", relaxed ? "80" : "36"}}),
        context));
  }
  bulk_active_ = bulk;
  return absl::OkStatus();
}

absl::Status Store::FinishBulk() {
  if (!bulk_active_) return absl::OkStatus();
  {
    const std::lock_guard<std::mutex> scratch_lock(bulk_scratch_mutex_);
    bulk_scratch_.reset();
  }
  std::lock_guard<std::mutex> lock(compact_mutex_);
  const std::string context = "finish bulk ingest " + path_;
  // Automatic compaction of the index may be on (the loader read it); it stops for the merge,
  // and the running compactions finish first, so that none holds an input file.
  absl::Status stopped;
  if (rocksdb::ColumnFamilyHandle* index = handles_[static_cast<int>(Cf::kIndex)]) {
    stopped = ToStatus(db_->SetOptions(index, {{"disable_auto_compactions", "true"}}), context);
  }
  WaitForCompactions();
  // The edges: the streams keyed by new papers (AUTHORED in, AFFILIATED out, PUBLISHED_IN out)
  // went straight to the bottom level, one run each; the others (an author's papers, an
  // institution's authorships, a venue's papers) span their key range in every batch, so their
  // files pile up above it. Those are merged into runs above the bottom, which leaves the
  // bottom level's files alone: the whole of it (17.2M records at 1M papers) would be
  // rewritten with them otherwise, since a compaction into a level takes in every file of that
  // level within the key range of its inputs, and the streams interleave in key order. The
  // merges during the load (MaybeStartEdgeMerge) left runs on levels bottom - 1 up to
  // bulk_edge_floor_; what lies above the last one becomes one more run on the level above it.
  // The first batch's files of those streams stay on the bottom level (nothing lay below
  // them), so a traversal of them reads every run; `compact` makes it one.
  // The index is merged into one run on the bottom level (its streams are nearly all of the
  // second kind). RocksDB forms one subcompaction for each, whatever the thread count, so the
  // two are merged side by side.
  auto merge = [&](Cf cf) {
    rocksdb::ColumnFamilyHandle* handle = handles_[static_cast<int>(cf)];
    if (handle == nullptr) return absl::OkStatus();
    const std::string where = context + " (column family " + kCfNames[static_cast<int>(cf)] + ")";
    if (cf != Cf::kEdges) return MergeIntoBottomLevel(handle, /*threads=*/1, where);
    rocksdb::ColumnFamilyMetaData meta;
    db_->GetColumnFamilyMetaData(handle, &meta);
    const int bottom = static_cast<int>(meta.levels.size()) - 1;
    return MergeAboveLevel(handle, bulk_edge_floor_ > 0 ? bulk_edge_floor_ : bottom, where);
  };
  absl::Status index_status = stopped;
  std::thread index_merge([&] {
    if (index_status.ok()) index_status = merge(Cf::kIndex);
  });
  absl::Status status = WaitForEdgeMerge();
  if (status.ok()) status = merge(Cf::kEdges);
  index_merge.join();
  status.Update(index_status);
  bulk_edge_floor_ = 0;
  bulk_edge_batches_ = 0;
  {
    const std::lock_guard<std::mutex> merge_lock(edge_merge_mutex_);
    edge_merge_status_ = absl::OkStatus();
  }
  // Automatic compaction resumes, whatever happened.
  status.Update(SetBulkCompaction(false, /*index_lookups=*/true));
  return status;
}

int Store::SortedRuns(Cf cf, std::string_view prefix) const {
  if (handles_[static_cast<int>(cf)] == nullptr) return 0;
  rocksdb::ColumnFamilyMetaData meta;
  db_->GetColumnFamilyMetaData(handles_[static_cast<int>(cf)], &meta);
  // A file holds keys with the prefix unless all its keys sort before them or after them.
  auto holds = [prefix](const rocksdb::SstFileMetaData& f) {
    const bool before = std::string_view(f.largestkey) < prefix;
    const bool after = !std::string_view(f.smallestkey).starts_with(prefix) &&
                       std::string_view(f.smallestkey) > prefix;
    return !before && !after;
  };
  int runs = 0;
  for (const auto& level : meta.levels) {
    const auto files = std::count_if(level.files.begin(), level.files.end(), holds);
    if (level.level == 0) {
      runs += static_cast<int>(files);
    } else if (files > 0) {
      ++runs;
    }
  }
  return runs;
}

std::map<std::string, int> Store::TableCompressions(Cf cf) const {
  std::map<std::string, int> files;
  rocksdb::TablePropertiesCollection tables;
  if (handles_[static_cast<int>(cf)] == nullptr ||
      !db_->GetPropertiesOfAllTables(handles_[static_cast<int>(cf)], &tables).ok()) {
    return files;
  }
  for (const auto& [name, properties] : tables) ++files[properties->compression_name];
  return files;
}

uint64_t Store::ApproximateSizeOnDisk() const {
  uint64_t total = 0;
  for (auto* h : handles_) {
    if (h == nullptr) continue;
    uint64_t v = 0;
    if (db_->GetIntProperty(h, rocksdb::DB::Properties::kTotalSstFilesSize, &v)) total += v;
    if (db_->GetIntProperty(h, rocksdb::DB::Properties::kCurSizeAllMemTables, &v)) total += v;
  }
  return total;
}

}  // namespace collabgraph::storage
