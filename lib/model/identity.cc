#include "model/identity.h"

#include "model/keys.h"

namespace collabgraph::model {

std::vector<IndexEntry> IdentityIndexEntries(Label label, NodeId id, const Properties& props,
                                             std::string* missing, uint32_t format) {
  const bool secondary_entries = format >= 2;
  missing->clear();
  auto need = [&](std::string_view name) -> std::optional<std::string_view> {
    auto v = props.GetString(name);
    if (!v && missing->empty()) *missing = std::string(name);
    return v;
  };
  switch (label) {
    case Label::kPaper: {
      const auto venue = need("venue");
      const auto source = need("source_id");
      const auto year = props.GetInt("year");
      if (!year && missing->empty()) *missing = "year";
      if (!venue || !source || !year) return {};
      std::vector<IndexEntry> entries = {
          {PaperSourceIndexKey(*venue, static_cast<int>(*year), *source), true},
          {PaperByYearKey(static_cast<int>(*year), id), false}};
      if (auto work = props.GetString("openalex_id"); work && secondary_entries) {
        entries.push_back({ExternalIdKey(kOpenAlexWorkScheme, *work), true});
      }
      return entries;
    }
    case Label::kAuthor: {
      const auto k = need("key");
      if (!k) return {};
      std::vector<IndexEntry> entries = {{StringIndexKey(IndexKind::kAuthorKey, *k), true}};
      if (!secondary_entries) return entries;
      if (auto name = props.GetString("name")) {
        entries.push_back({NodeNameKey(label, *name, id), false});
      }
      if (const StringList* ids = props.GetStringList("external_ids")) {
        for (const std::string& ext : *ids) {
          const size_t colon = ext.find(':');
          if (colon == std::string::npos) continue;
          entries.push_back({ExternalIdKey(std::string_view(ext).substr(0, colon),
                                           std::string_view(ext).substr(colon + 1)),
                             true});
        }
      }
      return entries;
    }
    case Label::kInstitution: {
      const auto k = need("key");
      if (!k) return {};
      std::vector<IndexEntry> entries = {
          {InstitutionIndexKey(*k, props.GetString("country_code").value_or("")), true}};
      if (!secondary_entries) return entries;
      if (auto name = props.GetString("name")) {
        entries.push_back({NodeNameKey(label, *name, id), false});
      }
      return entries;
    }
    case Label::kCountry:
      if (auto c = need("code")) return {{StringIndexKey(IndexKind::kCountryCode, *c), true}};
      return {};
    case Label::kVenue:
      if (auto n = need("name")) return {{StringIndexKey(IndexKind::kVenueName, *n), true}};
      return {};
    case Label::kTag:
      if (auto n = need("name")) return {{StringIndexKey(IndexKind::kTagName, *n), true}};
      return {};
  }
  return {};
}

std::pair<Label, Label> EdgeEndpoints(EdgeType type) {
  switch (type) {
    case EdgeType::kAuthored:
      return {Label::kAuthor, Label::kPaper};
    case EdgeType::kAffiliated:
      return {Label::kPaper, Label::kInstitution};
    case EdgeType::kLocatedIn:
      return {Label::kInstitution, Label::kCountry};
    case EdgeType::kPublishedIn:
      return {Label::kPaper, Label::kVenue};
    case EdgeType::kCites:
      return {Label::kPaper, Label::kPaper};
    case EdgeType::kTagged:
      return {Label::kPaper, Label::kTag};
  }
  return {Label::kPaper, Label::kPaper};
}

}  // namespace collabgraph::model
