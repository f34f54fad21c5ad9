#include "model/check.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "model/identity.h"
#include "model/keys.h"
#include "model/properties.h"
#include "util/coding.h"
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
    COLLABGRAPH_RETURN_IF_ERROR(ScanEdges());
    COLLABGRAPH_RETURN_IF_ERROR(ScanIndex());
    CheckNodeIndexes();
    CheckAuthorships();
    COLLABGRAPH_RETURN_IF_ERROR(CheckCounters());
    return std::move(report_);
  }

 private:
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
        expected_index_[entry.key] = {label, entry.holds_id ? id : 0};
      }
      if (label == Label::kPaper) {
        paper_venue_name_[id] = std::string(props.GetString("venue").value_or(""));
      }
      if (label == Label::kVenue) venue_by_name_[std::string(*props.GetString("name"))] = id;
    });
  }

  absl::Status ScanEdges() {
    // Each out record must have its in record with the same value, and vice versa.
    std::unordered_map<std::string, std::string> pending;  // mirror key -> value, unmatched
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
          const Direction mirror_dir = e.dir == Direction::kOut ? Direction::kIn : Direction::kOut;
          const std::string mirror = EdgeKey({e.type, mirror_dir, e.b, e.a, e.rank});
          if (auto it = pending.find(std::string(key)); it != pending.end()) {
            if (it->second != value) {
              Report("reverse_edge", std::string(EdgeTypeName(e.type)) +
                                         " directions disagree on properties at " + Hex(key));
            }
            pending.erase(it);
          } else {
            pending.emplace(mirror, std::string(value));
          }
          if (e.dir != Direction::kOut) return;
          ++edge_count_[static_cast<uint8_t>(e.type)];
          out_edges_.push_back(e);
        }));
    for (const auto& [mirror, value] : pending) {
      EdgeKeyParts e{};
      DecodeEdgeKey(mirror, &e);
      Report("reverse_edge", std::string(EdgeTypeName(e.type)) + " " + std::to_string(e.b) +
                                 (e.dir == Direction::kIn ? " -> " : " <- ") + std::to_string(e.a) +
                                 " rank " + std::to_string(e.rank) + ": the " +
                                 (e.dir == Direction::kIn ? "in" : "out") + " record is missing");
    }
    for (const EdgeKeyParts& e : out_edges_) {
      const auto [src_label, dst_label] = EdgeEndpoints(e.type);
      for (auto [label, id] : {std::pair{src_label, e.a}, std::pair{dst_label, e.b}}) {
        if (!Exists(label, id)) {
          Report("dangling_edge", std::string(EdgeTypeName(e.type)) + " " + std::to_string(e.a) +
                                      " -> " + std::to_string(e.b) + ": " + NodeName(label, id) +
                                      " does not exist");
        }
      }
      if (e.type == EdgeType::kAuthored) authors_of_[e.b].push_back(e.rank);
      if (e.type == EdgeType::kAffiliated) affiliation_ranks_[e.a].push_back(e.rank);
      if (e.type == EdgeType::kPublishedIn) published_in_[e.a].push_back(e.b);
    }
    return absl::OkStatus();
  }

  absl::Status ScanIndex() {
    return view_.ScanRaw(storage::Cf::kIndex, [&](std::string_view key, std::string_view value) {
      ++report_.index_entries;
      if (key.empty()) {
        Report("key", "index: empty key");
        return;
      }
      const auto kind = static_cast<IndexKind>(static_cast<uint8_t>(key[0]));
      const std::string k(key);
      if (kind == IndexKind::kNodeName) {
        if (!value.empty()) Report("value", "index: NodeName entry with a value at " + Hex(key));
        if (expected_index_.count(k) == 0) {
          Report("index_to_node", "NodeName " + Hex(key) + ": no node with that name and id");
        }
        seen_index_.insert(k);
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
          return;
        }
        if (kind == IndexKind::kPaperByVenue) {
          by_venue_entries_.emplace(paper, venue);
          if (!Exists(Label::kVenue, venue)) {
            Report("index_to_node", "PaperByVenue " + Hex(key) + ": " +
                                        NodeName(Label::kVenue, venue) + " does not exist");
          }
        }
        if (kind == IndexKind::kPaperByYear && expected_index_.count(k) == 0) {
          Report("index_to_node", "PaperByYear " + Hex(key) + ": no such paper in that year");
        }
        seen_index_.insert(k);
        return;
      }
      if ((kind < IndexKind::kPaperSource || kind > IndexKind::kTagName) &&
          kind != IndexKind::kExternalId) {
        Report("key", "index: unknown index kind in " + Hex(key));
        return;
      }
      NodeId id = 0;
      if (!DecodeId(value, &id)) {
        Report("value", "index: undecodable id at " + Hex(key));
        return;
      }
      auto it = expected_index_.find(k);
      if (it == expected_index_.end() || it->second.second != id) {
        Report("index_to_node", "index entry " + Hex(key) + " -> " + std::to_string(id) +
                                    " matches no node with those properties");
      }
      seen_index_.insert(k);
    });
  }

  void CheckNodeIndexes() {
    for (const auto& [key, node] : expected_index_) {
      if (seen_index_.count(key) == 0) {
        Report("node_to_index", (node.second ? NodeName(node.first, node.second) : "a paper") +
                                    " has no index entry " + Hex(key));
      }
    }
    // PaperByVenue: one entry per paper, naming the venue of its PUBLISHED_IN edge.
    for (NodeId paper : nodes_[static_cast<uint8_t>(Label::kPaper)]) {
      auto venues = published_in_.find(paper);
      auto venue_id = venue_by_name_.find(paper_venue_name_[paper]);
      if (venues == published_in_.end() || venues->second.size() != 1 ||
          venue_id == venue_by_name_.end() || venues->second[0] != venue_id->second) {
        Report("dangling_edge", NodeName(Label::kPaper, paper) +
                                    " does not have exactly one PUBLISHED_IN edge to its venue");
        continue;
      }
      auto range = by_venue_entries_.equal_range(paper);
      if (std::distance(range.first, range.second) != 1 ||
          range.first->second != venue_id->second) {
        Report("node_to_index", NodeName(Label::kPaper, paper) +
                                    " does not have exactly one PaperByVenue entry for its venue");
      }
    }
    for (const auto& [paper, venue] : by_venue_entries_) {
      if (!Exists(Label::kPaper, paper)) {
        Report("index_to_node", "PaperByVenue entry for missing " + NodeName(Label::kPaper, paper));
      }
    }
  }

  void CheckAuthorships() {
    for (auto& [paper, ranks] : authors_of_) {
      std::sort(ranks.begin(), ranks.end());
      for (size_t i = 0; i < ranks.size(); ++i) {
        if (ranks[i] != i) {
          Report("authorship_positions", NodeName(Label::kPaper, paper) +
                                             ": author positions are not 0.." +
                                             std::to_string(ranks.size() - 1));
          break;
        }
      }
    }
    for (const auto& [paper, ranks] : affiliation_ranks_) {
      const size_t k = authors_of_.count(paper) ? authors_of_[paper].size() : 0;
      for (uint32_t r : ranks) {
        if (r >= k) {
          Report("authorship_positions", NodeName(Label::kPaper, paper) +
                                             ": AFFILIATED edge of position " + std::to_string(r) +
                                             " but " + std::to_string(k) + " authors");
          break;
        }
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
  std::array<std::unordered_set<NodeId>, 8> nodes_;
  std::array<NodeId, 8> max_id_{};
  std::array<uint64_t, 8> edge_count_{};
  std::map<std::string, std::pair<Label, NodeId>>
      expected_index_;  // key -> node (id 0: entry only)
  std::unordered_set<std::string> seen_index_;
  std::vector<EdgeKeyParts> out_edges_;
  std::unordered_map<NodeId, std::vector<uint32_t>> authors_of_;
  std::unordered_map<NodeId, std::vector<uint32_t>> affiliation_ranks_;
  std::unordered_map<NodeId, std::vector<NodeId>> published_in_;
  std::unordered_map<NodeId, std::string> paper_venue_name_;
  std::unordered_map<std::string, NodeId> venue_by_name_;
  std::unordered_multimap<NodeId, NodeId> by_venue_entries_;  // paper -> venue
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
  for (storage::Cf cf :
       {storage::Cf::kNodes, storage::Cf::kEdges, storage::Cf::kIndex, storage::Cf::kCounters}) {
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
