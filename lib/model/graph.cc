#include "model/graph.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cassert>
#include <map>
#include <optional>
#include <type_traits>

#include "model/identity.h"
#include "util/coding.h"
#include "util/hash.h"
#include "util/status_macros.h"

namespace collabgraph::model {

static_assert(kCurrentFormatForIdentity == storage::kFormatVersion,
              "identity index entries must follow the storage format version");

namespace {
// Entity indexes are worth caching in the writer; paper indexes are looked up once each.
bool IsCachedIndex(std::string_view key) {
  if (key.empty()) return false;
  const auto kind = static_cast<IndexKind>(static_cast<uint8_t>(key[0]));
  return kind == IndexKind::kAuthorKey || kind == IndexKind::kInstitutionKey ||
         kind == IndexKind::kCountryCode || kind == IndexKind::kVenueName ||
         kind == IndexKind::kTagName;
}

std::string EncodeU64(uint64_t v) {
  std::string s;
  util::PutFixed64BE(&s, v);
  return s;
}
}  // namespace

ReadView::ReadView(const storage::Store* store) : store_(store), snapshot_(store->GetSnapshot()) {}

std::unique_ptr<ReadView> ReadView::WithoutSnapshotForTesting(const storage::Store* store) {
  auto view = std::make_unique<ReadView>(store);
  view->snapshot_.reset();
  return view;
}

absl::StatusOr<Properties> ReadView::GetNode(Label label, NodeId id) const {
  std::string value;
  absl::Status st = store_->Get(storage::Cf::kNodes, NodeKey(label, id), snapshot_.get(), &value);
  if (absl::IsNotFound(st)) {
    return absl::NotFoundError(std::string(LabelName(label)) + " " + std::to_string(id) +
                               " does not exist");
  }
  COLLABGRAPH_RETURN_IF_ERROR(st);
  Properties props;
  if (!DecodeProperties(value, &props)) {
    return absl::DataLossError(store_->path() + ": " + std::string(LabelName(label)) + " " +
                               std::to_string(id) + " has a malformed value");
  }
  return props;
}

std::vector<absl::StatusOr<Properties>> ReadView::GetNodes(Label label,
                                                           const std::vector<NodeId>& ids) const {
  std::vector<std::string> keys;
  keys.reserve(ids.size());
  for (NodeId id : ids) keys.push_back(NodeKey(label, id));
  std::vector<std::string> values;
  std::vector<absl::Status> statuses;
  store_->MultiGet(storage::Cf::kNodes, keys, snapshot_.get(), &values, &statuses);
  std::vector<absl::StatusOr<Properties>> out;
  out.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    auto name = [&] { return std::string(LabelName(label)) + " " + std::to_string(ids[i]); };
    Properties props;
    if (absl::IsNotFound(statuses[i])) {
      out.emplace_back(absl::NotFoundError(name() + " does not exist"));
    } else if (!statuses[i].ok()) {
      out.emplace_back(statuses[i]);
    } else if (!DecodeProperties(values[i], &props)) {
      out.emplace_back(
          absl::DataLossError(store_->path() + ": " + name() + " has a malformed value"));
    } else {
      out.emplace_back(std::move(props));
    }
  }
  return out;
}

absl::StatusOr<std::optional<NodeId>> ReadView::Lookup(std::string_view index_key) const {
  std::string value;
  absl::Status st = store_->Get(storage::Cf::kIndex, index_key, snapshot_.get(), &value);
  if (absl::IsNotFound(st)) return std::optional<NodeId>();
  COLLABGRAPH_RETURN_IF_ERROR(st);
  NodeId id = 0;
  if (!DecodeId(value, &id)) {
    return absl::DataLossError(store_->path() + ": malformed index value");
  }
  return std::optional<NodeId>(id);
}

absl::Status ReadView::ScanNodes(Label label,
                                 const std::function<void(NodeId, std::string_view)>& fn) const {
  auto cursor = store_->NewCursor(storage::Cf::kNodes, NodePrefix(label), snapshot_.get());
  for (cursor->SeekToFirst(); cursor->Valid(); cursor->Next()) {
    Label l{};
    NodeId id = 0;
    if (!DecodeNodeKey(cursor->key(), &l, &id)) {
      return absl::DataLossError(store_->path() + ": malformed node key");
    }
    fn(id, cursor->value());
  }
  return cursor->status();
}

absl::Status ReadView::ScanEdges(
    EdgeType type, Direction dir, std::optional<NodeId> a,
    const std::function<void(const EdgeKeyParts&, std::string_view)>& fn) const {
  auto cursor = store_->NewCursor(storage::Cf::kEdges, EdgePrefix(type, dir, a), snapshot_.get());
  EdgeKeyParts parts{};
  for (cursor->SeekToFirst(); cursor->Valid(); cursor->Next()) {
    if (!DecodeEdgeKey(cursor->key(), &parts)) {
      return absl::DataLossError(store_->path() + ": malformed edge key");
    }
    fn(parts, cursor->value());
  }
  return cursor->status();
}

absl::Status ReadView::ScanIndex(
    IndexKind kind, const std::function<void(std::string_view, std::string_view)>& fn) const {
  auto cursor = store_->NewCursor(storage::Cf::kIndex, std::string(1, static_cast<char>(kind)),
                                  snapshot_.get());
  for (cursor->SeekToFirst(); cursor->Valid(); cursor->Next()) {
    fn(cursor->key().substr(1), cursor->value());
  }
  return cursor->status();
}

std::unique_ptr<storage::Cursor> ReadView::NewCursor(storage::Cf cf,
                                                     std::string_view prefix) const {
  return store_->NewCursor(cf, prefix, snapshot_.get());
}

absl::Status ReadView::ScanRaw(
    storage::Cf cf, const std::function<void(std::string_view, std::string_view)>& fn) const {
  auto cursor = store_->NewCursor(cf, "", snapshot_.get());
  for (cursor->SeekToFirst(); cursor->Valid(); cursor->Next()) fn(cursor->key(), cursor->value());
  return cursor->status();
}

absl::StatusOr<uint64_t> ReadView::ReadCounter(const std::string& key) const {
  std::string value;
  absl::Status st = store_->Get(storage::Cf::kCounters, key, snapshot_.get(), &value);
  if (absl::IsNotFound(st)) return uint64_t{0};
  COLLABGRAPH_RETURN_IF_ERROR(st);
  uint64_t v = 0;
  std::string_view in(value);
  if (!util::GetFixed64BE(&in, &v) || !in.empty()) {
    return absl::DataLossError(store_->path() + ": malformed counter value");
  }
  return v;
}

absl::StatusOr<uint64_t> ReadView::NodeCount(Label label) const {
  return ReadCounter(CounterKey(CounterKind::kNodeCount, static_cast<uint8_t>(label)));
}

absl::StatusOr<uint64_t> ReadView::EdgeCount(EdgeType type) const {
  return ReadCounter(CounterKey(CounterKind::kEdgeCount, static_cast<uint8_t>(type)));
}

absl::StatusOr<std::unique_ptr<Graph>> Graph::Open(const std::string& path,
                                                   const storage::StoreOptions& options) {
  COLLABGRAPH_ASSIGN_OR_RETURN(auto store, storage::Store::Open(path, options));
  return std::unique_ptr<Graph>(new Graph(std::move(store)));
}

absl::StatusOr<std::unique_ptr<Writer>> Graph::NewWriter() {
  if (store_->read_only()) {
    return store_->ReadOnlyError();
  }
  {
    std::lock_guard<std::mutex> lock(writer_mutex_);
    if (writer_active_) {
      return absl::FailedPreconditionError(store_->path() + " already has an active writer");
    }
    writer_active_ = true;
  }
  std::unique_ptr<Writer> writer(new Writer(this));
  COLLABGRAPH_RETURN_IF_ERROR(writer->LoadCounters());
  return writer;
}

namespace {
// About 100 MB of entries: more than the authors and institutions of a million papers.
constexpr size_t kIndexCacheLimit = size_t{1} << 20;
std::atomic<size_t> index_cache_limit_for_testing{0};

size_t IndexCacheLimit() {
  const size_t for_testing = index_cache_limit_for_testing.load();
  return for_testing > 0 ? for_testing : kIndexCacheLimit;
}
}  // namespace

void SetIndexCacheLimitForTesting(size_t limit) { index_cache_limit_for_testing = limit; }

Writer::Writer(Graph* graph)
    : graph_(graph),
      batch_(graph->store_->NewBatch()),
      index_cache_limit_(IndexCacheLimit()),
      inflight_batch_(graph->store_->NewBatch()) {}

Writer::~Writer() {
  // A commit in flight lands or fails on its own: it is a whole batch either way.
  WaitForCommits().IgnoreError();
  std::lock_guard<std::mutex> lock(graph_->writer_mutex_);
  graph_->writer_active_ = false;
}

absl::Status Writer::LoadCounters() {
  ReadView view(graph_->store_.get());
  for (Label label : kAllLabels) {
    const auto code = static_cast<uint8_t>(label);
    COLLABGRAPH_ASSIGN_OR_RETURN(committed_.nodes[code], view.NodeCount(label));
    std::string value;
    absl::Status st = graph_->store_->Get(storage::Cf::kCounters,
                                          CounterKey(CounterKind::kNextId, code), nullptr, &value);
    if (absl::IsNotFound(st)) {
      committed_.next_id[code] = 1;  // id 0 is never allocated
      continue;
    }
    COLLABGRAPH_RETURN_IF_ERROR(st);
    std::string_view in(value);
    if (!util::GetFixed64BE(&in, &committed_.next_id[code])) {
      return absl::DataLossError(graph_->store_->path() + ": malformed next-id counter");
    }
  }
  for (EdgeType type : kAllEdgeTypes) {
    COLLABGRAPH_ASSIGN_OR_RETURN(committed_.edges[static_cast<uint8_t>(type)],
                                 view.EdgeCount(type));
  }
  pending_ = committed_;
  // The lookup filter holds only keys written from now on, so it answers for the database only
  // when the index is empty now.
  auto cursor = graph_->store_->NewCursor(storage::Cf::kIndex, "", nullptr);
  cursor->SeekToFirst();
  COLLABGRAPH_RETURN_IF_ERROR(cursor->status());
  index_filter_active_ = !cursor->Valid();
  return absl::OkStatus();
}

NodeId Writer::AllocateId(Label label) { return pending_.next_id[static_cast<uint8_t>(label)]++; }

void Writer::PutNode(Label label, NodeId id, const Properties& props, bool is_new) {
  const std::string value = EncodeProperties(props);
  pending_nodes_[{label, id}] = {
      batch_->PutAndLocate(storage::Cf::kNodes, NodeKey(label, id), value), value.size()};
  if (is_new) ++pending_.nodes[static_cast<uint8_t>(label)];
  // A new paper starts with an empty roster, without a read.
  if (is_new && label == Label::kPaper) pending_rosters_.try_emplace(id);
}

void Writer::PutEdge(EdgeType type, NodeId src, NodeId dst, uint32_t rank, const Properties& props,
                     bool is_new) {
  const std::string value = EncodeProperties(props);
  const auto out = EdgeKeyArray({type, Direction::kOut, src, dst, rank});
  const auto in = EdgeKeyArray({type, Direction::kIn, dst, src, rank});
  batch_->Put(storage::Cf::kEdges, std::string_view(out.data(), out.size()), value);
  batch_->Put(storage::Cf::kEdges, std::string_view(in.data(), in.size()), value);
  if (!is_new) return;
  ++pending_.edges[static_cast<uint8_t>(type)];
  if (type == EdgeType::kAuthored) {
    if (Roster* r = PendingRoster(dst)) r->authors.emplace_back(rank, src);
  } else if (type == EdgeType::kAffiliated) {
    if (Roster* r = PendingRoster(src)) r->institutions.emplace_back(rank, dst);
  }
}

void Writer::PutIndex(const std::string& key, std::string_view value) {
  batch_->Put(storage::Cf::kIndex, key, value);
  NodeId id = 0;
  if (!DecodeId(value, &id)) return;
  pending_index_[key] = id;
  // Lookup reads the cache first: it must not hold another id for a key the record writes.
  if (IsCachedIndex(key)) index_cache_.erase(key);
  if (index_filter_active_) {
    // Added before the commit: a key of a record that is later dropped stays, which only costs
    // its lookups a read.
    constexpr size_t kIndexFilterLimit = size_t{1} << 23;
    if (index_filter_.size() < kIndexFilterLimit) {
      index_filter_.insert(util::Hash64(key));
    } else {
      index_filter_active_ = false;
      index_filter_ = {};
    }
  }
}

void Writer::DeleteNodeRecord(Label label, NodeId id) {
  batch_->Delete(storage::Cf::kNodes, NodeKey(label, id));
  pending_nodes_.erase({label, id});
  --pending_.nodes[static_cast<uint8_t>(label)];
  if (label == Label::kPaper) {
    pending_rosters_.erase(id);
    pending_deleted_papers_.push_back(id);
  }
}

void Writer::DeleteEdgeRecords(EdgeType type, NodeId src, NodeId dst, uint32_t rank) {
  batch_->Delete(storage::Cf::kEdges, EdgeKey({type, Direction::kOut, src, dst, rank}));
  batch_->Delete(storage::Cf::kEdges, EdgeKey({type, Direction::kIn, dst, src, rank}));
  --pending_.edges[static_cast<uint8_t>(type)];
  if (type == EdgeType::kAuthored) {
    if (Roster* r = PendingRoster(dst)) std::erase(r->authors, std::pair{rank, src});
  } else if (type == EdgeType::kAffiliated) {
    if (Roster* r = PendingRoster(src)) std::erase(r->institutions, std::pair{rank, dst});
  }
}

Roster* Writer::PendingRoster(NodeId paper) {
  if (auto it = pending_rosters_.find(paper); it != pending_rosters_.end()) return &it->second;
  Roster roster;
  auto chunk = CommittedChunk(RosterChunkOf(paper));
  if (!chunk.ok()) {
    if (roster_error_.ok()) roster_error_ = chunk.status();
    return nullptr;
  }
  for (const auto& [id, encoded] : **chunk) {
    if (id == paper && !DecodeRoster(encoded, &roster)) {
      if (roster_error_.ok()) {
        roster_error_ = absl::DataLossError(graph_->store_->path() +
                                            ": malformed roster of paper " + std::to_string(paper));
      }
      return nullptr;
    }
  }
  return &pending_rosters_.emplace(paper, std::move(roster)).first->second;
}

absl::StatusOr<const RosterChunk*> Writer::CommittedChunk(NodeId chunk) {
  if (auto it = chunk_cache_.find(chunk); it != chunk_cache_.end()) return &it->second;
  // A chunk of ids no paper had when the pending record began has no committed roster: ids
  // are not reused. Every chunk of a bulk batch is one (a batch ends at a chunk's end), and
  // each was a read of the store, after waiting for the batch in flight to land.
  static const RosterChunk kNone;
  if (chunk << kRosterChunkBits >= committed_.next_id[static_cast<uint8_t>(Label::kPaper)]) {
    return &kNone;
  }
  COLLABGRAPH_RETURN_IF_ERROR(WaitForCommits());
  RosterChunk papers;
  std::string value;
  absl::Status st =
      graph_->store_->Get(storage::Cf::kRosters, RosterChunkKey(chunk), nullptr, &value);
  if (st.ok() && !DecodeRosterChunk(chunk, value, &papers)) {
    return absl::DataLossError(graph_->store_->path() + ": malformed roster chunk " +
                               std::to_string(chunk));
  }
  if (!st.ok() && !absl::IsNotFound(st)) return st;
  return CacheChunk(chunk, std::move(papers));
}

const RosterChunk* Writer::CacheChunk(NodeId chunk, RosterChunk papers) {
  if (chunk_cache_.size() >= 4096 && !chunk_cache_.contains(chunk)) chunk_cache_.clear();
  RosterChunk& cached = chunk_cache_[chunk];
  cached = std::move(papers);
  return &cached;
}

absl::Status Writer::PutRosterChunks(std::vector<std::pair<NodeId, RosterChunk>>* written) {
  COLLABGRAPH_RETURN_IF_ERROR(roster_error_);
  // The touched papers by chunk: a new roster, or none for a deleted paper. The rosters are
  // moved out (pending_rosters_ is cleared after this, whatever happens).
  std::map<NodeId, std::vector<std::pair<NodeId, Roster*>>> touched;
  for (auto& [paper, roster] : pending_rosters_) {
    touched[RosterChunkOf(paper)].emplace_back(paper, &roster);
  }
  for (NodeId paper : pending_deleted_papers_) {
    touched[RosterChunkOf(paper)].emplace_back(paper, nullptr);
  }
  for (auto& [chunk, papers] : touched) {
    COLLABGRAPH_ASSIGN_OR_RETURN(const RosterChunk* committed, CommittedChunk(chunk));
    std::array<std::optional<std::string>, size_t{1} << kRosterChunkBits> slots;
    const NodeId mask = (NodeId{1} << kRosterChunkBits) - 1;
    for (const auto& [paper, encoded] : *committed) slots[paper & mask] = encoded;
    for (const auto& [paper, roster] : papers) {
      if (roster == nullptr) {
        slots[paper & mask].reset();
      } else {
        slots[paper & mask] = EncodeRoster(std::move(*roster));
      }
    }
    RosterChunk merged;
    for (size_t i = 0; i < slots.size(); ++i) {
      if (slots[i]) merged.emplace_back((chunk << kRosterChunkBits) | i, std::move(*slots[i]));
    }
    if (merged.empty()) {
      batch_->Delete(storage::Cf::kRosters, RosterChunkKey(chunk));
    } else {
      batch_->Put(storage::Cf::kRosters, RosterChunkKey(chunk), EncodeRosterChunk(merged));
    }
    written->emplace_back(chunk, std::move(merged));
  }
  return absl::OkStatus();
}

void Writer::DeleteIndex(const std::string& key) {
  batch_->Delete(storage::Cf::kIndex, key);
  pending_index_.erase(key);
  index_cache_.erase(key);  // see PutIndex
  pending_deleted_index_.push_back(key);
}

absl::StatusOr<Properties> Writer::GetNode(Label label, NodeId id) {
  std::optional<std::string_view> encoded;
  if (auto it = pending_nodes_.find({label, id}); it != pending_nodes_.end()) {
    encoded = batch_->ValueAt(it->second.first, it->second.second);
  } else if (auto in = inflight_nodes_.find({label, id}); in != inflight_nodes_.end()) {
    encoded = inflight_batch_->ValueAt(in->second.first, in->second.second);
  }
  if (encoded.has_value()) {
    Properties props;
    if (!DecodeProperties(*encoded, &props)) {
      return absl::DataLossError(graph_->store_->path() + ": malformed pending node " +
                                 std::to_string(id));
    }
    return props;
  }
  return ReadView(graph_->store_.get()).GetNode(label, id);
}

absl::StatusOr<bool> Writer::HasEdge(EdgeType type, NodeId src, NodeId dst, uint32_t rank) {
  COLLABGRAPH_RETURN_IF_ERROR(WaitForCommits());
  std::string value;
  absl::Status st = graph_->store_->Get(
      storage::Cf::kEdges, EdgeKey({type, Direction::kOut, src, dst, rank}), nullptr, &value);
  if (absl::IsNotFound(st)) return false;
  COLLABGRAPH_RETURN_IF_ERROR(st);
  return true;
}

absl::StatusOr<bool> Writer::HasAnyEdge(EdgeType type, Direction dir, NodeId id) {
  COLLABGRAPH_RETURN_IF_ERROR(WaitForCommits());
  auto cursor = graph_->store_->NewCursor(storage::Cf::kEdges, EdgePrefix(type, dir, id), nullptr);
  cursor->SeekToFirst();
  const bool any = cursor->Valid();
  COLLABGRAPH_RETURN_IF_ERROR(cursor->status());
  return any;
}

absl::StatusOr<std::optional<NodeId>> Writer::Lookup(const std::string& index_key) {
  // The maps share one hash function: the key is hashed once. Most lookups are of authors and
  // institutions seen before, which the cache answers; it holds no key the pending record
  // writes or deletes (PutIndex, DeleteIndex), so it can be asked before the pending record.
  using Hasher = decltype(index_cache_)::hasher;
  static_assert(std::is_same_v<Hasher, decltype(pending_index_)::hasher>);
  static_assert(std::is_same_v<Hasher, decltype(inflight_index_)::hasher>);
  const size_t hash = index_cache_.hash_function()(index_key);
  if (auto it = index_cache_.find(index_key, hash); it != index_cache_.end()) {
    return std::optional<NodeId>(it->second);
  }
  // The filter holds every key this writer has written with an id, pending and in flight
  // included, and the database held no entry when it started: a key it lacks has none, and a
  // load into a new database answers its misses (each paper's source key, each new author)
  // here, without probing the maps below.
  if (index_filter_active_ && !index_filter_.contains(util::Hash64(index_key))) {
    return std::optional<NodeId>();
  }
  if (auto it = pending_index_.find(index_key, hash); it != pending_index_.end()) {
    return std::optional<NodeId>(it->second);
  }
  if (!pending_deleted_index_.empty() &&
      std::find(pending_deleted_index_.begin(), pending_deleted_index_.end(), index_key) !=
          pending_deleted_index_.end()) {
    return std::optional<NodeId>();
  }
  if (auto it = inflight_index_.find(index_key, hash); it != inflight_index_.end()) {
    return std::optional<NodeId>(it->second);
  }
  std::string value;
  absl::Status st = graph_->store_->Get(storage::Cf::kIndex, index_key, nullptr, &value);
  if (absl::IsNotFound(st)) return std::optional<NodeId>();
  COLLABGRAPH_RETURN_IF_ERROR(st);
  NodeId id = 0;
  if (!DecodeId(value, &id)) {
    return absl::DataLossError(graph_->store_->path() + ": malformed index value");
  }
  CacheIndex(index_key, id);
  return std::optional<NodeId>(id);
}

void Writer::CacheIndex(const std::string& key, NodeId id) {
  if (!IsCachedIndex(key)) return;
  if (index_cache_.size() >= index_cache_limit_ && index_cache_.count(key) == 0) {
    index_cache_.clear();
    index_cache_emptied_ = true;
  }
  index_cache_[key] = id;
}

void Writer::PutMarker(const std::string& key, uint64_t value) {
  // Into the batch at its commit, once: a bulk batch holds thousands of papers of a file.
  pending_markers_[key] = value;
}

absl::StatusOr<std::optional<uint64_t>> Writer::ReadMarker(const std::string& key) {
  if (auto it = pending_markers_.find(key); it != pending_markers_.end()) return it->second;
  if (auto it = inflight_markers_.find(key); it != inflight_markers_.end()) return it->second;
  std::string value;
  absl::Status st = graph_->store_->Get(storage::Cf::kCounters, key, nullptr, &value);
  if (absl::IsNotFound(st)) return std::optional<uint64_t>();
  COLLABGRAPH_RETURN_IF_ERROR(st);
  std::string_view in(value);
  uint64_t v = 0;
  if (!util::GetFixed64BE(&in, &v) || !in.empty()) {
    return absl::DataLossError(graph_->store_->path() + ": malformed ingest marker");
  }
  return std::optional<uint64_t>(v);
}

absl::Status Writer::Commit(bool sync, bool bulk) {
  // A record-by-record commit lands after every bulk commit before it; nothing lands after a
  // failed one.
  if (absl::Status st = bulk ? failed_ : WaitForCommits(); !st.ok()) {
    Abort();
    return st;
  }
  std::vector<std::pair<NodeId, RosterChunk>> chunks;
  if (absl::Status st = PutRosterChunks(&chunks); !st.ok()) {
    Abort();
    return st;
  }
  // Counter records and ingest markers go into the same batch as the data they count.
  for (const auto& [key, value] : pending_markers_) {
    batch_->Put(storage::Cf::kCounters, key, EncodeU64(value));
  }
  for (Label label : kAllLabels) {
    const auto code = static_cast<uint8_t>(label);
    if (pending_.nodes[code] != committed_.nodes[code]) {
      batch_->Put(storage::Cf::kCounters, CounterKey(CounterKind::kNodeCount, code),
                  EncodeU64(pending_.nodes[code]));
    }
    if (pending_.next_id[code] != committed_.next_id[code]) {
      batch_->Put(storage::Cf::kCounters, CounterKey(CounterKind::kNextId, code),
                  EncodeU64(pending_.next_id[code]));
    }
  }
  for (EdgeType type : kAllEdgeTypes) {
    const auto code = static_cast<uint8_t>(type);
    if (pending_.edges[code] != committed_.edges[code]) {
      batch_->Put(storage::Cf::kCounters, CounterKey(CounterKind::kEdgeCount, code),
                  EncodeU64(pending_.edges[code]));
    }
  }
  if (bulk) {
    // Refused here rather than in flight, so that the writer can go on.
    if (batch_->HasDeletes()) {
      Abort();
      return absl::InvalidArgumentError("bulk ingest " + graph_->store_->path() +
                                        ": a bulk ingest batch holds puts only");
    }
    // One commit in flight at a time, so that they land in order.
    if (absl::Status st = WaitForCommits(); !st.ok()) {
      Abort();
      return st;
    }
    batch_.swap(inflight_batch_);
    batch_->Reset(batch_kind_);
    // The next batch will be about as large as this one.
    batch_->Reserve(inflight_batch_->ByteSize() + inflight_batch_->ByteSize() / 8);
    // The writer's view moves on as if the batch had landed; if it fails, failed_ stops every
    // later commit, so that view is never written.
    committed_ = pending_;
    for (auto& [key, id] : pending_index_) CacheIndex(key, id);
    for (auto& [chunk, papers] : chunks) CacheChunk(chunk, std::move(papers));
    inflight_index_ = std::move(pending_index_);
    inflight_nodes_ = std::move(pending_nodes_);
    inflight_markers_ = std::move(pending_markers_);
    ClearPending();
    // Lookups read the index once the filter is off, or once the cache has dropped entries
    // that the filter knows are there (a bulk load of millions of authors): its compaction
    // must then go on during the load (storage::Store::IngestAsTables).
    const bool index_lookups = !index_filter_active_ || index_cache_emptied_;
    committer_ = std::thread([this, index_lookups] {
      inflight_status_ = graph_->store_->IngestAsTables(inflight_batch_.get(), index_lookups);
    });
    return absl::OkStatus();
  }
  absl::Status st = graph_->store_->Write(batch_.get(), sync);
  if (st.ok()) {
    committed_ = pending_;
    batch_->Clear();
    for (const std::string& key : pending_deleted_index_) index_cache_.erase(key);
    for (auto& [key, id] : pending_index_) CacheIndex(key, id);
    for (auto& [chunk, papers] : chunks) CacheChunk(chunk, std::move(papers));
    ClearPending();
    return st;
  }
  Abort();
  return st;
}

void Writer::UseTableBatches() {
  assert(batch_->Count() == 0);
  batch_kind_ = storage::WriteBatch::Kind::kTables;
  batch_->Reset(batch_kind_);
}

absl::Status Writer::WaitForCommits() {
  if (committer_.joinable()) {
    committer_.join();
    if (failed_.ok()) failed_ = inflight_status_;
    inflight_batch_->Clear();
    inflight_index_.clear();
    inflight_nodes_.clear();
    inflight_markers_.clear();
  }
  return failed_;
}

void Writer::Abort() {
  pending_ = committed_;
  batch_->Clear();
  ClearPending();
}

void Writer::ClearPending() {
  pending_index_.clear();
  pending_deleted_index_.clear();
  pending_nodes_.clear();
  pending_markers_.clear();
  pending_rosters_.clear();
  pending_deleted_papers_.clear();
  roster_error_ = absl::OkStatus();
}

}  // namespace collabgraph::model
