#pragma once

// Key encodings for every column family; docs/format.md is the byte-by-byte specification.
// All integers are fixed-width big-endian so that byte order equals numeric order; strings in
// keys use util::PutOrderedString so that keys are injective and order-preserving.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/schema.h"

namespace collabgraph::model {

// nodes: [label u8][id u64]
std::string NodeKey(Label label, NodeId id);
std::string NodePrefix(Label label);
bool DecodeNodeKey(std::string_view key, Label* label, NodeId* id);

// edges: [type u8][direction u8][a u64][b u64][rank u32]; a is the key vertex (source for
// kOut, destination for kIn), b the other end.
struct EdgeKeyParts {
  EdgeType type;
  Direction dir;
  NodeId a;
  NodeId b;
  uint32_t rank;
};
std::string EdgeKey(const EdgeKeyParts& parts);
// The same bytes without an allocation (an edge key is longer than a short string's buffer).
inline constexpr size_t kEdgeKeyBytes = 22;
std::array<char, kEdgeKeyBytes> EdgeKeyArray(const EdgeKeyParts& parts);
// Prefix of all edges of `type` in `dir`, optionally of one key vertex `a`.
std::string EdgePrefix(EdgeType type, Direction dir, std::optional<NodeId> a = std::nullopt);
bool DecodeEdgeKey(std::string_view key, EdgeKeyParts* parts);

// index: [kind u8][fields...]
std::string PaperSourceIndexKey(std::string_view venue, int year, std::string_view source_id);
std::string StringIndexKey(IndexKind kind, std::string_view value);
std::string InstitutionIndexKey(std::string_view normalized_name, std::string_view country_code);
std::string PaperByYearKey(int year, NodeId paper);
std::string PaperByVenueKey(NodeId venue, NodeId paper);
std::string NodeNameKey(Label label, std::string_view name, NodeId id);
std::string NodeNamePrefix(Label label, std::string_view name);
std::string ExternalIdKey(std::string_view scheme, std::string_view value);

// counters: [kind u8][code u8] or [kIngestFile][ordered string]
std::string CounterKey(CounterKind kind, uint8_t code);
std::string IngestFileKey(std::string_view file_identity);

std::string EncodeId(NodeId id);
bool DecodeId(std::string_view value, NodeId* id);

}  // namespace collabgraph::model
