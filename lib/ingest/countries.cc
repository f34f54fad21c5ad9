#include "ingest/countries.h"

#include <string>
#include <unordered_map>

#include "util/text.h"

namespace collabgraph::ingest {

namespace {

const std::unordered_map<std::string, const CountryRow*>& Lookup() {
  static const auto* map = [] {
    auto* m = new std::unordered_map<std::string, const CountryRow*>();
    for (const CountryRow& row : CountryRows()) {
      m->emplace(util::NormalizeKey(row.code), &row);
      m->emplace(util::NormalizeKey(row.name), &row);
      for (std::string_view alias : row.aliases) m->emplace(util::NormalizeKey(alias), &row);
    }
    return m;
  }();
  return *map;
}

}  // namespace

const CountryRow* ResolveCountry(std::string_view label) {
  const auto& map = Lookup();
  auto it = map.find(util::NormalizeKey(label));
  return it == map.end() ? nullptr : it->second;
}

bool IsUnknownCountryLabel(std::string_view label) {
  const std::string key = util::NormalizeKey(label);
  return key.empty() || key == "unknown" || key == "n a" || key == "none";
}

}  // namespace collabgraph::ingest
