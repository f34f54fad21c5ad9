#pragma once

#include <string_view>
#include <vector>

namespace collabgraph::ingest {

// One ISO 3166-1 country: alpha-2 code, English short name, and other spellings found in
// real data. The table (country_table.cc) is generated; see scripts/gen_country_table.py.
struct CountryRow {
  std::string_view code;
  std::string_view name;
  std::vector<std::string_view> aliases;
};

// All 249 ISO 3166-1 entries, sorted by code.
const std::vector<CountryRow>& CountryRows();

}  // namespace collabgraph::ingest
