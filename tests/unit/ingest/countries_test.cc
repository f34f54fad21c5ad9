#include "ingest/countries.h"

#include <map>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "util/text.h"

using namespace collabgraph::ingest;

TEST_CASE("The country table holds all 249 ISO 3166-1 codes", "[ingest][countries]") {
  std::set<std::string_view> codes;
  for (const CountryRow& row : CountryRows()) {
    CHECK(row.code.size() == 2);
    CHECK_FALSE(row.name.empty());
    codes.insert(row.code);
  }
  CHECK(codes.size() == 249);
  for (std::string_view code : {"US", "CN", "HK", "MO", "TW", "GB", "KR", "AQ", "ZW"}) {
    CHECK(codes.count(code) == 1);
  }
}

TEST_CASE("No spelling in the country table maps to two countries", "[ingest][countries]") {
  std::map<std::string, std::string_view> seen;
  for (const CountryRow& row : CountryRows()) {
    std::vector<std::string_view> spellings = {row.code, row.name};
    spellings.insert(spellings.end(), row.aliases.begin(), row.aliases.end());
    for (std::string_view s : spellings) {
      const std::string key = collabgraph::util::NormalizeKey(s);
      auto [it, inserted] = seen.emplace(key, row.code);
      INFO(s << " -> " << row.code << " and " << it->second);
      CHECK(it->second == row.code);
    }
  }
}

TEST_CASE("Country names, codes and real-data aliases resolve", "[ingest][countries]") {
  const std::map<std::string, std::string> cases = {{"United States", "US"},
                                                    {"USA", "US"},
                                                    {"United States of America", "US"},
                                                    {"us", "US"},
                                                    {"U.S.A.", "US"},
                                                    {"UK", "GB"},
                                                    {"United Kingdom", "GB"},
                                                    {"South Korea", "KR"},
                                                    {"Korea, Republic of", "KR"},
                                                    {"Hong Kong SAR", "HK"},
                                                    {"Hong Kong", "HK"},
                                                    {"Macau", "MO"},
                                                    {"Taiwan, Province of China", "TW"},
                                                    {"China", "CN"},
                                                    {"Czech Republic", "CZ"},
                                                    {"Czechia", "CZ"},
                                                    {"Russia", "RU"},
                                                    {"Russian Federation", "RU"},
                                                    {"Türkiye", "TR"},
                                                    {"Turkiye", "TR"},
                                                    {"Turkey", "TR"},
                                                    {"Viet Nam", "VN"},
                                                    {"Vietnam", "VN"},
                                                    {"Iran", "IR"},
                                                    {"Puerto Rico", "PR"},
                                                    {"United Arab Emirates", "AE"},
                                                    {"  germany ", "DE"}};
  for (const auto& [label, code] : cases) {
    const CountryRow* row = ResolveCountry(label);
    INFO(label);
    REQUIRE(row != nullptr);
    CHECK(row->code == code);
  }
}

TEST_CASE("Unknown labels are reported as unknown, never guessed", "[ingest][countries]") {
  CHECK(ResolveCountry("Atlantis") == nullptr);
  CHECK(ResolveCountry("") == nullptr);
  CHECK(ResolveCountry("Unknown") == nullptr);
  CHECK(IsUnknownCountryLabel(""));
  CHECK(IsUnknownCountryLabel("Unknown"));
  CHECK_FALSE(IsUnknownCountryLabel("Atlantis"));
}
