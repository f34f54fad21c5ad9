#include "query/snapshot.h"

#include <algorithm>
#include <bit>
#include <map>
#include <queue>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "absl/strings/numbers.h"

#include "model/keys.h"
#include "model/paper_status.h"
#include "model/properties.h"
#include "model/roster.h"
#include "util/coding.h"
#include "util/status_macros.h"
#include "util/text.h"

// Adjacency comes from the edge column family, where every edge is stored under both
// endpoints: [type][dir][a][b][rank]. A prefix scan of (type, dir, a) lists the other ends of
// a node's edges in ascending id order, so neighbour lists come out sorted and set operations
// on them are linear merges. From format 3 on, the members of a paper (its authors and their
// institutions) come from its roster (model/roster.h): one key per paper instead of one per
// edge, which is most of the work of country statistics and author traversals.

namespace collabgraph::query {
namespace {

using model::Direction;
using model::EdgeType;
using model::Label;
using model::NodeId;
using IdList = std::vector<NodeId>;

bool IsRegion(std::string_view code) { return code == "HK" || code == "MO" || code == "TW"; }

void SortUnique(IdList* ids) {
  std::sort(ids->begin(), ids->end());
  ids->erase(std::unique(ids->begin(), ids->end()), ids->end());
}

IdList Intersect(const IdList& a, const IdList& b) {
  IdList out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

// Reads adjacency through one RocksDB iterator that is re-seeked for every node: creating an
// iterator per node costs more than the scan itself. Not reentrant: a callback must not use
// the same reader. One per thread.
class EdgeReader {
 public:
  explicit EdgeReader(const model::ReadView& view)
      : cursor_(view.NewCursor(storage::Cf::kEdges, "")) {}

  // Calls fn(b, rank) for every edge of `type` in `dir` keyed by `a`, in (b, rank) order.
  template <typename Fn>
  absl::Status ForEach(EdgeType type, Direction dir, NodeId a, Fn&& fn) {
    return Range(type, dir, a, a, [&](NodeId, NodeId b, uint32_t rank) { fn(b, rank); });
  }

  // Calls fn(a, b, rank) for every edge of `type` in `dir` whose key vertex is in [from, last],
  // in key order: one sequential pass, for traversals that touch much of the graph.
  template <typename Fn>
  absl::Status Range(EdgeType type, Direction dir, NodeId from, NodeId last, Fn&& fn) {
    const std::string start = model::EdgePrefix(type, dir, from);
    for (cursor_->Seek(start); cursor_->Valid(); cursor_->Next()) {
      std::string_view key = cursor_->key();
      // [type u8][dir u8][a u64][b u64][rank u32]
      if (key.size() < 2 || key[0] != start[0] || key[1] != start[1]) break;
      std::string_view in = key.substr(2);
      uint64_t a = 0;
      uint64_t b = 0;
      uint32_t rank = 0;
      if (!util::GetFixed64BE(&in, &a) || !util::GetFixed64BE(&in, &b) ||
          !util::GetFixed32BE(&in, &rank) || !in.empty()) {
        return absl::DataLossError("malformed edge key under " +
                                   std::string(model::EdgeTypeName(type)));
      }
      if (a > last) break;
      fn(a, b, rank);
    }
    return cursor_->status();
  }

 private:
  std::unique_ptr<storage::Cursor> cursor_;
};

// Reads paper rosters (column family "rosters", format 3: chunks of 64 papers) through one
// re-seeked iterator, like EdgeReader. One per thread.
class RosterReader {
 public:
  explicit RosterReader(const model::ReadView& view)
      : cursor_(view.NewCursor(storage::Cf::kRosters, "")) {}

  // Calls fn(paper, encoded roster) -> Status for every paper in [from, last] that has a
  // roster, in id order.
  template <typename Fn>
  absl::Status Range(NodeId from, NodeId last, Fn&& fn) {
    for (cursor_->Seek(model::RosterChunkKey(model::RosterChunkOf(from))); cursor_->Valid();
         cursor_->Next()) {
      NodeId chunk = 0;
      if (!model::DecodeRosterChunkKey(cursor_->key(), &chunk)) {
        return absl::DataLossError("malformed paper roster key");
      }
      if ((chunk << model::kRosterChunkBits) > last) break;
      absl::Status st;
      const bool decoded = model::ForEachInChunk(chunk, cursor_->value(),
                                                 [&](NodeId paper, std::string_view roster) {
                                                   if (st.ok() && paper >= from && paper <= last)
                                                     st = fn(paper, roster);
                                                 });
      if (!decoded) {
        return absl::DataLossError("malformed paper roster chunk " + std::to_string(chunk));
      }
      COLLABGRAPH_RETURN_IF_ERROR(st);
    }
    return cursor_->status();
  }

  // Calls author(position, id) and institution(position, id) for every pair of the roster of
  // `paper` (none when it has no roster).
  template <typename AuthorFn, typename InstitutionFn>
  absl::Status Members(NodeId paper, AuthorFn&& author, InstitutionFn&& institution) {
    return Range(paper, paper, [&](NodeId, std::string_view value) {
      return Decode(paper, value, author, institution);
    });
  }

  template <typename AuthorFn, typename InstitutionFn>
  static absl::Status Decode(NodeId paper, std::string_view value, AuthorFn&& author,
                             InstitutionFn&& institution) {
    if (!model::ForEachInRoster(value, author, institution)) {
      return absl::DataLossError("malformed roster of paper " + std::to_string(paper));
    }
    return absl::OkStatus();
  }

 private:
  std::unique_ptr<storage::Cursor> cursor_;
};

template <typename Fn>
absl::Status ForEachEdge(EdgeReader& reader, EdgeType type, Direction dir, NodeId a, Fn&& fn) {
  return reader.ForEach(type, dir, a, std::forward<Fn>(fn));
}

// The distinct other ends of a node's edges, ascending.
absl::StatusOr<IdList> Ends(EdgeReader& reader, EdgeType type, Direction dir, NodeId a) {
  IdList out;
  COLLABGRAPH_RETURN_IF_ERROR(reader.ForEach(type, dir, a, [&](NodeId b, uint32_t) {
    if (out.empty() || out.back() != b) out.push_back(b);
  }));
  return out;
}

// A set of dense node ids (ids are allocated from 1 upwards per label).
class IdBits {
 public:
  bool Insert(NodeId id) {
    const size_t w = id >> 6;
    if (w >= words_.size()) words_.resize(std::max(w + 1, words_.size() * 2), 0);
    const uint64_t bit = uint64_t{1} << (id & 63);
    if ((words_[w] & bit) != 0) return false;
    words_[w] |= bit;
    return true;
  }
  bool Contains(NodeId id) const {
    const size_t w = id >> 6;
    return w < words_.size() && (words_[w] & (uint64_t{1} << (id & 63))) != 0;
  }
  // Adds every id of `other`.
  void UnionWith(const IdBits& other) {
    if (other.words_.size() > words_.size()) words_.resize(other.words_.size(), 0);
    for (size_t w = 0; w < other.words_.size(); ++w) words_[w] |= other.words_[w];
  }
  // Calls fn(id) for every id, ascending.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (size_t w = 0; w < words_.size(); ++w) {
      for (uint64_t bits = words_[w]; bits != 0; bits &= bits - 1) {
        fn(static_cast<NodeId>(w * 64 + static_cast<size_t>(std::countr_zero(bits))));
      }
    }
  }

 private:
  std::vector<uint64_t> words_;
};

// Runs fn(part) for part in [0, parts) on `parts` threads (the caller's included) and returns
// the first error.
template <typename Fn>
absl::Status RunParts(size_t parts, Fn&& fn) {
  std::vector<absl::Status> results(parts);
  std::vector<std::thread> threads;
  for (size_t i = 1; i < parts; ++i) threads.emplace_back([&, i] { results[i] = fn(i); });
  results[0] = fn(0);
  for (std::thread& t : threads) t.join();
  for (absl::Status& st : results) COLLABGRAPH_RETURN_IF_ERROR(st);
  return absl::OkStatus();
}

size_t Cores() { return std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8); }

// The records of `ids`, in order, each read with `load`.
template <typename Record, typename Load>
absl::StatusOr<std::vector<Record>> LoadEach(const IdList& ids, Load&& load) {
  std::vector<Record> out;
  out.reserve(ids.size());
  for (NodeId id : ids) {
    COLLABGRAPH_ASSIGN_OR_RETURN(Record record, load(id));
    out.push_back(std::move(record));
  }
  return out;
}

std::string Str(const model::Properties& props, std::string_view name) {
  return std::string(props.GetString(name).value_or(""));
}

PaperRecord ToPaper(NodeId id, const model::Properties& props) {
  PaperRecord p;
  p.id = id;
  p.title = Str(props, "title");
  p.venue = Str(props, "venue");
  p.year = static_cast<int>(props.GetInt("year").value_or(0));
  p.track = Str(props, "track");
  p.status = Str(props, "status");
  p.source_id = Str(props, "source_id");
  p.doi = Str(props, "doi");
  p.openalex_id = Str(props, "openalex_id");
  p.citations = props.GetInt("citations");
  return p;
}

AuthorRecord ToAuthor(NodeId id, const model::Properties& props) {
  AuthorRecord a;
  a.id = id;
  a.name = Str(props, "name");
  a.key = Str(props, "key");
  if (const model::StringList* ids = props.GetStringList("external_ids")) a.external_ids = *ids;
  return a;
}

InstitutionRecord ToInstitution(NodeId id, const model::Properties& props) {
  InstitutionRecord r;
  r.id = id;
  r.name = Str(props, "name");
  r.country_code = Str(props, "country_code");
  r.region_code = Str(props, "region_code");
  return r;
}

class SnapshotImpl;

class PaperCursorImpl : public PaperCursor {
 public:
  // Walks `ids` (ascending), or every paper node when `ids` is nullopt.
  PaperCursorImpl(const SnapshotImpl* snap, PaperQuery query, std::optional<IdList> ids);
  explicit PaperCursorImpl(absl::Status error) : status_(std::move(error)) {}
  bool Valid() const override { return valid_; }
  void Next() override { Advance(); }
  const PaperRecord& paper() const override { return current_; }
  absl::Status status() const override { return status_; }

 private:
  void Advance();
  // True when the paper passes the filters that its candidate source did not already apply.
  absl::StatusOr<bool> Passes(const model::Properties& props, NodeId id) const;

  const SnapshotImpl* snap_ = nullptr;
  PaperQuery query_;
  std::optional<IdList> ids_;
  size_t next_ = 0;
  // The records of ids_[loaded_from_ ...], read in one batch (MultiGet) ahead of the cursor.
  std::vector<absl::StatusOr<model::Properties>> loaded_;
  size_t loaded_from_ = 0;
  std::unique_ptr<storage::Cursor> scan_;  // over Paper nodes when ids_ is nullopt
  bool started_ = false;
  bool valid_ = false;
  PaperRecord current_;
  absl::Status status_;
};

class NeighborhoodCursorImpl : public NeighborhoodCursor {
 public:
  NeighborhoodCursorImpl(const SnapshotImpl* snap, GraphKind graph, NodeId start, uint32_t hops)
      : snap_(snap), graph_(graph), hops_(hops) {
    visited_.Insert(start);
    level_ = {start};
    NextLevel();
  }
  bool Valid() const override { return status_.ok() && pos_ < level_.size(); }
  void Next() override {
    if (++pos_ == level_.size()) NextLevel();
  }
  uint64_t id() const override { return level_[pos_]; }
  uint32_t distance() const override { return distance_; }
  absl::Status status() const override { return status_; }

 private:
  void NextLevel();
  const SnapshotImpl* snap_;
  GraphKind graph_;
  uint32_t hops_;
  uint32_t distance_ = 0;
  IdList level_;
  size_t pos_ = 0;
  IdBits visited_;
  IdBits seen_papers_;
  absl::Status status_;
};

class SnapshotImpl : public collabgraph::Snapshot {
 public:
  SnapshotImpl(std::unique_ptr<model::ReadView> view, CountryResolver resolve)
      : view_(std::move(view)), resolve_(std::move(resolve)) {}

  const model::ReadView& view() const { return *view_; }
  // Whether papers have rosters (format 3 on); older databases are read through their edges.
  bool has_rosters() const { return view_->format_version() >= 3; }
  // The reader of this snapshot's thread (see EdgeReader: not reentrant).
  EdgeReader& Edges() const {
    if (edges_ == nullptr) edges_ = std::make_unique<EdgeReader>(*view_);
    return *edges_;
  }
  RosterReader& Rosters() const {
    if (rosters_ == nullptr) rosters_ = std::make_unique<RosterReader>(*view_);
    return *rosters_;
  }

  absl::StatusOr<PaperRecord> Paper(uint64_t id) const override {
    COLLABGRAPH_ASSIGN_OR_RETURN(model::Properties props, view_->GetNode(Label::kPaper, id));
    return ToPaper(id, props);
  }
  absl::StatusOr<AuthorRecord> Author(uint64_t id) const override {
    COLLABGRAPH_ASSIGN_OR_RETURN(model::Properties props, view_->GetNode(Label::kAuthor, id));
    return ToAuthor(id, props);
  }
  absl::StatusOr<InstitutionRecord> Institution(uint64_t id) const override {
    COLLABGRAPH_ASSIGN_OR_RETURN(model::Properties props, view_->GetNode(Label::kInstitution, id));
    return ToInstitution(id, props);
  }

  absl::StatusOr<CountryRecord> Country(const std::string& code_or_name) const override {
    COLLABGRAPH_ASSIGN_OR_RETURN(std::string code, resolve_(code_or_name));
    COLLABGRAPH_RETURN_IF_ERROR(LoadCountries());
    auto it = country_by_code_.find(code);
    if (it == country_by_code_.end()) {
      return absl::NotFoundError("no paper in this database has country " + code);
    }
    return countries_.at(it->second);
  }

  absl::StatusOr<std::vector<AuthorRecord>> FindAuthors(const std::string& name,
                                                        NameMatch match) const override {
    IdList ids;
    if (match == NameMatch::kExact) {
      COLLABGRAPH_ASSIGN_OR_RETURN(ids, NameIndex(Label::kAuthor, name));
    } else {
      const std::string key = util::NormalizeKey(name);
      COLLABGRAPH_ASSIGN_OR_RETURN(auto hit, view_->Lookup(model::StringIndexKey(
                                                 model::IndexKind::kAuthorKey, "name:" + key)));
      if (hit) ids.push_back(*hit);
      // Authors keyed by an id (ORCID, OpenAlex) have no name key: compare every indexed name.
      std::string prefix;
      util::PutFixed8(&prefix, static_cast<uint8_t>(model::IndexKind::kNodeName));
      util::PutFixed8(&prefix, static_cast<uint8_t>(Label::kAuthor));
      auto cursor = view_->NewCursor(storage::Cf::kIndex, prefix);
      std::string stored;
      for (cursor->SeekToFirst(); cursor->Valid(); cursor->Next()) {
        std::string_view in = cursor->key().substr(prefix.size());
        uint64_t id = 0;
        if (!util::GetOrderedString(&in, &stored) || !util::GetFixed64BE(&in, &id)) {
          return absl::DataLossError("malformed author name index entry");
        }
        if (util::NormalizeKey(stored) == key) ids.push_back(id);
      }
      COLLABGRAPH_RETURN_IF_ERROR(cursor->status());
      SortUnique(&ids);
    }
    return LoadEach<AuthorRecord>(ids, [this](NodeId id) { return Author(id); });
  }

  absl::StatusOr<std::vector<InstitutionRecord>> FindInstitutions(const std::string& name,
                                                                  NameMatch match) const override {
    IdList ids;
    if (match == NameMatch::kExact) {
      COLLABGRAPH_ASSIGN_OR_RETURN(ids, NameIndex(Label::kInstitution, name));
    } else {
      // Institutions are keyed by (normalised name, country): one prefix covers every country.
      auto cursor = view_->NewCursor(
          storage::Cf::kIndex,
          model::StringIndexKey(model::IndexKind::kInstitutionKey, util::NormalizeKey(name)));
      for (cursor->SeekToFirst(); cursor->Valid(); cursor->Next()) {
        NodeId id = 0;
        if (!model::DecodeId(cursor->value(), &id)) {
          return absl::DataLossError("malformed institution index entry");
        }
        ids.push_back(id);
      }
      COLLABGRAPH_RETURN_IF_ERROR(cursor->status());
      SortUnique(&ids);
    }
    return LoadEach<InstitutionRecord>(ids, [this](NodeId id) { return Institution(id); });
  }

  absl::StatusOr<std::optional<AuthorRecord>> FindAuthorByExternalId(
      const std::string& scheme, const std::string& value) const override {
    COLLABGRAPH_ASSIGN_OR_RETURN(auto hit, view_->Lookup(model::ExternalIdKey(scheme, value)));
    if (!hit) {
      // An author whose identity is the id itself ("orcid:...") is found by its matching key.
      COLLABGRAPH_ASSIGN_OR_RETURN(hit, view_->Lookup(model::StringIndexKey(
                                            model::IndexKind::kAuthorKey, scheme + ":" + value)));
    }
    if (!hit) return std::optional<AuthorRecord>();
    COLLABGRAPH_ASSIGN_OR_RETURN(AuthorRecord a, Author(*hit));
    return std::optional<AuthorRecord>(std::move(a));
  }

  absl::StatusOr<std::optional<PaperRecord>> FindPaperByExternalId(
      const std::string& scheme, const std::string& value) const override {
    std::optional<NodeId> hit;
    if (scheme == "source") {
      // VENUE/YEAR/SOURCE_ID; the source id may itself hold slashes.
      const size_t a = value.find('/');
      const size_t b = a == std::string::npos ? a : value.find('/', a + 1);
      int year = 0;
      if (b == std::string::npos || !absl::SimpleAtoi(value.substr(a + 1, b - a - 1), &year)) {
        return absl::InvalidArgumentError("a source id is VENUE/YEAR/SOURCE_ID, got \"" + value +
                                          "\"");
      }
      COLLABGRAPH_ASSIGN_OR_RETURN(hit, view_->Lookup(model::PaperSourceIndexKey(
                                            value.substr(0, a), year, value.substr(b + 1))));
    } else {
      COLLABGRAPH_ASSIGN_OR_RETURN(hit, view_->Lookup(model::ExternalIdKey(scheme, value)));
    }
    if (!hit) return std::optional<PaperRecord>();
    COLLABGRAPH_ASSIGN_OR_RETURN(PaperRecord p, Paper(*hit));
    return std::optional<PaperRecord>(std::move(p));
  }

  std::unique_ptr<PaperCursor> Papers(const PaperQuery& query) const override {
    auto ids = Candidates(query);
    if (!ids.ok()) return std::make_unique<PaperCursorImpl>(ids.status());
    return std::make_unique<PaperCursorImpl>(this, query, std::move(*ids));
  }

  absl::StatusOr<std::vector<CountryPairCount>> CountryPairs(const PaperQuery& q) const override {
    // Country of every institution as a small index into `codes`, from the LOCATED_IN edges
    // (and, for the split and merge views, the recorded regions of institutions in CN).
    COLLABGRAPH_RETURN_IF_ERROR(LoadCountries());
    std::vector<std::string> codes;
    std::unordered_map<std::string, int16_t> index;
    auto code_index = [&](const std::string& code) {
      auto [it, added] = index.emplace(code, static_cast<int16_t>(codes.size()));
      if (added) codes.push_back(code);
      return it->second;
    };
    std::vector<int16_t> country_of;  // by institution id; -1 unknown
    auto cursor = view_->NewCursor(storage::Cf::kEdges,
                                   model::EdgePrefix(EdgeType::kLocatedIn, Direction::kOut));
    model::EdgeKeyParts parts{};
    for (cursor->SeekToFirst(); cursor->Valid(); cursor->Next()) {
      if (!model::DecodeEdgeKey(cursor->key(), &parts)) {
        return absl::DataLossError("malformed LOCATED_IN edge key");
      }
      auto it = countries_by_id_.find(parts.b);
      if (it == countries_by_id_.end()) {
        return absl::DataLossError("institution " + std::to_string(parts.a) +
                                   " is located in a missing country " + std::to_string(parts.b));
      }
      std::string code = countries_[it->second].code;
      if (q.regions == Regions::kMerge && IsRegion(code)) code = "CN";
      if (q.regions == Regions::kSplit && code == "CN") {
        COLLABGRAPH_ASSIGN_OR_RETURN(model::Properties props,
                                     view_->GetNode(Label::kInstitution, parts.a));
        if (auto region = props.GetString("region_code"); region && !region->empty()) {
          code = std::string(*region);
        }
      }
      if (parts.a >= country_of.size()) country_of.resize(parts.a + 1, -1);
      country_of[parts.a] = code_index(code);
    }
    COLLABGRAPH_RETURN_IF_ERROR(cursor->status());
    const size_t n = codes.size();

    // Pair counts per part; a paper's affiliation edges are contiguous ([paper][inst][rank]).
    struct Counts {
      std::vector<uint64_t> pairs;
      std::vector<int16_t> set;
      NodeId paper = 0;
      void Flush(size_t n) {
        std::sort(set.begin(), set.end());
        set.erase(std::unique(set.begin(), set.end()), set.end());
        for (size_t i = 0; i < set.size(); ++i) {
          for (size_t j = i + 1; j < set.size(); ++j) {
            ++pairs[static_cast<size_t>(set[i]) * n + static_cast<size_t>(set[j])];
          }
        }
        set.clear();
      }
    };
    auto add = [&](Counts& c, NodeId paper, NodeId inst) {
      if (paper != c.paper) {
        c.Flush(n);
        c.paper = paper;
      }
      if (inst < country_of.size() && country_of[inst] >= 0) c.set.push_back(country_of[inst]);
    };
    const Filters& f = q.filters;
    const bool every_paper = f.include_rejected && !f.year_from && !f.year_to && f.venues.empty() &&
                             f.tracks.empty() && f.tags.empty() && q.any_countries.empty() &&
                             q.all_countries.empty() && q.institutions.empty() && !q.author;
    const size_t part_count = every_paper ? Cores() : 1;
    std::vector<Counts> counts(part_count);
    for (Counts& c : counts) c.pairs.assign(n * n, 0);
    if (every_paper) {
      COLLABGRAPH_ASSIGN_OR_RETURN(const uint64_t papers, view_->NodeCount(Label::kPaper));
      if (absl::Status parts_status =
              RunParts(part_count,
                       [&](size_t part) -> absl::Status {
                         EdgeReader reader(*view_);
                         // Ids are dense from 1; the last part runs to the end whatever the count.
                         const NodeId from = part == 0 ? 0 : 1 + papers * part / part_count;
                         const NodeId last =
                             part + 1 == part_count ? UINT64_MAX : papers * (part + 1) / part_count;
                         Counts& c = counts[part];
                         if (has_rosters()) {
                           RosterReader rosters(*view_);
                           COLLABGRAPH_RETURN_IF_ERROR(
                               rosters.Range(from, last, [&](NodeId paper, std::string_view value) {
                                 return RosterReader::Decode(
                                     paper, value, model::SkipPairs(),
                                     [&](uint32_t, NodeId inst) { add(c, paper, inst); });
                               }));
                         } else {
                           COLLABGRAPH_RETURN_IF_ERROR(reader.Range(
                               EdgeType::kAffiliated, Direction::kOut, from, last,
                               [&](NodeId paper, NodeId inst, uint32_t) { add(c, paper, inst); }));
                         }
                         c.Flush(n);
                         return absl::OkStatus();
                       });
          !parts_status.ok()) {
        return parts_status;
      }
    } else {
      auto papers = Papers(q);
      Counts& c = counts[0];
      for (; papers->Valid(); papers->Next()) {
        const NodeId paper = papers->paper().id;
        if (has_rosters()) {
          COLLABGRAPH_RETURN_IF_ERROR(Rosters().Members(
              paper, model::SkipPairs(), [&](uint32_t, NodeId inst) { add(c, paper, inst); }));
        } else {
          COLLABGRAPH_RETURN_IF_ERROR(
              ForEachEdge(Edges(), EdgeType::kAffiliated, Direction::kOut, paper,
                          [&](NodeId inst, uint32_t) { add(c, paper, inst); }));
        }
      }
      COLLABGRAPH_RETURN_IF_ERROR(papers->status());
      c.Flush(n);
    }
    std::vector<CountryPairCount> out;
    for (size_t i = 0; i < n; ++i) {
      for (size_t j = 0; j < n; ++j) {
        uint64_t total = 0;
        for (const Counts& c : counts) total += c.pairs[i * n + j] + c.pairs[j * n + i];
        if (total == 0 || codes[i] >= codes[j]) continue;
        out.push_back({codes[i], codes[j], total});
      }
    }
    std::sort(out.begin(), out.end(), [](const CountryPairCount& x, const CountryPairCount& y) {
      if (x.papers != y.papers) return x.papers > y.papers;
      return std::tie(x.a, x.b) < std::tie(y.a, y.b);
    });
    return out;
  }

  absl::StatusOr<std::vector<AuthorshipRecord>> Authorships(uint64_t paper) const override {
    COLLABGRAPH_RETURN_IF_ERROR(view_->GetNode(Label::kPaper, paper).status());
    std::map<uint32_t, AuthorshipRecord> by_position;
    absl::Status error;
    COLLABGRAPH_RETURN_IF_ERROR(
        ForEachEdge(Edges(), EdgeType::kAuthored, Direction::kIn, paper, [&](NodeId a, uint32_t r) {
          auto author = Author(a);
          if (!author.ok()) {
            error.Update(author.status());
            return;
          }
          by_position[r].position = r;
          by_position[r].author = std::move(*author);
        }));
    COLLABGRAPH_RETURN_IF_ERROR(error);
    COLLABGRAPH_RETURN_IF_ERROR(ForEachEdge(
        Edges(), EdgeType::kAffiliated, Direction::kOut, paper, [&](NodeId inst, uint32_t r) {
          auto record = Institution(inst);
          if (!record.ok()) {
            error.Update(record.status());
            return;
          }
          by_position[r].position = r;
          by_position[r].institutions.push_back(std::move(*record));
        }));
    COLLABGRAPH_RETURN_IF_ERROR(error);
    std::vector<AuthorshipRecord> out;
    out.reserve(by_position.size());
    for (auto& [position, record] : by_position) out.push_back(std::move(record));
    return out;
  }

  absl::StatusOr<std::vector<InstitutionRecord>> InstitutionsOfPaper(
      uint64_t paper) const override {
    COLLABGRAPH_RETURN_IF_ERROR(view_->GetNode(Label::kPaper, paper).status());
    IdList ids;
    COLLABGRAPH_RETURN_IF_ERROR(ForEachEdge(Edges(), EdgeType::kAffiliated, Direction::kOut, paper,
                                            [&](NodeId inst, uint32_t) { ids.push_back(inst); }));
    SortUnique(&ids);
    return LoadEach<InstitutionRecord>(ids, [this](NodeId id) { return Institution(id); });
  }

  absl::StatusOr<std::vector<CountryRecord>> CountriesOfPaper(uint64_t paper,
                                                              Regions regions) const override {
    COLLABGRAPH_ASSIGN_OR_RETURN(std::vector<InstitutionRecord> institutions,
                                 InstitutionsOfPaper(paper));
    COLLABGRAPH_RETURN_IF_ERROR(LoadCountries());
    std::map<std::string, CountryRecord> by_code;
    for (const InstitutionRecord& inst : institutions) {
      // The country is the LOCATED_IN edge (what counting uses), not the property copy.
      COLLABGRAPH_ASSIGN_OR_RETURN(IdList located,
                                   Ends(Edges(), EdgeType::kLocatedIn, Direction::kOut, inst.id));
      if (located.empty()) continue;
      auto it = countries_by_id_.find(located.front());
      if (it == countries_by_id_.end()) {
        return absl::DataLossError("institution " + std::to_string(inst.id) +
                                   " is located in a missing country " +
                                   std::to_string(located.front()));
      }
      std::string code = countries_[it->second].code;
      if (regions == Regions::kSplit && !inst.region_code.empty()) code = inst.region_code;
      if (regions == Regions::kMerge && IsRegion(code)) code = "CN";
      by_code.emplace(code, RecordOf(code));
    }
    std::vector<CountryRecord> out;
    out.reserve(by_code.size());
    for (auto& [code, record] : by_code) out.push_back(std::move(record));
    return out;
  }

  absl::StatusOr<std::vector<CoAuthorRecord>> CoAuthors(uint64_t author) const override {
    COLLABGRAPH_RETURN_IF_ERROR(view_->GetNode(Label::kAuthor, author).status());
    COLLABGRAPH_ASSIGN_OR_RETURN(IdList papers,
                                 Ends(Edges(), EdgeType::kAuthored, Direction::kOut, author));
    std::unordered_map<NodeId, uint64_t> shared;
    for (NodeId p : papers) {
      COLLABGRAPH_ASSIGN_OR_RETURN(IdList authors,
                                   Ends(Edges(), EdgeType::kAuthored, Direction::kIn, p));
      for (NodeId a : authors) {
        if (a != author) ++shared[a];
      }
    }
    std::vector<std::pair<NodeId, uint64_t>> order(shared.begin(), shared.end());
    std::sort(order.begin(), order.end(), [](const auto& x, const auto& y) {
      return x.second != y.second ? x.second > y.second : x.first < y.first;
    });
    std::vector<CoAuthorRecord> out;
    for (const auto& [id, n] : order) {
      COLLABGRAPH_ASSIGN_OR_RETURN(AuthorRecord a, Author(id));
      out.push_back({std::move(a), n});
    }
    return out;
  }

  absl::StatusOr<std::vector<AuthorCount>> MostProlificAuthors(size_t n) const override {
    // AUTHORED out-edges are grouped by author: count each run's distinct papers, keep a
    // min-heap of the best n.
    using Entry = std::pair<uint64_t, NodeId>;  // (papers, id); better = more papers, lower id
    auto worse = [](const Entry& x, const Entry& y) {
      return x.first != y.first ? x.first > y.first : x.second < y.second;
    };
    std::priority_queue<Entry, std::vector<Entry>, decltype(worse)> best(worse);
    auto cursor = view_->NewCursor(storage::Cf::kEdges,
                                   model::EdgePrefix(EdgeType::kAuthored, Direction::kOut));
    model::EdgeKeyParts parts{};
    NodeId run_author = 0;
    NodeId last_paper = 0;
    uint64_t run = 0;
    auto flush = [&] {
      if (run == 0 || n == 0) return;
      best.emplace(run, run_author);
      if (best.size() > n) best.pop();
    };
    for (cursor->SeekToFirst(); cursor->Valid(); cursor->Next()) {
      if (!model::DecodeEdgeKey(cursor->key(), &parts)) {
        return absl::DataLossError("malformed AUTHORED edge key");
      }
      if (run == 0 || parts.a != run_author) {
        flush();
        run_author = parts.a;
        run = 1;
      } else if (parts.b != last_paper) {
        ++run;
      }
      last_paper = parts.b;
    }
    COLLABGRAPH_RETURN_IF_ERROR(cursor->status());
    flush();
    std::vector<AuthorCount> out;
    while (!best.empty()) {
      COLLABGRAPH_ASSIGN_OR_RETURN(AuthorRecord a, Author(best.top().second));
      out.push_back({std::move(a), best.top().first});
      best.pop();
    }
    std::reverse(out.begin(), out.end());
    return out;
  }

  absl::StatusOr<std::unique_ptr<NeighborhoodCursor>> Neighborhood(GraphKind graph, uint64_t start,
                                                                   uint32_t hops) const override {
    COLLABGRAPH_RETURN_IF_ERROR(CheckNode(graph, start));
    std::unique_ptr<NeighborhoodCursor> cursor =
        std::make_unique<NeighborhoodCursorImpl>(this, graph, start, hops);
    COLLABGRAPH_RETURN_IF_ERROR(cursor->status());
    return cursor;
  }

  absl::StatusOr<std::vector<PathStep>> ShortestPath(GraphKind graph, uint64_t from, uint64_t to,
                                                     uint32_t max_hops) const override;

  // One breadth-first level: the nodes linked to `frontier` by a paper not in `seen_papers`
  // and not yet `visited`, ascending, appended to `out`; both sets are updated.
  absl::Status ExpandLevel(GraphKind graph, const IdList& frontier, IdBits* visited,
                           IdBits* seen_papers, IdList* out) const;

  // The collaboration neighbours of `node` with, for each, the smallest paper linking them,
  // in ascending neighbour id. `seen_papers`, when given, skips papers already expanded.
  absl::Status Neighbors(GraphKind graph, NodeId node, std::vector<std::pair<NodeId, NodeId>>* out,
                         std::unordered_set<NodeId>* seen_papers) const {
    out->clear();
    const EdgeType type = graph == GraphKind::kAuthor ? EdgeType::kAuthored : EdgeType::kAffiliated;
    // Authors reach papers by out-edges; institutions by in-edges of AFFILIATED.
    const Direction to_paper = graph == GraphKind::kAuthor ? Direction::kOut : Direction::kIn;
    const Direction from_paper = graph == GraphKind::kAuthor ? Direction::kIn : Direction::kOut;
    COLLABGRAPH_ASSIGN_OR_RETURN(IdList papers, Ends(Edges(), type, to_paper, node));
    for (NodeId p : papers) {
      if (seen_papers != nullptr && !seen_papers->insert(p).second) continue;
      COLLABGRAPH_RETURN_IF_ERROR(
          ForEachEdge(Edges(), type, from_paper, p, [&](NodeId m, uint32_t) {
            if (m != node) out->emplace_back(m, p);
          }));
    }
    // Keep the smallest paper per neighbour.
    std::sort(out->begin(), out->end());
    out->erase(std::unique(out->begin(), out->end(),
                           [](const auto& x, const auto& y) { return x.first == y.first; }),
               out->end());
    return absl::OkStatus();
  }

  absl::Status CheckNode(GraphKind graph, NodeId id) const {
    if (graph == GraphKind::kCountry) {
      return absl::InvalidArgumentError(
          "traversals run on the author or institution graph, not the country graph");
    }
    const Label label = graph == GraphKind::kAuthor ? Label::kAuthor : Label::kInstitution;
    return view_->GetNode(label, id).status();
  }

  std::string NameOf(GraphKind graph, NodeId id) const {
    const Label label = graph == GraphKind::kAuthor ? Label::kAuthor : Label::kInstitution;
    auto props = view_->GetNode(label, id);
    return props.ok() ? Str(*props, "name") : std::string();
  }

  // Tag names by id, loaded once.
  absl::StatusOr<const std::unordered_map<NodeId, std::string>*> TagNames() const {
    if (!tags_loaded_) {
      absl::Status error;
      COLLABGRAPH_RETURN_IF_ERROR(
          view_->ScanNodes(Label::kTag, [&](NodeId id, std::string_view value) {
            model::Properties props;
            if (!model::DecodeProperties(value, &props)) {
              error = absl::DataLossError("Tag " + std::to_string(id) + " has a malformed value");
              return;
            }
            tag_names_[id] = Str(props, "name");
          }));
      COLLABGRAPH_RETURN_IF_ERROR(error);
      tags_loaded_ = true;
    }
    return &tag_names_;
  }

 private:
  absl::StatusOr<IdList> NameIndex(Label label, const std::string& name) const {
    const std::string prefix = model::NodeNamePrefix(label, name);
    auto cursor = view_->NewCursor(storage::Cf::kIndex, prefix);
    IdList ids;
    for (cursor->SeekToFirst(); cursor->Valid(); cursor->Next()) {
      std::string_view in = cursor->key().substr(prefix.size());
      uint64_t id = 0;
      if (!util::GetFixed64BE(&in, &id) || !in.empty()) {
        return absl::DataLossError("malformed name index entry");
      }
      ids.push_back(id);
    }
    COLLABGRAPH_RETURN_IF_ERROR(cursor->status());
    return ids;
  }

  absl::Status LoadCountries() const {
    if (countries_loaded_) return absl::OkStatus();
    absl::Status error;
    COLLABGRAPH_RETURN_IF_ERROR(
        view_->ScanNodes(Label::kCountry, [&](NodeId id, std::string_view value) {
          model::Properties props;
          if (!model::DecodeProperties(value, &props)) {
            error = absl::DataLossError("Country " + std::to_string(id) + " has a malformed value");
            return;
          }
          countries_by_id_[id] = countries_.size();
          country_by_code_[Str(props, "code")] = countries_.size();
          countries_.push_back({id, Str(props, "code"), Str(props, "name")});
        }));
    COLLABGRAPH_RETURN_IF_ERROR(error);
    countries_loaded_ = true;
    return absl::OkStatus();
  }

  // The record of `code`: its Country node, or for a region without one, its code and the
  // name the resolver gives.
  CountryRecord RecordOf(const std::string& code) const {
    if (auto it = country_by_code_.find(code); it != country_by_code_.end()) {
      return countries_[it->second];
    }
    CountryRecord r{0, code, code};
    if (auto name = resolve_(code); name.ok()) r.name = *name;
    return r;
  }

  // The institutions that count as `code` under `regions`, ascending.
  absl::StatusOr<IdList> InstitutionsUnder(const std::string& code, Regions regions) const {
    COLLABGRAPH_RETURN_IF_ERROR(LoadCountries());
    auto located = [&](const std::string& c) -> absl::StatusOr<IdList> {
      auto it = country_by_code_.find(c);
      if (it == country_by_code_.end()) return IdList();
      return Ends(Edges(), EdgeType::kLocatedIn, Direction::kIn, countries_[it->second].id);
    };
    // Regions are recorded only on institutions located in CN (docs/methodology.md).
    auto cn_with_region = [&](bool want_region,
                              const std::string& region) -> absl::StatusOr<IdList> {
      COLLABGRAPH_ASSIGN_OR_RETURN(IdList cn, located("CN"));
      IdList out;
      for (NodeId id : cn) {
        COLLABGRAPH_ASSIGN_OR_RETURN(model::Properties props,
                                     view_->GetNode(Label::kInstitution, id));
        const std::string r = Str(props, "region_code");
        if (want_region ? r == region : r.empty()) out.push_back(id);
      }
      return out;
    };
    IdList ids;
    if (regions == Regions::kMerge && IsRegion(code)) return ids;
    if (regions == Regions::kMerge && code == "CN") {
      for (const char* c : {"CN", "HK", "MO", "TW"}) {
        COLLABGRAPH_ASSIGN_OR_RETURN(IdList part, located(c));
        ids.insert(ids.end(), part.begin(), part.end());
      }
    } else if (regions == Regions::kSplit && code == "CN") {
      COLLABGRAPH_ASSIGN_OR_RETURN(ids, cn_with_region(false, ""));
    } else if (regions == Regions::kSplit && IsRegion(code)) {
      COLLABGRAPH_ASSIGN_OR_RETURN(ids, located(code));
      COLLABGRAPH_ASSIGN_OR_RETURN(IdList part, cn_with_region(true, code));
      ids.insert(ids.end(), part.begin(), part.end());
    } else {
      COLLABGRAPH_ASSIGN_OR_RETURN(ids, located(code));
    }
    SortUnique(&ids);
    return ids;
  }

  // The papers with an authorship at any of `institutions`, ascending. The institutions are
  // split over the cores, each part read through its own iterator into its own bit set (paper
  // ids are dense): a union of bit sets, where sorting the edge ends cost more than reading them.
  absl::StatusOr<IdList> PapersOfInstitutions(const IdList& institutions) const {
    const size_t parts = institutions.size() < 64 ? 1 : Cores();
    std::vector<IdBits> found(parts);
    if (absl::Status parts_status =
            RunParts(parts,
                     [&](size_t part) -> absl::Status {
                       EdgeReader local(*view_);
                       EdgeReader& reader = parts == 1 ? Edges() : local;
                       IdBits& papers = found[part];
                       for (size_t i = part; i < institutions.size(); i += parts) {
                         COLLABGRAPH_RETURN_IF_ERROR(
                             reader.ForEach(EdgeType::kAffiliated, Direction::kIn, institutions[i],
                                            [&](NodeId p, uint32_t) { papers.Insert(p); }));
                       }
                       return absl::OkStatus();
                     });
        !parts_status.ok())
      return parts_status;
    for (size_t i = 1; i < parts; ++i) found[0].UnionWith(found[i]);
    IdList papers;
    found[0].ForEach([&](NodeId p) { papers.push_back(p); });
    return papers;
  }

  // The papers with an authorship at an institution of every set of `all_sets` and, when
  // `any_filter`, at one of `any_set`, ascending, each institution carrying a bit per set:
  // of `candidates` when given (a seek per candidate), else of every paper (one pass over
  // every roster, split over the cores by paper id).
  absl::StatusOr<IdList> PapersByRoster(const std::vector<IdList>& all_sets, const IdList& any_set,
                                        bool any_filter, const IdList* candidates) const {
    // A byte of set bits per institution while the sets fit (the table then stays in the
    // fastest cache through a scan of every roster), else 64 bits.
    if (all_sets.size() < 8) {
      return PapersByRoster<uint8_t>(all_sets, any_set, any_filter, candidates);
    }
    return PapersByRoster<uint64_t>(all_sets, any_set, any_filter, candidates);
  }
  template <typename Mask>
  absl::StatusOr<IdList> PapersByRoster(const std::vector<IdList>& all_sets, const IdList& any_set,
                                        bool any_filter, const IdList* candidates) const {
    // One bit per set of `all_sets`, the top bit for `any_set` (the caller asks for fewer than
    // 63 sets, and for fewer than 8 with byte masks).
    constexpr size_t kBits = sizeof(Mask) * 8;
    std::vector<Mask> mask_of;  // by institution id
    auto mark = [&](const IdList& insts, Mask bit) {
      for (NodeId id : insts) {
        if (id >= mask_of.size()) mask_of.resize(id + 1, 0);
        mask_of[id] |= bit;
      }
    };
    Mask all_bits = 0;
    for (size_t i = 0; i < all_sets.size(); ++i) {
      mark(all_sets[i], static_cast<Mask>(Mask{1} << i));
      all_bits |= static_cast<Mask>(Mask{1} << i);
    }
    const Mask any_bit = any_filter ? static_cast<Mask>(Mask{1} << (kBits - 1)) : 0;
    mark(any_set, any_bit);
    auto passes = [&](NodeId paper, std::string_view value, bool* pass) -> absl::Status {
      Mask mask = 0;
      COLLABGRAPH_RETURN_IF_ERROR(
          RosterReader::Decode(paper, value, model::SkipPairs(), [&](uint32_t, NodeId inst) {
            if (inst < mask_of.size()) mask |= mask_of[inst];
          }));
      *pass = (mask & all_bits) == all_bits && (any_bit == 0 || (mask & any_bit) != 0);
      return absl::OkStatus();
    };
    if (candidates != nullptr) {
      IdList out;
      for (NodeId paper : *candidates) {
        bool pass = false;
        COLLABGRAPH_RETURN_IF_ERROR(Rosters().Range(
            paper, paper,
            [&](NodeId p, std::string_view value) { return passes(p, value, &pass); }));
        if (pass) out.push_back(paper);
      }
      return out;
    }
    COLLABGRAPH_ASSIGN_OR_RETURN(const uint64_t papers, view_->NodeCount(Label::kPaper));
    const size_t parts = Cores();
    std::vector<IdList> found(parts);
    auto scan_part = [&](size_t part) -> absl::Status {
      RosterReader reader(*view_);
      // Ids are dense from 1; the last part runs to the end whatever the count.
      const NodeId from = part == 0 ? 0 : 1 + papers * part / parts;
      const NodeId last = part + 1 == parts ? UINT64_MAX : papers * (part + 1) / parts;
      return reader.Range(from, last, [&](NodeId paper, std::string_view value) -> absl::Status {
        bool pass = false;
        COLLABGRAPH_RETURN_IF_ERROR(passes(paper, value, &pass));
        if (pass) found[part].push_back(paper);
        return absl::OkStatus();
      });
    };
    COLLABGRAPH_RETURN_IF_ERROR(RunParts(parts, scan_part));
    IdList out = std::move(found[0]);
    for (size_t i = 1; i < parts; ++i) out.insert(out.end(), found[i].begin(), found[i].end());
    return out;
  }

  // The candidate paper ids of a query from its most selective index, or nullopt for "every
  // paper"; the cursor checks the remaining filters per paper.
  absl::StatusOr<std::optional<IdList>> Candidates(const PaperQuery& q) const {
    std::optional<IdList> ids;
    auto narrow = [&](IdList v) { ids = ids ? Intersect(*ids, v) : std::move(v); };
    if (q.author) {
      COLLABGRAPH_RETURN_IF_ERROR(view_->GetNode(Label::kAuthor, *q.author).status());
      COLLABGRAPH_ASSIGN_OR_RETURN(IdList v,
                                   Ends(Edges(), EdgeType::kAuthored, Direction::kOut, *q.author));
      narrow(std::move(v));
    }
    if (!q.institutions.empty()) {
      IdList insts = q.institutions;
      SortUnique(&insts);
      COLLABGRAPH_ASSIGN_OR_RETURN(IdList v, PapersOfInstitutions(insts));
      narrow(std::move(v));
    }
    auto institutions_of = [&](const std::string& arg) -> absl::StatusOr<IdList> {
      auto code = resolve_(arg);
      if (!code.ok()) return absl::InvalidArgumentError(code.status().message());
      return InstitutionsUnder(*code, q.regions);
    };
    std::vector<IdList> all_sets;
    IdList any_set;
    size_t filter_institutions = 0;
    for (const std::string& c : q.all_countries) {
      COLLABGRAPH_ASSIGN_OR_RETURN(IdList insts, institutions_of(c));
      filter_institutions += insts.size();
      all_sets.push_back(std::move(insts));
    }
    for (const std::string& c : q.any_countries) {
      COLLABGRAPH_ASSIGN_OR_RETURN(IdList insts, institutions_of(c));
      any_set.insert(any_set.end(), insts.begin(), insts.end());
    }
    SortUnique(&any_set);
    filter_institutions += any_set.size();
    COLLABGRAPH_ASSIGN_OR_RETURN(const uint64_t all_institutions,
                                 view_->NodeCount(Label::kInstitution));
    // The rosters answer a country filter for candidates already few (an author's papers,
    // an institution's) by a seek each, and for countries with many institutions by one scan
    // of every roster, which beats reading each institution's affiliations (several per paper).
    COLLABGRAPH_ASSIGN_OR_RETURN(const uint64_t all_papers, view_->NodeCount(Label::kPaper));
    const bool few = ids && ids->size() * 64 <= std::max<uint64_t>(all_papers, 65536);
    const bool broad = filter_institutions * 8 >= all_institutions;
    if (has_rosters() && filter_institutions > 0 && (few || broad) && all_sets.size() < 63) {
      COLLABGRAPH_ASSIGN_OR_RETURN(
          IdList v,
          PapersByRoster(all_sets, any_set, !q.any_countries.empty(), few ? &*ids : nullptr));
      narrow(std::move(v));
    } else {
      for (const IdList& insts : all_sets) {
        COLLABGRAPH_ASSIGN_OR_RETURN(IdList v, PapersOfInstitutions(insts));
        narrow(std::move(v));
      }
      if (!q.any_countries.empty()) {
        COLLABGRAPH_ASSIGN_OR_RETURN(IdList v, PapersOfInstitutions(any_set));
        narrow(std::move(v));
      }
    }
    if (!ids && !q.filters.venues.empty()) {
      IdList v;
      for (const std::string& venue : q.filters.venues) {
        COLLABGRAPH_ASSIGN_OR_RETURN(auto venue_id, view_->Lookup(model::StringIndexKey(
                                                        model::IndexKind::kVenueName, venue)));
        if (!venue_id) continue;
        std::string prefix;
        util::PutFixed8(&prefix, static_cast<uint8_t>(model::IndexKind::kPaperByVenue));
        util::PutFixed64BE(&prefix, *venue_id);
        auto cursor = view_->NewCursor(storage::Cf::kIndex, prefix);
        for (cursor->SeekToFirst(); cursor->Valid(); cursor->Next()) {
          std::string_view in = cursor->key().substr(prefix.size());
          uint64_t id = 0;
          if (!util::GetFixed64BE(&in, &id)) return absl::DataLossError("malformed venue index");
          v.push_back(id);
        }
        COLLABGRAPH_RETURN_IF_ERROR(cursor->status());
      }
      SortUnique(&v);
      ids = std::move(v);
    }
    if (!ids && (q.filters.year_from || q.filters.year_to)) {
      const int from = q.filters.year_from.value_or(0);
      const int to = q.filters.year_to.value_or(65535);
      IdList v;
      std::string prefix;
      util::PutFixed8(&prefix, static_cast<uint8_t>(model::IndexKind::kPaperByYear));
      auto cursor = view_->NewCursor(storage::Cf::kIndex, prefix);
      for (cursor->Seek(model::PaperByYearKey(std::max(from, 0), 0)); cursor->Valid();
           cursor->Next()) {
        std::string_view in = cursor->key().substr(prefix.size());
        uint16_t year = 0;
        uint64_t id = 0;
        if (!util::GetFixed16BE(&in, &year) || !util::GetFixed64BE(&in, &id)) {
          return absl::DataLossError("malformed year index");
        }
        if (year > to) break;
        v.push_back(id);
      }
      COLLABGRAPH_RETURN_IF_ERROR(cursor->status());
      SortUnique(&v);
      ids = std::move(v);
    }
    return ids;
  }

  std::unique_ptr<model::ReadView> view_;
  CountryResolver resolve_;
  // Small per-snapshot caches (a Snapshot is used by one thread at a time).
  mutable bool countries_loaded_ = false;
  mutable std::vector<CountryRecord> countries_;
  mutable std::unordered_map<NodeId, size_t> countries_by_id_;
  mutable std::unordered_map<std::string, size_t> country_by_code_;
  mutable std::unique_ptr<EdgeReader> edges_;
  mutable std::unique_ptr<RosterReader> rosters_;
  mutable bool tags_loaded_ = false;
  mutable std::unordered_map<NodeId, std::string> tag_names_;
};

PaperCursorImpl::PaperCursorImpl(const SnapshotImpl* snap, PaperQuery query,
                                 std::optional<IdList> ids)
    : snap_(snap), query_(std::move(query)), ids_(std::move(ids)) {
  if (!ids_) {
    scan_ = snap_->view().NewCursor(storage::Cf::kNodes, model::NodePrefix(Label::kPaper));
  }
  Advance();
}

absl::StatusOr<bool> PaperCursorImpl::Passes(const model::Properties& props, NodeId id) const {
  const Filters& f = query_.filters;
  const int64_t year = props.GetInt("year").value_or(0);
  if (f.year_from && year < *f.year_from) return false;
  if (f.year_to && year > *f.year_to) return false;
  if (!f.include_rejected && model::IsRejectedStatus(props.GetString("status").value_or(""))) {
    return false;
  }
  if (!f.venues.empty()) {
    const std::string_view venue = props.GetString("venue").value_or("");
    if (std::find(f.venues.begin(), f.venues.end(), venue) == f.venues.end()) return false;
  }
  if (!f.tracks.empty()) {
    const std::string track = util::AsciiLower(props.GetString("track").value_or(""));
    if (std::none_of(f.tracks.begin(), f.tracks.end(),
                     [&](const std::string& t) { return util::AsciiLower(t) == track; })) {
      return false;
    }
  }
  if (!f.tags.empty()) {
    COLLABGRAPH_ASSIGN_OR_RETURN(const auto* names, snap_->TagNames());
    bool any = false;
    COLLABGRAPH_RETURN_IF_ERROR(ForEachEdge(
        snap_->Edges(), EdgeType::kTagged, Direction::kOut, id, [&](NodeId tag, uint32_t) {
          auto it = names->find(tag);
          if (it != names->end() &&
              std::find(f.tags.begin(), f.tags.end(), it->second) != f.tags.end()) {
            any = true;
          }
        }));
    if (!any) return false;
  }
  return true;
}

void PaperCursorImpl::Advance() {
  valid_ = false;
  if (!status_.ok() || snap_ == nullptr) return;
  model::Properties props;
  while (true) {
    NodeId id = 0;
    if (ids_) {
      if (next_ >= ids_->size()) return;
      if (next_ >= loaded_from_ + loaded_.size()) {
        // The next records in batched reads: a large share of a filtered query's time went to
        // one lookup per paper. A long list is read in slices of 256 side by side, one per
        // core: most of the records are in blocks that are not cached.
        constexpr size_t kSlice = 256;
        const size_t slices = std::min(Cores(), (ids_->size() - next_ + kSlice - 1) / kSlice);
        const size_t count = std::min(ids_->size() - next_, slices * kSlice);
        std::vector<std::vector<absl::StatusOr<model::Properties>>> read(slices);
        auto read_slice = [&](size_t slice) {
          const size_t from = next_ + slice * kSlice;
          const IdList ids(
              ids_->begin() + static_cast<ptrdiff_t>(from),
              ids_->begin() + static_cast<ptrdiff_t>(std::min(next_ + count, from + kSlice)));
          read[slice] = snap_->view().GetNodes(Label::kPaper, ids);
          return absl::OkStatus();
        };
        if (absl::Status st = RunParts(slices, read_slice); !st.ok()) {
          status_ = st;
          return;
        }
        loaded_.clear();
        for (auto& part : read) {
          for (auto& record : part) loaded_.push_back(std::move(record));
        }
        loaded_from_ = next_;
      }
      id = (*ids_)[next_];
      auto& got = loaded_[next_++ - loaded_from_];
      if (!got.ok()) {
        status_ = got.status();
        return;
      }
      props = std::move(*got);
    } else {
      if (!started_) {
        scan_->SeekToFirst();
        started_ = true;
      } else {
        scan_->Next();
      }
      if (!scan_->Valid()) {
        status_ = scan_->status();
        return;
      }
      Label label{};
      if (!model::DecodeNodeKey(scan_->key(), &label, &id) ||
          !model::DecodeProperties(scan_->value(), &props)) {
        status_ = absl::DataLossError("malformed Paper record");
        return;
      }
    }
    auto passes = Passes(props, id);
    if (!passes.ok()) {
      status_ = passes.status();
      return;
    }
    if (*passes) {
      current_ = ToPaper(id, props);
      valid_ = true;
      return;
    }
  }
}

void NeighborhoodCursorImpl::NextLevel() {
  pos_ = 0;
  IdList next;
  if (distance_ < hops_ && !level_.empty()) {
    status_ = snap_->ExpandLevel(graph_, level_, &visited_, &seen_papers_, &next);
  }
  ++distance_;
  level_ = std::move(next);
}

absl::Status SnapshotImpl::ExpandLevel(GraphKind graph, const IdList& frontier, IdBits* visited,
                                       IdBits* seen_papers, IdList* out) const {
  const EdgeType type = graph == GraphKind::kAuthor ? EdgeType::kAuthored : EdgeType::kAffiliated;
  const Direction to_paper = graph == GraphKind::kAuthor ? Direction::kOut : Direction::kIn;
  const Direction from_paper = graph == GraphKind::kAuthor ? Direction::kIn : Direction::kOut;
  // Papers of the frontier, the frontier split over the cores.
  // Each part collects the ends it reads into its own bit set (ids are dense), and the union is
  // read in ascending order: sorting the ends cost more than reading them.
  size_t parts = frontier.size() < 64 ? 1 : Cores();
  std::vector<IdBits> found(parts);
  auto each = [&](const IdList& nodes, Direction dir) {
    return RunParts(parts, [&, dir](size_t part) -> absl::Status {
      EdgeReader local(*view_);
      EdgeReader& reader = parts == 1 ? Edges() : local;
      for (size_t i = part; i < nodes.size(); i += parts) {
        COLLABGRAPH_RETURN_IF_ERROR(reader.ForEach(
            type, dir, nodes[i], [&](NodeId b, uint32_t) { found[part].Insert(b); }));
      }
      return absl::OkStatus();
    });
  };
  auto gather = [&](IdBits* seen, IdList* fresh) {
    for (size_t i = 1; i < found.size(); ++i) found[0].UnionWith(found[i]);
    found[0].ForEach([&](NodeId id) {
      if (seen->Insert(id)) fresh->push_back(id);
    });
  };
  COLLABGRAPH_RETURN_IF_ERROR(each(frontier, to_paper));
  IdList papers;
  gather(seen_papers, &papers);
  if (papers.empty()) return absl::OkStatus();
  // Members of the new papers: a seek per paper while they are few; one sequential pass over
  // their id range, split over the cores, once they are a large share of all papers (seeks
  // cost several times a step of a scan).
  COLLABGRAPH_ASSIGN_OR_RETURN(const uint64_t total, view_->NodeCount(Label::kPaper));
  parts = papers.size() < 64 ? 1 : Cores();
  found.assign(parts, {});
  const bool sparse = papers.size() * 8 < total;
  IdBits wanted;
  if (!sparse) {
    for (NodeId p : papers) wanted.Insert(p);
  }
  const NodeId lo = papers.front();
  const NodeId span = papers.back() + 1 - lo;
  if (has_rosters()) {
    const bool authors = graph == GraphKind::kAuthor;
    auto read_part = [&](size_t part) -> absl::Status {
      RosterReader reader(*view_);
      IdBits& into = found[part];
      auto insert = [&](uint32_t, NodeId id) { into.Insert(id); };
      // The members of one paper's roster: its authors or its institutions.
      auto members = [&](NodeId p, std::string_view value) {
        return authors ? RosterReader::Decode(p, value, insert, model::SkipPairs())
                       : RosterReader::Decode(p, value, model::SkipPairs(), insert);
      };
      if (sparse) {
        for (size_t i = part; i < papers.size(); i += parts) {
          COLLABGRAPH_RETURN_IF_ERROR(reader.Range(papers[i], papers[i], members));
        }
        return absl::OkStatus();
      }
      return reader.Range(lo + span * part / parts, lo + span * (part + 1) / parts - 1,
                          [&](NodeId p, std::string_view value) {
                            if (!wanted.Contains(p)) return absl::OkStatus();
                            return members(p, value);
                          });
    };
    COLLABGRAPH_RETURN_IF_ERROR(RunParts(parts, read_part));
  } else if (sparse) {
    COLLABGRAPH_RETURN_IF_ERROR(each(papers, from_paper));
  } else {
    if (absl::Status parts_status = RunParts(parts,
                                             [&](size_t part) -> absl::Status {
                                               EdgeReader local(*view_);
                                               EdgeReader& reader = parts == 1 ? Edges() : local;
                                               return reader.Range(
                                                   type, from_paper, lo + span * part / parts,
                                                   lo + span * (part + 1) / parts - 1,
                                                   [&](NodeId p, NodeId m, uint32_t) {
                                                     if (wanted.Contains(p)) found[part].Insert(m);
                                                   });
                                             });
        !parts_status.ok())
      return parts_status;
  }
  gather(visited, out);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<PathStep>> SnapshotImpl::ShortestPath(GraphKind graph, uint64_t from,
                                                                 uint64_t to,
                                                                 uint32_t max_hops) const {
  COLLABGRAPH_RETURN_IF_ERROR(CheckNode(graph, from));
  COLLABGRAPH_RETURN_IF_ERROR(CheckNode(graph, to));
  if (from == to) return std::vector<PathStep>{{from, NameOf(graph, from), 0}};
  // Bidirectional breadth-first search, one whole level at a time from the side with the
  // smaller frontier; parent[x] = (previous node towards that side's root, linking paper).
  struct Side {
    std::unordered_map<NodeId, std::pair<NodeId, NodeId>> parent;
    std::unordered_map<NodeId, uint32_t> depth;
    IdList frontier;
    uint32_t level = 0;
  };
  Side sides[2];
  sides[0].parent[from] = {from, 0};
  sides[0].depth[from] = 0;
  sides[0].frontier = {from};
  sides[1].parent[to] = {to, 0};
  sides[1].depth[to] = 0;
  sides[1].frontier = {to};
  std::vector<std::pair<NodeId, NodeId>> neighbors;
  std::optional<NodeId> meet;
  while (!meet && sides[0].level + sides[1].level < max_hops && !sides[0].frontier.empty() &&
         !sides[1].frontier.empty()) {
    const int s = sides[0].frontier.size() <= sides[1].frontier.size() ? 0 : 1;
    Side& side = sides[s];
    const Side& other = sides[1 - s];
    IdList next;
    uint32_t best_total = UINT32_MAX;
    for (NodeId node : side.frontier) {
      COLLABGRAPH_RETURN_IF_ERROR(Neighbors(graph, node, &neighbors, nullptr));
      for (const auto& [m, paper] : neighbors) {
        if (!side.parent.emplace(m, std::make_pair(node, paper)).second) continue;
        side.depth[m] = side.level + 1;
        next.push_back(m);
        if (auto it = other.depth.find(m); it != other.depth.end()) {
          const uint32_t total = side.level + 1 + it->second;
          if (total < best_total || (total == best_total && m < *meet)) {
            best_total = total;
            meet = m;
          }
        }
      }
    }
    std::sort(next.begin(), next.end());
    side.frontier = std::move(next);
    ++side.level;
  }
  if (!meet) return std::vector<PathStep>();
  // The chain from `from` to the meeting node comes from side 0's parents (each step's
  // linking paper is stored with it), the rest from side 1's.
  IdList chain;
  for (NodeId x = *meet; x != from; x = sides[0].parent.at(x).first) chain.push_back(x);
  chain.push_back(from);
  std::reverse(chain.begin(), chain.end());
  std::vector<PathStep> path;
  for (NodeId x : chain) {
    path.push_back({x, NameOf(graph, x), x == from ? 0 : sides[0].parent.at(x).second});
  }
  for (NodeId x = *meet; x != to;) {
    const auto [next, paper] = sides[1].parent.at(x);
    path.push_back({next, NameOf(graph, next), paper});
    x = next;
  }
  return path;
}

}  // namespace

std::unique_ptr<collabgraph::Snapshot> NewSnapshot(std::unique_ptr<model::ReadView> view,
                                                   CountryResolver resolve_country) {
  return std::make_unique<SnapshotImpl>(std::move(view), std::move(resolve_country));
}

}  // namespace collabgraph::query
