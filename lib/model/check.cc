#include "model/check.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"

#include "model/identity.h"
#include "model/keys.h"
#include "model/properties.h"
#include "model/roster.h"
#include "util/coding.h"
#include "util/hash.h"
#include "util/status_macros.h"

namespace collabgraph::model {

namespace {

std::string Hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    out.push_back(kHex[static_cast<uint8_t>(c) >> 4]);
    out.push_back(kHex[static_cast<uint8_t>(c) & 0xF]);
  }
  return out;
}

std::string NodeName(Label label, NodeId id) {
  return std::string(LabelName(label)) + " " + std::to_string(id);
}

class Checker {
 public:
  Checker(const ReadView& view, size_t max_reported) : view_(view), max_(max_reported) {}

  absl::StatusOr<CheckReport> Run() {
    COLLABGRAPH_RETURN_IF_ERROR(ScanNodes());
    SortExpected();
    if (has_rosters()) {
      const auto paper = static_cast<uint8_t>(Label::kPaper);
      edge_rosters_.Reset(max_id_[paper], nodes_[paper].size());
      stored_rosters_.Reset(max_id_[paper], nodes_[paper].size());
    }
    COLLABGRAPH_RETURN_IF_ERROR(ScanEdges());
    COLLABGRAPH_RETURN_IF_ERROR(ScanIndex());
    CheckNodeIndexes();
    COLLABGRAPH_RETURN_IF_ERROR(ScanRosters());
    COLLABGRAPH_RETURN_IF_ERROR(CheckRosters());
    COLLABGRAPH_RETURN_IF_ERROR(CheckCounters());
    return std::move(report_);
  }

 private:
  // An index entry a node requires (expected_index_).
  struct Expected {
    std::string key;
    Label label;
    NodeId id;  // 0: the entry holds no id
  };

  void Report(std::string invariant, std::string detail) {
    ++report_.violation_count;
    if (report_.violations.size() < max_) {
      report_.violations.push_back({std::move(invariant), std::move(detail)});
    }
  }

  bool Exists(Label label, NodeId id) const {
    return nodes_[static_cast<uint8_t>(label)].count(id) > 0;
  }

  absl::Status ScanNodes() {
    return view_.ScanRaw(storage::Cf::kNodes, [&](std::string_view key, std::string_view value) {
      ++report_.nodes;
      Label label{};
      NodeId id = 0;
      if (!DecodeNodeKey(key, &label, &id)) {
        Report("key", "nodes: undecodable key " + Hex(key));
        return;
      }
      Properties props;
      if (!DecodeProperties(value, &props)) {
        Report("value", NodeName(label, id) + ": undecodable properties");
        return;
      }
      nodes_[static_cast<uint8_t>(label)].insert(id);
      max_id_[static_cast<uint8_t>(label)] = std::max(max_id_[static_cast<uint8_t>(label)], id);
      // The index entries each node must have.
      std::string missing;
      const std::vector<IndexEntry> entries =
          IdentityIndexEntries(label, id, props, &missing, view_.format_version());
      if (!missing.empty()) {
        Report("value", NodeName(label, id) + ": missing identity property " + missing);
        return;
      }
      for (const IndexEntry& entry : entries) {
        expected_index_.push_back({entry.key, label, entry.holds_id ? id : 0});
      }
      if (label == Label::kPaper) {
        const std::string venue(props.GetString("venue").value_or(""));
        auto [it, added] =
            venue_name_index_.try_emplace(venue, static_cast<uint32_t>(venue_names_.size()));
        if (added) venue_names_.push_back(venue);
        paper_venue_name_[id] = it->second;
      }
      if (label == Label::kVenue) venue_by_name_[std::string(*props.GetString("name"))] = id;
    });
  }

  // An edge record normalised to (source, destination, rank) whichever direction holds it,
  // with a hash of its value: the two records of one edge give equal ones.
  struct EdgeFingerprint {
    NodeId src;
    NodeId dst;
    uint32_t rank;
    uint64_t value_hash;
    bool operator<(const EdgeFingerprint& o) const {
      return std::tie(src, dst, rank, value_hash) < std::tie(o.src, o.dst, o.rank, o.value_hash);
    }
  };
  static EdgeFingerprint Fingerprint(const EdgeKeyParts& e, std::string_view value) {
    const bool out = e.dir == Direction::kOut;
    return {out ? e.a : e.b, out ? e.b : e.a, e.rank, util::Hash64(value)};
  }
  // One hash per edge record (17M at 1M papers): the fields go into a stack buffer, not a
  // heap-allocated string.
  static uint64_t Mix(const EdgeFingerprint& f) {
    char bytes[28];
    std::memcpy(bytes, &f.src, 8);
    std::memcpy(bytes + 8, &f.dst, 8);
    std::memcpy(bytes + 16, &f.rank, 4);
    std::memcpy(bytes + 20, &f.value_hash, 8);
    return util::Hash64(std::string_view(bytes, sizeof bytes));
  }

  // Every out record must have its in record with the same value, and vice versa. The scan
  // keeps, per edge type and direction, a count and a sum of the records' fingerprint hashes
  // (equal sums: the two directions hold the same records, but for a 2^-64 chance), so that
  // its memory does not grow with the graph; only a type whose sums differ is read again, to
  // name the records without their mirror. The other edge checks run as the records stream
  // by: nodes were all read before.
  absl::Status ScanEdges() {
    std::array<std::array<uint64_t, 3>, 8> sums{};    // [type][direction]
    std::array<std::array<uint64_t, 3>, 8> counts{};  // [type][direction]
    // AUTHORED in records are grouped by paper ([paper][author][rank]): the ranks of one paper.
    NodeId ranks_paper = 0;
    std::vector<uint32_t> ranks;
    NodeId affiliation_reported = 0;
    COLLABGRAPH_RETURN_IF_ERROR(
        view_.ScanRaw(storage::Cf::kEdges, [&](std::string_view key, std::string_view value) {
          ++report_.edges;
          EdgeKeyParts e{};
          if (!DecodeEdgeKey(key, &e)) {
            Report("key", "edges: undecodable key " + Hex(key));
            return;
          }
          Properties props;
          if (!DecodeProperties(value, &props)) {
            Report("value", "edges: undecodable properties at " + Hex(key));
          }
          const auto type = static_cast<uint8_t>(e.type);
          const auto dir = static_cast<uint8_t>(e.dir);
          sums[type][dir] += Mix(Fingerprint(e, value));
          ++counts[type][dir];
          const bool authored_in = e.type == EdgeType::kAuthored && e.dir == Direction::kIn;
          if (!ranks.empty() && (!authored_in || e.a != ranks_paper)) {
            CheckRanks(ranks_paper, &ranks);  // the previous paper's ranks are complete
          }
          if (authored_in) {
            ranks_paper = e.a;
            ranks.push_back(e.rank);
          }
          if (has_rosters() &&
              (authored_in || (e.type == EdgeType::kAffiliated && e.dir == Direction::kOut))) {
            // Beyond the largest paper id: no such paper, a dangling edge reported below.
            if (RosterSum* sum = edge_rosters_.Slot(e.a)) sum->Add(authored_in, e.rank, e.b);
          }
          if (e.dir != Direction::kOut) return;
          ++edge_count_[type];
          const auto [src_label, dst_label] = EdgeEndpoints(e.type);
          for (auto [label, id] : {std::pair{src_label, e.a}, std::pair{dst_label, e.b}}) {
            if (!Exists(label, id)) {
              Report("dangling_edge", std::string(EdgeTypeName(e.type)) + " " +
                                          std::to_string(e.a) + " -> " + std::to_string(e.b) +
                                          ": " + NodeName(label, id) + " does not exist");
            }
          }
          if (e.type == EdgeType::kAffiliated && e.a != affiliation_reported) {
            // AUTHORED sorts before AFFILIATED: every paper's author count is known here.
            auto k = author_count_.find(e.a);
            const uint32_t authors = k == author_count_.end() ? 0 : k->second;
            if (e.rank >= authors) {
              Report("authorship_positions",
                     NodeName(Label::kPaper, e.a) + ": AFFILIATED edge of position " +
                         std::to_string(e.rank) + " but " + std::to_string(authors) + " authors");
              affiliation_reported = e.a;
            }
          }
          if (e.type == EdgeType::kPublishedIn) {
            auto [it, added] = published_in_.try_emplace(e.a, e.b, 0);
            ++it->second.second;
          }
        }));
    CheckRanks(ranks_paper, &ranks);
    for (EdgeType type : kAllEdgeTypes) {
      const auto t = static_cast<uint8_t>(type);
      const auto out = static_cast<uint8_t>(Direction::kOut);
      const auto in = static_cast<uint8_t>(Direction::kIn);
      if (sums[t][out] != sums[t][in] || counts[t][out] != counts[t][in]) {
        COLLABGRAPH_RETURN_IF_ERROR(FindUnmirrored(type));
      }
    }
    return absl::OkStatus();
  }

  // Rosters (format 3) are compared by an order-independent sum of pair hashes per paper, one
  // from the edges and one from the rosters column family; a paper whose sums differ is read
  // again to name the difference.
  struct RosterSum {
    uint64_t sum = 0;
    uint64_t count = 0;
    bool present = false;  // for a stored roster: the paper has one
    void Add(bool author, uint32_t position, NodeId id) {
      char bytes[13];
      bytes[0] = author ? 'a' : 'i';
      std::memcpy(bytes + 1, &position, 4);
      std::memcpy(bytes + 5, &id, 8);
      sum += util::Hash64(std::string_view(bytes, sizeof bytes));
      ++count;
    }
  };
  // Roster sums by paper id: a vector while ids are dense (as the writer allocates them), a
  // hash map when a damaged key makes the largest id far larger than the paper count.
  class RosterSums {
   public:
    void Reset(NodeId largest, size_t papers) {
      dense_ = largest <= 2 * papers + 1024;
      if (dense_) sums_.assign(largest + 1, RosterSum{});
    }
    RosterSum* Find(NodeId paper) {
      if (dense_) return paper < sums_.size() ? &sums_[paper] : nullptr;
      auto it = map_.find(paper);
      return it == map_.end() ? nullptr : &it->second;
    }
    // The sum of `paper`, created if need be; null beyond the largest id when dense.
    RosterSum* Slot(NodeId paper) {
      if (dense_) return paper < sums_.size() ? &sums_[paper] : nullptr;
      return &map_[paper];
    }

   private:
    bool dense_ = true;
    std::vector<RosterSum> sums_;
    absl::flat_hash_map<NodeId, RosterSum> map_;
  };

  bool has_rosters() const { return view_.format_version() >= storage::kFirstFormatWithRosters; }

  static std::string PairsText(const std::vector<std::pair<uint32_t, NodeId>>& pairs) {
    std::string out = "[";
    for (const auto& [position, id] : pairs) {
      if (out.size() > 1) out += " ";
      out += std::to_string(position) + ":" + std::to_string(id);
    }
    return out + "]";
  }

  // Names how the roster of `paper` differs from its edges.
  absl::Status ReportRosterDifference(NodeId paper, const Roster& stored) {
    Roster edges;
    COLLABGRAPH_RETURN_IF_ERROR(view_.ScanEdges(
        EdgeType::kAuthored, Direction::kIn, paper,
        [&](const EdgeKeyParts& e, std::string_view) { edges.authors.emplace_back(e.rank, e.b); }));
    COLLABGRAPH_RETURN_IF_ERROR(view_.ScanEdges(EdgeType::kAffiliated, Direction::kOut, paper,
                                                [&](const EdgeKeyParts& e, std::string_view) {
                                                  edges.institutions.emplace_back(e.rank, e.b);
                                                }));
    std::sort(edges.authors.begin(), edges.authors.end());
    std::sort(edges.institutions.begin(), edges.institutions.end());
    Report("roster", NodeName(Label::kPaper, paper) + ": roster lists authors " +
                         PairsText(stored.authors) + " institutions " +
                         PairsText(stored.institutions) + ", its edges authors " +
                         PairsText(edges.authors) + " institutions " +
                         PairsText(edges.institutions) + " (position:id)");
    return absl::OkStatus();
  }

  // The rosters column family (format 3): every chunk decodes, every roster belongs to a
  // paper; the pair sums are compared with the edges' in CheckRosters.
  absl::Status ScanRosters() {
    if (!has_rosters()) return absl::OkStatus();
    return view_.ScanRaw(storage::Cf::kRosters, [&](std::string_view key, std::string_view value) {
      NodeId chunk = 0;
      if (!DecodeRosterChunkKey(key, &chunk)) {
        Report("key", "rosters: undecodable key " + Hex(key));
        return;
      }
      const bool decoded =
          ForEachInChunk(chunk, value, [&](NodeId paper, std::string_view encoded) {
            if (!DecodeRoster(encoded, &roster_scratch_)) {
              Report("value", "rosters: undecodable roster of " + NodeName(Label::kPaper, paper));
              return;
            }
            if (!Exists(Label::kPaper, paper)) {
              Report("index_to_node", "roster chunk " + Hex(key) + ": " +
                                          NodeName(Label::kPaper, paper) + " does not exist");
              return;
            }
            RosterSum& sum = *stored_rosters_.Slot(paper);  // an existing paper: in range
            sum.present = true;
            for (const auto& [position, id] : roster_scratch_.authors) {
              sum.Add(/*author=*/true, position, id);
            }
            for (const auto& [position, id] : roster_scratch_.institutions) {
              sum.Add(/*author=*/false, position, id);
            }
          });
      if (!decoded) Report("value", "rosters: undecodable chunk " + Hex(key));
    });
  }

  // After the rosters scan: every paper has a roster equal to its edges.
  absl::Status CheckRosters() {
    if (!has_rosters()) return absl::OkStatus();
    for (NodeId paper : nodes_[static_cast<uint8_t>(Label::kPaper)]) {
      const RosterSum* stored = stored_rosters_.Find(paper);
      if (stored == nullptr || !stored->present) {
        Report("roster", NodeName(Label::kPaper, paper) + " has no roster entry");
        continue;
      }
      const RosterSum* edges = edge_rosters_.Find(paper);
      const RosterSum from_edges = edges == nullptr ? RosterSum{} : *edges;
      if (stored->sum == from_edges.sum && stored->count == from_edges.count) continue;
      // Read again: it decoded during the scan.
      Roster roster;
      auto cursor = view_.NewCursor(storage::Cf::kRosters, RosterChunkKey(RosterChunkOf(paper)));
      cursor->SeekToFirst();
      COLLABGRAPH_RETURN_IF_ERROR(cursor->status());
      if (cursor->Valid()) {
        ForEachInChunk(RosterChunkOf(paper), cursor->value(),
                       [&](NodeId id, std::string_view encoded) {
                         if (id == paper) DecodeRoster(encoded, &roster);
                       });
      }
      COLLABGRAPH_RETURN_IF_ERROR(ReportRosterDifference(paper, roster));
    }
    return absl::OkStatus();
  }

  // The AUTHORED ranks of `paper` must be exactly 0..k-1; remembers k.
  void CheckRanks(NodeId paper, std::vector<uint32_t>* ranks) {
    if (ranks->empty()) return;
    std::sort(ranks->begin(), ranks->end());
    for (size_t i = 0; i < ranks->size(); ++i) {
      if ((*ranks)[i] != i) {
        Report("authorship_positions", NodeName(Label::kPaper, paper) +
                                           ": author positions are not 0.." +
                                           std::to_string(ranks->size() - 1));
        break;
      }
    }
    author_count_[paper] = static_cast<uint32_t>(ranks->size());
    ranks->clear();
  }

  // Reads the records of `type` again, both directions side by side, and reports each record
  // without its mirror, or whose mirror has another value.
  absl::Status FindUnmirrored(EdgeType type) {
    std::vector<EdgeFingerprint> out;
    std::vector<EdgeFingerprint> in;
    COLLABGRAPH_RETURN_IF_ERROR(
        view_.ScanRaw(storage::Cf::kEdges, [&](std::string_view key, std::string_view value) {
          EdgeKeyParts e{};
          if (!DecodeEdgeKey(key, &e) || e.type != type) return;
          (e.dir == Direction::kOut ? out : in).push_back(Fingerprint(e, value));
        }));
    std::sort(out.begin(), out.end());
    std::sort(in.begin(), in.end());
    const std::string name(EdgeTypeName(type));
    auto missing = [&](const EdgeFingerprint& f, bool in_missing) {
      Report("reverse_edge", name + " " + std::to_string(in_missing ? f.src : f.dst) +
                                 (in_missing ? " -> " : " <- ") +
                                 std::to_string(in_missing ? f.dst : f.src) + " rank " +
                                 std::to_string(f.rank) + ": the " + (in_missing ? "in" : "out") +
                                 " record is missing");
    };
    auto same_edge = [](const EdgeFingerprint& x, const EdgeFingerprint& y) {
      return std::tie(x.src, x.dst, x.rank) == std::tie(y.src, y.dst, y.rank);
    };
    auto edge_less = [](const EdgeFingerprint& x, const EdgeFingerprint& y) {
      return std::tie(x.src, x.dst, x.rank) < std::tie(y.src, y.dst, y.rank);
    };
    size_t i = 0;
    size_t j = 0;
    while (i < out.size() || j < in.size()) {
      if (j == in.size() || (i < out.size() && edge_less(out[i], in[j]))) {
        missing(out[i++], /*in_missing=*/true);
      } else if (i == out.size() || edge_less(in[j], out[i])) {
        missing(in[j++], /*in_missing=*/false);
      } else {
        if (same_edge(out[i], in[j]) && out[i].value_hash != in[j].value_hash) {
          Report("reverse_edge",
                 name + " directions disagree on properties at " +
                     Hex(EdgeKey({type, Direction::kIn, in[j].dst, in[j].src, in[j].rank})));
        }
        ++i;
        ++j;
      }
    }
    return absl::OkStatus();
  }

  // Sorts the required index entries by key; of equal keys the last required wins.
  void SortExpected() {
    std::stable_sort(expected_index_.begin(), expected_index_.end(),
                     [](const Expected& x, const Expected& y) { return x.key < y.key; });
    size_t kept = 0;
    for (size_t i = 0; i < expected_index_.size(); ++i) {
      if (i + 1 < expected_index_.size() && expected_index_[i + 1].key == expected_index_[i].key) {
        continue;
      }
      if (kept != i) expected_index_[kept] = std::move(expected_index_[i]);
      ++kept;
    }
    expected_index_.resize(kept);
  }

  void ReportMissing(const Expected& e) {
    Report("node_to_index",
           (e.id ? NodeName(e.label, e.id) : "a paper") + " has no index entry " + Hex(e.key));
  }

  // Walks the required entries up to `key` (the index is read in key order): those below it
  // are missing from the index; returns the one equal to it, or null.
  const Expected* MatchExpected(std::string_view key) {
    while (next_expected_ < expected_index_.size() && expected_index_[next_expected_].key < key) {
      ReportMissing(expected_index_[next_expected_++]);
    }
    if (next_expected_ < expected_index_.size() && expected_index_[next_expected_].key == key) {
      return &expected_index_[next_expected_++];
    }
    return nullptr;
  }

  absl::Status ScanIndex() {
    return view_.ScanRaw(storage::Cf::kIndex, [&](std::string_view key, std::string_view value) {
      ++report_.index_entries;
      if (key.empty()) {
        Report("key", "index: empty key");
        return;
      }
      const Expected* match = MatchExpected(key);
      // An entry that does not decode does not stand for the entry its node requires.
      auto unusable = [&] {
        if (match != nullptr) ReportMissing(*match);
      };
      const auto kind = static_cast<IndexKind>(static_cast<uint8_t>(key[0]));
      if (kind == IndexKind::kNodeName) {
        if (!value.empty()) Report("value", "index: NodeName entry with a value at " + Hex(key));
        if (match == nullptr) {
          Report("index_to_node", "NodeName " + Hex(key) + ": no node with that name and id");
        }
        return;
      }
      if (kind == IndexKind::kPaperByYear || kind == IndexKind::kPaperByVenue) {
        std::string_view rest = key.substr(1);
        uint16_t year = 0;
        uint64_t venue = 0;
        uint64_t paper = 0;
        const bool ok =
            kind == IndexKind::kPaperByYear
                ? util::GetFixed16BE(&rest, &year) && util::GetFixed64BE(&rest, &paper)
                : util::GetFixed64BE(&rest, &venue) && util::GetFixed64BE(&rest, &paper);
        if (!ok || !rest.empty() || !value.empty()) {
          Report("key", "index: undecodable entry " + Hex(key));
          unusable();
          return;
        }
        if (kind == IndexKind::kPaperByVenue) {
          auto [it, added] = by_venue_entries_.try_emplace(paper, venue, 0);
          ++it->second.second;
          if (!Exists(Label::kVenue, venue)) {
            Report("index_to_node", "PaperByVenue " + Hex(key) + ": " +
                                        NodeName(Label::kVenue, venue) + " does not exist");
          }
        }
        if (kind == IndexKind::kPaperByYear && match == nullptr) {
          Report("index_to_node", "PaperByYear " + Hex(key) + ": no such paper in that year");
        }
        return;
      }
      if ((kind < IndexKind::kPaperSource || kind > IndexKind::kTagName) &&
          kind != IndexKind::kExternalId) {
        Report("key", "index: unknown index kind in " + Hex(key));
        unusable();
        return;
      }
      NodeId id = 0;
      if (!DecodeId(value, &id)) {
        Report("value", "index: undecodable id at " + Hex(key));
        unusable();
        return;
      }
      if (match == nullptr || match->id != id) {
        Report("index_to_node", "index entry " + Hex(key) + " -> " + std::to_string(id) +
                                    " matches no node with those properties");
      }
    });
  }

  void CheckNodeIndexes() {
    while (next_expected_ < expected_index_.size()) {
      ReportMissing(expected_index_[next_expected_++]);
    }
    // PaperByVenue: one entry per paper, naming the venue of its PUBLISHED_IN edge.
    for (NodeId paper : nodes_[static_cast<uint8_t>(Label::kPaper)]) {
      auto venues = published_in_.find(paper);
      auto name = paper_venue_name_.find(paper);
      auto venue_id = venue_by_name_.find(
          name == paper_venue_name_.end() ? std::string() : venue_names_[name->second]);
      if (venues == published_in_.end() || venues->second.second != 1 ||
          venue_id == venue_by_name_.end() || venues->second.first != venue_id->second) {
        Report("dangling_edge", NodeName(Label::kPaper, paper) +
                                    " does not have exactly one PUBLISHED_IN edge to its venue");
        continue;
      }
      auto entry = by_venue_entries_.find(paper);
      if (entry == by_venue_entries_.end() || entry->second.second != 1 ||
          entry->second.first != venue_id->second) {
        Report("node_to_index", NodeName(Label::kPaper, paper) +
                                    " does not have exactly one PaperByVenue entry for its venue");
      }
    }
    for (const auto& [paper, entry] : by_venue_entries_) {
      if (Exists(Label::kPaper, paper)) continue;
      for (uint32_t i = 0; i < entry.second; ++i) {
        Report("index_to_node", "PaperByVenue entry for missing " + NodeName(Label::kPaper, paper));
      }
    }
  }

  absl::Status CheckCounters() {
    std::array<uint64_t, 8> node_counts{};
    std::array<uint64_t, 8> edge_counts{};
    COLLABGRAPH_RETURN_IF_ERROR(
        view_.ScanRaw(storage::Cf::kCounters, [&](std::string_view key, std::string_view value) {
          if (!key.empty() &&
              static_cast<uint8_t>(key[0]) == static_cast<uint8_t>(CounterKind::kIngestFile)) {
            return;  // resume markers have their own layout
          }
          std::string_view v = value;
          uint64_t n = 0;
          const bool ok = key.size() == 2 && util::GetFixed64BE(&v, &n) && v.empty();
          const auto kind = ok ? static_cast<CounterKind>(static_cast<uint8_t>(key[0]))
                               : CounterKind::kIngestFile;
          const auto code = ok ? static_cast<uint8_t>(key[1]) : uint8_t{0};
          if (!ok || code == 0 || code >= node_counts.size() ||
              (kind != CounterKind::kNodeCount && kind != CounterKind::kEdgeCount &&
               kind != CounterKind::kNextId)) {
            Report("key", "counters: undecodable record " + Hex(key));
            return;
          }
          if (kind == CounterKind::kNodeCount) node_counts[code] = n;
          if (kind == CounterKind::kEdgeCount) edge_counts[code] = n;
          if (kind == CounterKind::kNextId && !nodes_[code].empty() && n <= max_id_[code]) {
            Report("counter", "next id " + std::to_string(n) + " of label " + std::to_string(code) +
                                  " is not above the largest id " + std::to_string(max_id_[code]));
          }
        }));
    for (Label label : kAllLabels) {
      const auto code = static_cast<uint8_t>(label);
      if (node_counts[code] != nodes_[code].size()) {
        Report("counter", std::string(LabelName(label)) + " count is " +
                              std::to_string(node_counts[code]) + ", recount " +
                              std::to_string(nodes_[code].size()));
      }
    }
    for (EdgeType type : kAllEdgeTypes) {
      const auto code = static_cast<uint8_t>(type);
      if (edge_counts[code] != edge_count_[code]) {
        Report("counter", std::string(EdgeTypeName(type)) + " count is " +
                              std::to_string(edge_counts[code]) + ", recount " +
                              std::to_string(edge_count_[code]));
      }
    }
    return absl::OkStatus();
  }

  const ReadView& view_;
  size_t max_;
  CheckReport report_;
  std::array<absl::flat_hash_set<NodeId>, 8> nodes_;
  std::array<NodeId, 8> max_id_{};
  std::array<uint64_t, 8> edge_count_{};
  // The index entries the nodes require, sorted by key once the nodes are read (the last node
  // to require a key wins); the index scan, in key order, walks it alongside.
  std::vector<Expected> expected_index_;
  size_t next_expected_ = 0;
  absl::flat_hash_map<NodeId, uint32_t> author_count_;  // paper -> AUTHORED records
  // Roster pair sums by paper id (RosterSums): from the edges, and from
  // the rosters column family (format 3).
  RosterSums edge_rosters_;
  RosterSums stored_rosters_;
  Roster roster_scratch_;
  // paper -> (first PUBLISHED_IN venue, number of PUBLISHED_IN edges)
  absl::flat_hash_map<NodeId, std::pair<NodeId, uint32_t>> published_in_;
  std::vector<std::string> venue_names_;  // the `venue` properties of papers, interned
  absl::flat_hash_map<std::string, uint32_t> venue_name_index_;
  absl::flat_hash_map<NodeId, uint32_t> paper_venue_name_;  // paper -> venue_names_ index
  absl::flat_hash_map<std::string, NodeId> venue_by_name_;
  // paper -> (first PaperByVenue venue, number of PaperByVenue entries)
  absl::flat_hash_map<NodeId, std::pair<NodeId, uint32_t>> by_venue_entries_;
};

}  // namespace

absl::StatusOr<CheckReport> CheckGraph(const ReadView& view, size_t max_reported) {
  return Checker(view, max_reported).Run();
}

absl::StatusOr<uint64_t> ContentHash(const ReadView& view) {
  // FNV-1a over (cf, key length, key, value length, value) of every record.
  uint64_t h = 1469598103934665603ull;
  auto mix = [&](std::string_view bytes) {
    for (char c : bytes) {
      h ^= static_cast<uint8_t>(c);
      h *= 1099511628211ull;
    }
  };
  std::vector<storage::Cf> cfs = {storage::Cf::kNodes, storage::Cf::kEdges, storage::Cf::kIndex,
                                  storage::Cf::kCounters};
  if (view.format_version() >= storage::kFirstFormatWithRosters) {
    cfs.push_back(storage::Cf::kRosters);
  }
  for (storage::Cf cf : cfs) {
    std::string tag;
    util::PutFixed8(&tag, static_cast<uint8_t>(cf));
    mix(tag);
    COLLABGRAPH_RETURN_IF_ERROR(view.ScanRaw(cf, [&](std::string_view key, std::string_view value) {
      std::string len;
      util::PutVarint64(&len, key.size());
      mix(len);
      mix(key);
      len.clear();
      util::PutVarint64(&len, value.size());
      mix(len);
      mix(value);
    }));
  }
  return h;
}

}  // namespace collabgraph::model
