#include "storage/store.h"

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <sstream>

#include <catch2/catch.hpp>
#include <rocksdb/db.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_util.h"
#include "util/coding.h"

using collabgraph::storage::Cf;
using collabgraph::storage::Store;
using collabgraph::storage::StoreOptions;
using collabgraph::testing::TempDir;

namespace {

std::unique_ptr<Store> MustOpen(const std::string& path, StoreOptions options = {}) {
  auto store = Store::Open(path, options);
  INFO(store.status().ToString());
  REQUIRE(store.ok());
  return std::move(*store);
}

// Opens a CollabGraph database with plain RocksDB (every column family of format 3, in
// storage::Cf order), hands it to `change`, and closes it: damage or a future format's
// changes, made as another program would.
void WithPlainRocksDb(
    const std::string& path,
    const std::function<void(rocksdb::DB*, std::vector<rocksdb::ColumnFamilyHandle*>*)>& change) {
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const char* name : {"default", "nodes", "edges", "index", "counters", "rosters"}) {
    cfs.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  REQUIRE(rocksdb::DB::Open(rocksdb::DBOptions(), path, cfs, &handles, &db).ok());
  change(db, &handles);
  for (auto* h : handles) REQUIRE(db->DestroyColumnFamilyHandle(h).ok());
  delete db;
}

// Rewrites one meta record with plain RocksDB, as a future library version would.
void SetMeta(const std::string& path, const std::string& key, uint32_t value) {
  WithPlainRocksDb(path, [&](rocksdb::DB* db, std::vector<rocksdb::ColumnFamilyHandle*>* cfs) {
    std::string v;
    collabgraph::util::PutFixed32BE(&v, value);
    REQUIRE(db->Put(rocksdb::WriteOptions(), (*cfs)[0], key, v).ok());
  });
}

// Adds a column family this library does not know, as a future format might.
void AddColumnFamily(const std::string& path, const std::string& name) {
  WithPlainRocksDb(path, [&](rocksdb::DB* db, std::vector<rocksdb::ColumnFamilyHandle*>* cfs) {
    rocksdb::ColumnFamilyHandle* added = nullptr;
    REQUIRE(db->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), name, &added).ok());
    REQUIRE(db->Put(rocksdb::WriteOptions(), added, "k", "v").ok());
    cfs->push_back(added);
  });
}

std::map<std::string, std::string> ReadAllFiles(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    out[entry.path().string()] = ss.str();
  }
  return out;
}

}  // namespace

TEST_CASE("Store keeps what it wrote for a later open", "[storage]") {
  TempDir dir;
  const std::string path = dir.Sub("db");
  {
    auto store = MustOpen(path);
    auto batch = store->NewBatch();
    batch->Put(Cf::kNodes, "k1", "v1");
    batch->Put(Cf::kIndex, "k2", "v2");
    REQUIRE(store->Write(batch.get(), /*sync=*/true).ok());
  }
  auto store = MustOpen(path);
  std::string v;
  REQUIRE(store->Get(Cf::kNodes, "k1", nullptr, &v).ok());
  CHECK(v == "v1");
  REQUIRE(store->Get(Cf::kIndex, "k2", nullptr, &v).ok());
  CHECK(v == "v2");
  CHECK(absl::IsNotFound(store->Get(Cf::kNodes, "k2", nullptr, &v)));
  CHECK(store->read_format_version() == collabgraph::storage::kFormatVersion);
  CHECK(store->created_by() == "0.1.0");
}

TEST_CASE("A path with a trailing slash names the same database", "[storage]") {
  TempDir dir;
  {
    auto store = MustOpen(dir.Sub("db") + "/");
    auto batch = store->NewBatch();
    batch->Put(Cf::kNodes, "k", "v");
    REQUIRE(store->Write(batch.get(), true).ok());
  }
  CHECK_FALSE(std::filesystem::exists(dir.Sub("db/.creating")));
  auto store = MustOpen(dir.Sub("db"));
  std::string v;
  CHECK(store->Get(Cf::kNodes, "k", nullptr, &v).ok());
}

TEST_CASE(
    "A read-only open of a database with a damaged table file is DataLoss, not an older "
    "state",
    "[storage]") {
  TempDir dir;
  {
    auto store = MustOpen(dir.Sub("db"));
    auto batch = store->NewBatch();
    for (int i = 0; i < 100; ++i) batch->Put(Cf::kNodes, "key" + std::to_string(i), "value");
    REQUIRE(store->Write(batch.get(), true).ok());
    REQUIRE(store->Flush().ok());
  }
  // Damage the footer (magic number) of every table file: a RocksDB secondary instance would
  // open the newest state whose files all open and show no nodes at all.
  int damaged = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.Sub("db"))) {
    if (e.path().extension() != ".sst") continue;
    std::fstream f(e.path(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(std::filesystem::file_size(e.path()) - 3));
    f.put('\x5a');
    ++damaged;
  }
  REQUIRE(damaged > 0);
  StoreOptions options;
  options.read_only = true;
  auto store = Store::Open(dir.Sub("db"), options);
  CHECK(absl::IsDataLoss(store.status()));
  CHECK(store.status().message().find("Bad table magic number") != std::string_view::npos);
}

TEST_CASE("RocksDB option files in the database directory are never loaded",
          "[storage][security]") {
  // The options come from code only (Store::OpenAt); an OPTIONS file in the directory, however
  // hostile, must change nothing. These name a comparator and a merge operator that do not
  // exist and a different table format: loading any of them would fail the open or change
  // how the data reads.
  TempDir dir;
  {
    auto store = MustOpen(dir.Sub("db"));
    auto batch = store->NewBatch();
    batch->Put(Cf::kNodes, "k", "v");
    REQUIRE(store->Write(batch.get(), true).ok());
  }
  const std::string hostile =
      "[Version]\n  rocksdb_version=7.8.3\n  options_file_version=1.1\n"
      "[DBOptions]\n  create_if_missing=false\n  max_open_files=1\n"
      "[CFOptions \"default\"]\n  comparator=hostile.Comparator\n"
      "  merge_operator=hostile.MergeOperator\n  table_factory=PlainTable\n"
      "[CFOptions \"nodes\"]\n  comparator=hostile.Comparator\n";
  int replaced = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.Sub("db"))) {
    if (e.path().filename().string().starts_with("OPTIONS-")) {
      std::ofstream(e.path(), std::ios::trunc) << hostile;
      ++replaced;
    }
  }
  REQUIRE(replaced > 0);
  dir.Write("db/OPTIONS-999999", hostile);  // newer than any RocksDB wrote
  for (const bool read_only : {true, false}) {
    StoreOptions options;
    options.read_only = read_only;
    auto store = Store::Open(dir.Sub("db"), options);
    REQUIRE(store.ok());
    std::string v;
    CHECK((*store)->Get(Cf::kNodes, "k", nullptr, &v).ok());
    CHECK(v == "v");
  }
}

TEST_CASE("Store refuses directories that are not CollabGraph databases", "[storage]") {
  TempDir dir;
  SECTION("a directory with other files") {
    dir.Write("notes.txt", "hello");
    auto store = Store::Open(dir.path(), {});
    CHECK(absl::IsFailedPrecondition(store.status()));
    CHECK(store.status().message().find(dir.path()) != std::string_view::npos);
    CHECK(store.status().message().find("not a CollabGraph database") != std::string_view::npos);
  }
  SECTION("a plain RocksDB database") {
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* db = nullptr;
    REQUIRE(rocksdb::DB::Open(options, dir.Sub("plain"), &db).ok());
    delete db;
    auto store = Store::Open(dir.Sub("plain"), {});
    CHECK(absl::IsFailedPrecondition(store.status()));
    CHECK(store.status().message().find("not a CollabGraph database") != std::string_view::npos);
  }
  SECTION("a format 3 database without its rosters column family is refused by name") {
    { MustOpen(dir.Sub("db")); }
    WithPlainRocksDb(dir.Sub("db"),
                     [](rocksdb::DB* db, std::vector<rocksdb::ColumnFamilyHandle*>* cfs) {
                       REQUIRE(db->DropColumnFamily((*cfs)[5]).ok());
                     });
    for (bool read_only : {false, true}) {
      auto store = Store::Open(dir.Sub("db"), {.create_if_missing = false, .read_only = read_only});
      CHECK(absl::IsFailedPrecondition(store.status()));
      CHECK(store.status().message().find("'rosters', which is missing") != std::string_view::npos);
    }
  }
  SECTION("a CollabGraph database that lost its magic record is damaged, not a stranger") {
    { MustOpen(dir.Sub("db")); }
    WithPlainRocksDb(dir.Sub("db"),
                     [](rocksdb::DB* db, std::vector<rocksdb::ColumnFamilyHandle*>* cfs) {
                       REQUIRE(db->Delete(rocksdb::WriteOptions(), (*cfs)[0], "magic").ok());
                     });
    auto store = Store::Open(dir.Sub("db"), {});
    CHECK(absl::IsDataLoss(store.status()));
    CHECK(store.status().message().find("is damaged") != std::string_view::npos);
  }
  SECTION("a regular file") {
    const std::string file = dir.Write("file", "x");
    CHECK(absl::IsFailedPrecondition(Store::Open(file, {}).status()));
  }
  SECTION("a missing path when creation is off") {
    StoreOptions options;
    options.create_if_missing = false;
    CHECK(absl::IsNotFound(Store::Open(dir.Sub("missing"), options).status()));
    CHECK_FALSE(std::filesystem::exists(dir.Sub("missing")));
  }
}

TEST_CASE("A newer read format is refused, naming the path and both versions", "[storage]") {
  TempDir dir;
  const std::string path = dir.Sub("db");
  MustOpen(path);
  SetMeta(path, "format.read", 99);
  // A newer format may bring column families of its own; they must not hide the versions.
  SECTION("the meta record only") {}
  SECTION("and a column family of the newer format") { AddColumnFamily(path, "future"); }
  auto store = Store::Open(path, {});
  REQUIRE(absl::IsFailedPrecondition(store.status()));
  const std::string msg(store.status().message());
  CHECK(msg.find(path) != std::string::npos);
  CHECK(msg.find("99") != std::string::npos);
  CHECK(msg.find(std::to_string(collabgraph::storage::kMinReadFormatVersion) + " to " +
                 std::to_string(collabgraph::storage::kFormatVersion)) != std::string::npos);
}

TEST_CASE("A newer write format opens read-only", "[storage]") {
  TempDir dir;
  const std::string path = dir.Sub("db");
  MustOpen(path);
  SetMeta(path, "format.write", collabgraph::storage::kFormatVersion + 1);
  SECTION("the meta record only") {}
  SECTION("and a column family of the newer format") { AddColumnFamily(path, "future"); }
  auto store = MustOpen(path);
  CHECK(store->read_only());
  auto batch = store->NewBatch();
  batch->Put(Cf::kNodes, "k", "v");
  CHECK(absl::IsFailedPrecondition(store->Write(batch.get(), false)));
}

TEST_CASE("A second read-write open fails at once with 'locked by another process'", "[storage]") {
  TempDir dir;
  const std::string path = dir.Sub("db");
  MustOpen(path);
  SECTION("in this process") {
    auto first = MustOpen(path);
    auto second = Store::Open(path, {});
    CHECK(absl::IsUnavailable(second.status()));
    CHECK(second.status().message().find("locked by another process") != std::string_view::npos);
  }
  SECTION("in another process") {
    int to_child[2];
    int to_parent[2];
    REQUIRE(pipe(to_child) == 0);
    REQUIRE(pipe(to_parent) == 0);
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      // The child holds the database open until the parent has tried.
      auto held = Store::Open(path, {});
      char c = held.ok() ? 'y' : 'n';
      (void)!write(to_parent[1], &c, 1);
      (void)!read(to_child[0], &c, 1);
      _exit(held.ok() ? 0 : 1);
    }
    char c = 0;
    REQUIRE(read(to_parent[0], &c, 1) == 1);
    REQUIRE(c == 'y');
    auto second = Store::Open(path, {});
    (void)!write(to_child[1], &c, 1);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(absl::IsUnavailable(second.status()));
    CHECK(second.status().message().find("locked by another process") != std::string_view::npos);
    for (int fd : {to_child[0], to_child[1], to_parent[0], to_parent[1]}) close(fd);
  }
}

TEST_CASE("A read-only open changes no file", "[storage]") {
  TempDir dir;
  const std::string path = dir.Sub("db");
  {
    auto store = MustOpen(path);
    auto batch = store->NewBatch();
    for (int i = 0; i < 100; ++i) batch->Put(Cf::kNodes, "key" + std::to_string(i), "value");
    REQUIRE(store->Write(batch.get(), true).ok());
  }
  const auto before = ReadAllFiles(path);
  {
    StoreOptions options;
    options.read_only = true;
    auto store = MustOpen(path, options);
    CHECK(store->read_only());
    std::string v;
    REQUIRE(store->Get(Cf::kNodes, "key7", nullptr, &v).ok());
    auto cursor = store->NewCursor(Cf::kNodes, "key", nullptr);
    int n = 0;
    for (cursor->SeekToFirst(); cursor->Valid(); cursor->Next()) ++n;
    CHECK(n == 100);
  }
  CHECK(ReadAllFiles(path) == before);
}

TEST_CASE("Prefix cursors see exactly the keys with their prefix", "[storage]") {
  TempDir dir;
  auto store = MustOpen(dir.Sub("db"));
  auto batch = store->NewBatch();
  for (const std::string k : {"\x01\x01z",
                              "\x01\x02"
                              "a",
                              "\x01\x02\xFF", "\x01\x03", "\x02"}) {
    batch->Put(Cf::kEdges, k, "");
  }
  REQUIRE(store->Write(batch.get(), false).ok());
  auto cursor = store->NewCursor(Cf::kEdges, std::string("\x01\x02", 2), nullptr);
  std::vector<std::string> seen;
  for (cursor->SeekToFirst(); cursor->Valid(); cursor->Next()) seen.emplace_back(cursor->key());
  REQUIRE(cursor->status().ok());
  CHECK(seen == std::vector<std::string>{"\x01\x02"
                                         "a",
                                         "\x01\x02\xFF"});
}

TEST_CASE("A snapshot does not see later writes", "[storage]") {
  TempDir dir;
  auto store = MustOpen(dir.Sub("db"));
  auto batch = store->NewBatch();
  batch->Put(Cf::kNodes, "a", "1");
  REQUIRE(store->Write(batch.get(), false).ok());
  auto snapshot = store->GetSnapshot();
  batch->Clear();
  batch->Put(Cf::kNodes, "a", "2");
  batch->Put(Cf::kNodes, "b", "2");
  REQUIRE(store->Write(batch.get(), false).ok());
  std::string v;
  REQUIRE(store->Get(Cf::kNodes, "a", snapshot.get(), &v).ok());
  CHECK(v == "1");
  CHECK(absl::IsNotFound(store->Get(Cf::kNodes, "b", snapshot.get(), &v)));
  REQUIRE(store->Get(Cf::kNodes, "a", nullptr, &v).ok());
  CHECK(v == "2");
}

TEST_CASE("A bulk SST file left by a crash is removed by the next read-write open", "[storage]") {
  TempDir dir;
  const std::string path = dir.Sub("db");
  MustOpen(path).reset();
  const std::string stale = path + "/bulk-3-nodes.sst";
  { std::ofstream(stale) << "half-written"; }
  {
    StoreOptions read_only;
    read_only.read_only = true;
    auto reader = MustOpen(path, read_only);
    CHECK(std::filesystem::exists(stale));  // a read-only open changes no file
  }
  auto store = MustOpen(path);
  CHECK_FALSE(std::filesystem::exists(stale));
  std::string v;
  CHECK(absl::IsNotFound(store->Get(Cf::kNodes, "k", nullptr, &v)));
}

TEST_CASE("A bulk batch lands as a write batch would: in key order, the last put of a key wins",
          "[storage]") {
  // IngestAsTables sorts each column family's puts a stream at a time on the 20 key bytes
  // after the stream prefix, then on the whole key. Keys drawn from a few byte values, with
  // long shared starts, many repeats and zero bytes, hit every case of that comparison: keys
  // shorter than the prefix, keys equal but for trailing zeros, keys that tie on 20 bytes
  // and differ after them, and streams already in order, with repeats and without (then left
  // as they came, unsorted).
  std::mt19937 rng(20261127);
  const std::string alphabet("\x00\x01\x02\xFF", 4);
  auto random_key = [&](size_t min_size) {
    std::string key(min_size + rng() % 30, '\0');
    for (char& c : key) c = alphabet[rng() % alphabet.size()];
    return key;
  };
  // Each batch is made of both kinds: the RocksDB batch written with Write is the reference;
  // the kTables batch goes through Write too (converted), and each kind through IngestAsTables.
  using Kind = collabgraph::storage::WriteBatch::Kind;
  TempDir dir;
  auto written = MustOpen(dir.Sub("written"));
  auto written_tables = MustOpen(dir.Sub("written-tables"));
  auto bulk = MustOpen(dir.Sub("bulk"));
  auto bulk_tables = MustOpen(dir.Sub("bulk-tables"));
  auto batch = written->NewBatch();
  auto tables_batch = written->NewBatch();
  tables_batch->Reset(Kind::kTables);
  const std::vector<Cf> cfs = {Cf::kNodes, Cf::kEdges, Cf::kIndex, Cf::kCounters};
  size_t puts = 0;
  for (int round = 0; round < 3; ++round) {
    for (Cf cf : cfs) {
      std::vector<std::string> keys;
      for (int i = 0; i < 300; ++i) keys.push_back(random_key(1));
      // A stream of more than 4,096 records in key order (a file of its own), with repeats.
      const std::string start = random_key(2).substr(0, 2);
      for (uint32_t i = 0; i < 5000; ++i) {
        std::string key = start;
        collabgraph::util::PutFixed64BE(&key, i / 2);
        keys.push_back(key);
      }
      // Keys that share their first 24 bytes and differ after them, out of order.
      const std::string shared = random_key(24).substr(0, 24);
      for (int i = 0; i < 300; ++i) keys.push_back(shared + random_key(0));
      for (int i = 0; i < 2000; ++i) keys.push_back(keys[rng() % keys.size()]);  // repeats
      // A stream whose sort words vary in three bytes only (sorted by radix passes), with
      // keys that end inside the words (zero padding: ties decided by length) and keys that
      // run past them (ties decided by the rest).
      for (int i = 0; i < 3000; ++i) {
        std::string key("\x05\x05", 2);
        key.append(20, '\0');
        for (const size_t at : {5, 13, 21}) key[at] = alphabet[rng() % alphabet.size()];
        if (const uint32_t r = rng() % 4; r == 0) {
          key.resize(2 + rng() % 20);
        } else if (r == 1) {
          key += random_key(0);
        }
        keys.push_back(key);
      }
      // A stream of its own (a first byte the others lack) in key order, each key twice.
      for (uint32_t i = 0; i < 200; ++i) {
        std::string key("\x07\x07", 2);
        collabgraph::util::PutFixed64BE(&key, i / 2);
        keys.push_back(key);
      }
      // And one in key order without repeats (new nodes' keys), which is left as it came.
      for (uint32_t i = 0; i < 200; ++i) {
        std::string key("\x08\x08", 2);
        collabgraph::util::PutFixed64BE(&key, i);
        keys.push_back(key);
      }
      for (const std::string& key : keys) {
        const std::string value = std::to_string(puts++);
        batch->Put(cf, key, value);
        tables_batch->Put(cf, key, value);
      }
    }
    CHECK(tables_batch->Count() == batch->Count());
    REQUIRE(bulk->IngestAsTables(batch.get()).ok());
    REQUIRE(bulk_tables->IngestAsTables(tables_batch.get()).ok());
    REQUIRE(written->Write(batch.get(), false).ok());
    REQUIRE(written_tables->Write(tables_batch.get(), false).ok());
    batch->Clear();
    tables_batch->Clear();
    CHECK(tables_batch->kind() == Kind::kTables);
  }
  REQUIRE(bulk->FinishBulk().ok());
  REQUIRE(bulk_tables->FinishBulk().ok());
  for (Cf cf : cfs) {
    auto records = [cf](Store* store) {
      std::vector<std::pair<std::string, std::string>> out;
      auto cursor = store->NewCursor(cf, "", nullptr);
      for (cursor->SeekToFirst(); cursor->Valid(); cursor->Next()) {
        out.emplace_back(cursor->key(), cursor->value());
      }
      REQUIRE(cursor->status().ok());
      return out;
    };
    INFO("column family " << static_cast<int>(cf));
    const auto expected = records(written.get());
    CHECK(expected.size() > 5000);
    for (Store* store : {bulk.get(), bulk_tables.get(), written_tables.get()}) {
      const auto got = records(store);
      CHECK(got.size() == expected.size());
      CHECK(got == expected);
    }
  }
}

TEST_CASE("A bulk batch compresses only the files that stay: those that overlap nothing",
          "[storage]") {
  TempDir dir;
  auto store = MustOpen(dir.Sub("db"));
  auto batch_of = [&](const std::string& index_prefix, const std::string& node_prefix) {
    auto batch = store->NewBatch();
    batch->Reset(collabgraph::storage::WriteBatch::Kind::kTables);
    for (int i = 0; i < 100; ++i) {
      const std::string n = std::to_string(1000 + i);
      batch->Put(Cf::kIndex, index_prefix + n, "value " + n);
      batch->Put(Cf::kNodes, node_prefix + n, "value " + n);
    }
    return batch;
  };
  using Files = std::map<std::string, int>;
  auto first = batch_of("k", "a");
  REQUIRE(store->IngestAsTables(first.get()).ok());
  CHECK(store->TableCompressions(Cf::kIndex) == Files{{"LZ4", 1}});
  // The index keys fall among the first batch's ("k1000x" after "k1000"): that file lands
  // above them and is merged at the end, uncompressed until then; the node keys ("b...")
  // follow the first batch's ("a...") and stay on the bottom level, compressed.
  auto second = batch_of("k", "b");
  for (int i = 0; i < 100; ++i) second->Put(Cf::kIndex, "k" + std::to_string(1000 + i) + "x", "");
  REQUIRE(store->IngestAsTables(second.get()).ok());
  CHECK(store->TableCompressions(Cf::kIndex) == Files{{"LZ4", 1}, {"NoCompression", 1}});
  CHECK(store->TableCompressions(Cf::kNodes) == Files{{"LZ4", 2}});
  REQUIRE(store->FinishBulk().ok());
  CHECK(store->TableCompressions(Cf::kIndex) == Files{{"LZ4", 1}});
  std::string value;
  REQUIRE(store->Get(Cf::kIndex, "k1042", nullptr, &value).ok());
  CHECK(value == "value 1042");
  REQUIRE(store->Get(Cf::kIndex, "k1042x", nullptr, &value).ok());
  CHECK(value.empty());
}

TEST_CASE("A batch of either kind applies its puts and deletes in order", "[storage]") {
  using Kind = collabgraph::storage::WriteBatch::Kind;
  TempDir dir;
  std::map<Kind, std::unique_ptr<Store>> stores;
  for (Kind kind : {Kind::kLog, Kind::kTables}) {
    auto store = MustOpen(dir.Sub(kind == Kind::kLog ? "log" : "tables"));
    auto setup = store->NewBatch();
    setup->Put(Cf::kNodes, "gone", "1");
    setup->Put(Cf::kEdges, "gone", "2");
    REQUIRE(store->Write(setup.get(), false).ok());
    auto batch = store->NewBatch();
    batch->Reset(kind);
    CHECK(batch->kind() == kind);
    batch->Put(Cf::kNodes, "a", "first");
    const size_t at = batch->PutAndLocate(Cf::kNodes, "b", "located");
    batch->Delete(Cf::kNodes, "a");
    batch->Put(Cf::kNodes, "a", "second");
    batch->Put(Cf::kIndex, "c", "");
    batch->Delete(Cf::kNodes, "gone");  // the edges' "gone" stays
    batch->Delete(Cf::kIndex, "c");
    CHECK(batch->ValueAt(at, 7) == "located");
    CHECK(batch->Count() == 7);
    CHECK(batch->HasDeletes());
    // Deletes cannot go into tables: the batch is refused whole.
    const absl::Status refused = store->IngestAsTables(batch.get());
    INFO(refused.ToString());
    CHECK(absl::IsInvalidArgument(refused));
    REQUIRE(store->Write(batch.get(), false).ok());
    stores[kind] = std::move(store);
  }
  for (const auto& [kind, store] : stores) {
    CAPTURE(kind == Kind::kLog);
    std::string value;
    REQUIRE(store->Get(Cf::kNodes, "a", nullptr, &value).ok());
    CHECK(value == "second");
    REQUIRE(store->Get(Cf::kNodes, "b", nullptr, &value).ok());
    CHECK(value == "located");
    CHECK(absl::IsNotFound(store->Get(Cf::kNodes, "gone", nullptr, &value)));
    REQUIRE(store->Get(Cf::kEdges, "gone", nullptr, &value).ok());
    CHECK(value == "2");
    CHECK(absl::IsNotFound(store->Get(Cf::kIndex, "c", nullptr, &value)));
  }
}
