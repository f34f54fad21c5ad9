#include "collabgraph/countries.h"

#include "ingest/countries.h"

namespace collabgraph {

absl::StatusOr<std::string> CountryCode(const std::string& name_or_code) {
  const ingest::CountryRow* row = ingest::ResolveCountry(name_or_code);
  if (row == nullptr) {
    return absl::NotFoundError("unknown country \"" + name_or_code +
                               "\" (give an ISO 3166-1 code or an English name)");
  }
  return std::string(row->code);
}

absl::StatusOr<std::string> CountryName(const std::string& code) {
  for (const ingest::CountryRow& row : ingest::CountryRows()) {
    if (row.code == code) return std::string(row.name);
  }
  return absl::NotFoundError("unknown country code \"" + code + "\"");
}

}  // namespace collabgraph
