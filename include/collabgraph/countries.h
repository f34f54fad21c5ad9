#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace collabgraph {

// The ISO 3166-1 alpha-2 code for a code, an English name or a known alias ("us", "USA",
// "United States of America", "Korea, Republic of"). NotFound, naming the input, otherwise.
absl::StatusOr<std::string> CountryCode(const std::string& name_or_code);

// The English short name of an ISO 3166-1 alpha-2 code; NotFound for an unknown code.
absl::StatusOr<std::string> CountryName(const std::string& code);

}  // namespace collabgraph
