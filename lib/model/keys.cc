#include "model/keys.h"

#include "util/coding.h"

namespace collabgraph::model {

using util::PutFixed16BE;
using util::PutFixed64BE;
using util::PutFixed8;
using util::PutOrderedString;

std::string_view LabelName(Label label) {
  switch (label) {
    case Label::kPaper:
      return "Paper";
    case Label::kAuthor:
      return "Author";
    case Label::kInstitution:
      return "Institution";
    case Label::kCountry:
      return "Country";
    case Label::kVenue:
      return "Venue";
    case Label::kTag:
      return "Tag";
  }
  return "?";
}

std::string_view EdgeTypeName(EdgeType type) {
  switch (type) {
    case EdgeType::kAuthored:
      return "AUTHORED";
    case EdgeType::kAffiliated:
      return "AFFILIATED";
    case EdgeType::kLocatedIn:
      return "LOCATED_IN";
    case EdgeType::kPublishedIn:
      return "PUBLISHED_IN";
    case EdgeType::kCites:
      return "CITES";
    case EdgeType::kTagged:
      return "TAGGED";
  }
  return "?";
}

std::string NodeKey(Label label, NodeId id) {
  std::string k;
  k.reserve(9);
  PutFixed8(&k, static_cast<uint8_t>(label));
  PutFixed64BE(&k, id);
  return k;
}

std::string NodePrefix(Label label) { return {static_cast<char>(label)}; }

bool DecodeNodeKey(std::string_view key, Label* label, NodeId* id) {
  uint8_t l = 0;
  if (!util::GetFixed8(&key, &l) || !util::GetFixed64BE(&key, id) || !key.empty()) return false;
  if (l < static_cast<uint8_t>(Label::kPaper) || l > static_cast<uint8_t>(Label::kTag)) {
    return false;
  }
  *label = static_cast<Label>(l);
  return true;
}

std::array<char, kEdgeKeyBytes> EdgeKeyArray(const EdgeKeyParts& parts) {
  std::array<char, kEdgeKeyBytes> k;
  k[0] = static_cast<char>(parts.type);
  k[1] = static_cast<char>(parts.dir);
  for (int i = 0; i < 8; ++i) {
    k[2 + i] = static_cast<char>(parts.a >> (56 - 8 * i));
    k[10 + i] = static_cast<char>(parts.b >> (56 - 8 * i));
  }
  for (int i = 0; i < 4; ++i) k[18 + i] = static_cast<char>(parts.rank >> (24 - 8 * i));
  return k;
}

std::string EdgeKey(const EdgeKeyParts& parts) {
  const std::array<char, kEdgeKeyBytes> k = EdgeKeyArray(parts);
  return {k.data(), k.size()};
}

std::string EdgePrefix(EdgeType type, Direction dir, std::optional<NodeId> a) {
  std::string k;
  PutFixed8(&k, static_cast<uint8_t>(type));
  PutFixed8(&k, static_cast<uint8_t>(dir));
  if (a.has_value()) PutFixed64BE(&k, *a);
  return k;
}

bool DecodeEdgeKey(std::string_view key, EdgeKeyParts* parts) {
  uint8_t type = 0;
  uint8_t dir = 0;
  if (!util::GetFixed8(&key, &type) || !util::GetFixed8(&key, &dir) ||
      !util::GetFixed64BE(&key, &parts->a) || !util::GetFixed64BE(&key, &parts->b) ||
      !util::GetFixed32BE(&key, &parts->rank) || !key.empty()) {
    return false;
  }
  if (type < static_cast<uint8_t>(EdgeType::kAuthored) ||
      type > static_cast<uint8_t>(EdgeType::kTagged) ||
      (dir != static_cast<uint8_t>(Direction::kOut) &&
       dir != static_cast<uint8_t>(Direction::kIn))) {
    return false;
  }
  parts->type = static_cast<EdgeType>(type);
  parts->dir = static_cast<Direction>(dir);
  return true;
}

std::string PaperSourceIndexKey(std::string_view venue, int year, std::string_view source_id) {
  std::string k;
  PutFixed8(&k, static_cast<uint8_t>(IndexKind::kPaperSource));
  PutOrderedString(&k, venue);
  PutFixed16BE(&k, static_cast<uint16_t>(year));
  PutOrderedString(&k, source_id);
  return k;
}

std::string StringIndexKey(IndexKind kind, std::string_view value) {
  std::string k;
  PutFixed8(&k, static_cast<uint8_t>(kind));
  PutOrderedString(&k, value);
  return k;
}

std::string InstitutionIndexKey(std::string_view normalized_name, std::string_view country_code) {
  std::string k;
  PutFixed8(&k, static_cast<uint8_t>(IndexKind::kInstitutionKey));
  PutOrderedString(&k, normalized_name);
  PutOrderedString(&k, country_code);
  return k;
}

std::string PaperByYearKey(int year, NodeId paper) {
  std::string k;
  PutFixed8(&k, static_cast<uint8_t>(IndexKind::kPaperByYear));
  PutFixed16BE(&k, static_cast<uint16_t>(year));
  PutFixed64BE(&k, paper);
  return k;
}

std::string PaperByVenueKey(NodeId venue, NodeId paper) {
  std::string k;
  PutFixed8(&k, static_cast<uint8_t>(IndexKind::kPaperByVenue));
  PutFixed64BE(&k, venue);
  PutFixed64BE(&k, paper);
  return k;
}

std::string NodeNamePrefix(Label label, std::string_view name) {
  std::string k;
  PutFixed8(&k, static_cast<uint8_t>(IndexKind::kNodeName));
  PutFixed8(&k, static_cast<uint8_t>(label));
  PutOrderedString(&k, name);
  return k;
}

std::string NodeNameKey(Label label, std::string_view name, NodeId id) {
  std::string k = NodeNamePrefix(label, name);
  PutFixed64BE(&k, id);
  return k;
}

std::string ExternalIdKey(std::string_view scheme, std::string_view value) {
  std::string k;
  PutFixed8(&k, static_cast<uint8_t>(IndexKind::kExternalId));
  PutOrderedString(&k, scheme);
  PutOrderedString(&k, value);
  return k;
}

std::string CounterKey(CounterKind kind, uint8_t code) {
  std::string k;
  PutFixed8(&k, static_cast<uint8_t>(kind));
  PutFixed8(&k, code);
  return k;
}

std::string IngestFileKey(std::string_view file_identity) {
  std::string k;
  PutFixed8(&k, static_cast<uint8_t>(CounterKind::kIngestFile));
  PutOrderedString(&k, file_identity);
  return k;
}

std::string EncodeId(NodeId id) {
  std::string v;
  PutFixed64BE(&v, id);
  return v;
}

bool DecodeId(std::string_view value, NodeId* id) {
  return util::GetFixed64BE(&value, id) && value.empty();
}

}  // namespace collabgraph::model
