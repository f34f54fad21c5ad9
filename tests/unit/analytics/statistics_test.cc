#include "analytics/statistics.h"

#include <catch2/catch.hpp>

#include "analytics/table_builder.h"

using namespace collabgraph;
using collabgraph::testing::TableBuilder;

namespace {

const CountryStat& Find(const StatsGroup& g, const std::string& code) {
  for (const auto& c : g.countries) {
    if (c.code == code) return c;
  }
  FAIL("no country " << code);
  throw 0;
}

}  // namespace

TEST_CASE("Full and fractional counting of a two-country paper", "[analytics][stats]") {
  TableBuilder b;
  const int32_t us = b.Country("US"), cn = b.Country("CN");
  const uint32_t mit = b.Institution("MIT", us), pku = b.Institution("PKU", cn);
  // Author 1 at MIT; author 2 at MIT and PKU: US gets 1/2 + 1/4, CN 1/4.
  b.Paper(2020, {{b.Author("a"), {mit}}, {b.Author("b"), {mit, pku}}});
  // A US-only paper and a paper without any country.
  b.Paper(2020, {{b.Author("c"), {mit}}});
  b.Paper(2021, {{b.Author("d"), {}}});
  const StatsResult r = analytics::ComputeStats(b.table(), {});
  REQUIRE(r.groups.size() == 1);
  const StatsGroup& g = r.groups[0];
  CHECK(g.papers == 3);
  CHECK(g.papers_with_country == 2);
  CHECK(g.unknown_country_papers == 1);
  CHECK(g.international_papers == 1);
  CHECK(Find(g, "US").papers == 2);
  CHECK(Find(g, "US").fractional == Approx(1.75));
  CHECK(Find(g, "CN").fractional == Approx(0.25));
  REQUIRE(g.pairs.size() == 1);
  CHECK(g.pairs[0].a == "CN");
  CHECK(g.pairs[0].b == "US");
  CHECK(g.pairs[0].papers == 1);
  CHECK(g.pairs[0].fractional == Approx(1.0));
  CHECK(g.pairs[0].salton == Approx(1.0 / std::sqrt(2.0 * 1.0)));
}

TEST_CASE("Grouping by year and leaving rejected papers out", "[analytics][stats]") {
  TableBuilder b;
  const int32_t fr = b.Country("FR");
  const uint32_t inria = b.Institution("INRIA", fr);
  b.Paper(2020, {{b.Author("a"), {inria}}});
  b.Paper(2021, {{b.Author("b"), {inria}}}, /*rejected=*/true);
  b.Paper(2021, {{b.Author("c"), {inria}}});
  StatsOptions options;
  options.group_by = GroupBy::kYear;
  StatsResult r = analytics::ComputeStats(b.table(), options);
  REQUIRE(r.groups.size() == 2);
  CHECK(r.groups[1].key == "2021");
  CHECK(r.groups[1].papers == 1);
  CHECK(r.groups[1].excluded_papers == 1);
  options.filters.include_rejected = true;
  r = analytics::ComputeStats(b.table(), options);
  CHECK(r.groups[1].papers == 2);
  options.filters.year_from = 2021;
  r = analytics::ComputeStats(b.table(), options);
  REQUIRE(r.groups.size() == 1);
  CHECK(r.groups[0].key == "2021");
}

TEST_CASE("Regions merge counts Hong Kong as China; source keeps it apart", "[analytics][stats]") {
  TableBuilder b;
  const int32_t us = b.Country("US"), cn = b.Country("CN"), hk = b.Country("HK");
  b.Paper(2020, {{b.Author("a"), {b.Institution("HKUST", hk)}},
                 {b.Author("b"), {b.Institution("MIT", us)}}});
  b.Paper(2020, {{b.Author("c"), {b.Institution("PKU", cn)}}});
  StatsOptions options;
  StatsResult r = analytics::ComputeStats(b.table(), options);
  CHECK(Find(r.groups[0], "HK").papers == 1);
  CHECK(Find(r.groups[0], "CN").papers == 1);
  options.regions = Regions::kMerge;
  r = analytics::ComputeStats(b.table(), options);
  CHECK(Find(r.groups[0], "CN").papers == 2);
  REQUIRE(r.groups[0].pairs.size() == 1);
  CHECK(r.groups[0].pairs[0].a == "CN");
  CHECK(r.rules.entries[2] == std::make_pair(std::string("regions"), std::string("merge")));
}
