#include "ingest/resolver.h"

#include <catch2/catch.hpp>

#include "ingest/countries.h"

using collabgraph::ingest::Resolver;

namespace {

std::string CodeOf(const Resolver& r, std::string_view name, std::string_view domain) {
  const auto* row = r.Resolve(name, domain);
  return row == nullptr ? "" : std::string(row->code);
}

}  // namespace

TEST_CASE("Resolver: a lab named by its site wins over its company's domain",
          "[ingest][resolver]") {
  const Resolver r;
  // The company's domain says the headquarters' country...
  CHECK(CodeOf(r, "Microsoft", "microsoft.com") == "US");
  CHECK(CodeOf(r, "Microsoft Research", "microsoft.com") == "US");
  // ...but a lab named by its site lies elsewhere, whatever the domain.
  CHECK(CodeOf(r, "Microsoft Research Asia", "microsoft.com") == "CN");
  CHECK(CodeOf(r, "Microsoft Research, Asia", "") == "CN");
  CHECK(CodeOf(r, "Google Research, Zurich", "google.com") == "CH");
  CHECK(CodeOf(r, "Baidu Research USA", "baidu.com") == "US");
  // Whole words only: "Microsoft Research Asian Studies" is not the lab.
  CHECK(CodeOf(r, "Microsoft Research Asian Studies", "microsoft.com") == "US");
  // Domain rules, then a country named at the end of the text.
  CHECK(CodeOf(r, "Some Lab", "cs.example.de") == "DE");
  CHECK(CodeOf(r, "Some Lab", "example.edu") == "US");
  CHECK(CodeOf(r, "Some Lab", "example.ai").empty());
  CHECK(CodeOf(r, "Some Lab, Beijing, China", "") == "CN");
}

TEST_CASE("Resolver: the regions of institutions in China", "[ingest][resolver]") {
  const Resolver r;
  CHECK(r.Region("HKUST", "https://www.ust.hk/") == "HK");
  CHECK(r.Region("National Taiwan University", "") == "TW");
  CHECK(r.Region("University of Macau", "") == "MO");
  CHECK(r.Region("Peking University", "pku.edu.cn").empty());
}
