#pragma once

#include <string_view>

#include "ingest/country_table.h"

namespace collabgraph::ingest {

// Finds the country for a code ("US", "us"), an alpha-3 code ("USA"), an English name or a
// known alias ("United States of America", "Korea, Republic of", "Hong Kong SAR"), compared
// after util::NormalizeKey. Returns null when nothing matches; never guesses.
const CountryRow* ResolveCountry(std::string_view label);

// True for labels that mean "no country known": empty, "Unknown", "N/A", "None".
bool IsUnknownCountryLabel(std::string_view label);

}  // namespace collabgraph::ingest
