#include "model/identity.h"

#include "model/keys.h"

namespace collabgraph::model {

std::vector<IndexEntry> IdentityIndexEntries(Label label, NodeId id, const Properties& props,
                                             std::string* missing) {
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
      return {{PaperSourceIndexKey(*venue, static_cast<int>(*year), *source), true},
              {PaperByYearKey(static_cast<int>(*year), id), false}};
    }
    case Label::kAuthor:
      if (auto k = need("key")) return {{StringIndexKey(IndexKind::kAuthorKey, *k), true}};
      return {};
    case Label::kInstitution:
      if (auto k = need("key")) {
        return {{InstitutionIndexKey(*k, props.GetString("country_code").value_or("")), true}};
      }
      return {};
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
