#pragma once

// Affiliation resolution for sources without country fields (nips2021 is an OpenReview export
// with raw affiliation strings and e-mail domains only), and detection of Hong Kong, Macao and
// Taiwan for institutions a source labels "China". docs/methodology.md ("Resolving
// affiliations") gives the order of the rules and their known biases.

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "absl/status/statusor.h"

#include "ingest/countries.h"

namespace collabgraph::ingest {

class Resolver {
 public:
  // A resolver without the university list: domains resolve by company table and country
  // top-level domain only.
  Resolver();
  // Loads the Hipo world universities list (JSON array of {name, domains, alpha_two_code}),
  // plain or gzip. Errors name the file.
  static absl::StatusOr<std::unique_ptr<Resolver>> WithUniversities(const std::string& path);

  // The country of an institution given its name, the e-mail or web domain of its author (may
  // be empty), or null. Tries, in order: the name as a university of the list; a lab of a
  // multinational named by its site ("Microsoft Research Asia"); the domain as a
  // university domain (longest suffix); a known research-company domain; the domain's country
  // top-level domain (.edu, .gov, .mil: US); a country named at the end of the text.
  const CountryRow* Resolve(std::string_view institution, std::string_view domain) const;

  // "HK", "MO" or "TW" when the institution evidently lies there (its web site or e-mail domain
  // ends in .hk/.mo/.tw or is a university of the list in those regions, or its name names
  // the region or one of its cities); "" otherwise.
  std::string Region(std::string_view institution, std::string_view url_or_domain) const;

  size_t universities() const { return university_by_name_.size(); }

 private:
  const CountryRow* FromDomain(std::string_view domain) const;
  std::unordered_map<std::string, const CountryRow*> university_by_name_;    // normalised name
  std::unordered_map<std::string, const CountryRow*> university_by_domain_;  // lower-case
};

// The host of a URL or e-mail domain, lower-cased: "https://www.ust.hk/x" -> "www.ust.hk",
// "cs.cmu.edu" -> "cs.cmu.edu".
std::string HostOf(std::string_view url_or_domain);

}  // namespace collabgraph::ingest
