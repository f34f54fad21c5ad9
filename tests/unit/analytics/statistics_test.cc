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

TEST_CASE("First- and last-author attribution and the bilateral pair rule", "[analytics][stats]") {
  TableBuilder b;
  const int32_t us = b.Country("US"), cn = b.Country("CN"), de = b.Country("DE");
  const uint32_t mit = b.Institution("MIT", us), pku = b.Institution("PKU", cn),
                 tum = b.Institution("TUM", de);
  // US first author, CN last author; and a three-country paper.
  b.Paper(2020, {{b.Author("a"), {mit}}, {b.Author("b"), {pku}}});
  b.Paper(2020, {{b.Author("c"), {tum}}, {b.Author("d"), {mit}}, {b.Author("e"), {pku}}});
  StatsOptions options;
  StatsResult all = analytics::ComputeStats(b.table(), options);
  CHECK(all.groups[0].international_papers == 2);
  REQUIRE(!all.groups[0].pairs.empty());
  options.pair_rule = PairRule::kBilateral;
  StatsResult bilateral = analytics::ComputeStats(b.table(), options);
  CHECK(bilateral.groups[0].international_papers == 2);  // the rule changes pairs only
  REQUIRE(bilateral.groups[0].pairs.size() == 1);
  CHECK(bilateral.groups[0].pairs[0].papers == 1);
  CHECK(std::find(bilateral.rules.entries.begin(), bilateral.rules.entries.end(),
                  std::make_pair(std::string("pair_rule"), std::string("bilateral"))) !=
        bilateral.rules.entries.end());

  options = {};
  options.attribution = Attribution::kFirst;
  StatsResult first = analytics::ComputeStats(b.table(), options);
  CHECK(first.groups[0].international_papers == 0);
  CHECK(Find(first.groups[0], "US").papers == 1);
  CHECK(Find(first.groups[0], "US").fractional == Approx(1.0));
  CHECK(Find(first.groups[0], "DE").papers == 1);
  options.attribution = Attribution::kLast;
  StatsResult last = analytics::ComputeStats(b.table(), options);
  CHECK(Find(last.groups[0], "CN").papers == 2);
  CHECK(Find(last.groups[0], "CN").fractional == Approx(2.0));
}

TEST_CASE("Jaccard and association strength of a pair", "[analytics][stats]") {
  TableBuilder b;
  const int32_t us = b.Country("US"), cn = b.Country("CN");
  const uint32_t mit = b.Institution("MIT", us), pku = b.Institution("PKU", cn);
  b.Paper(2020, {{b.Author("a"), {mit}}, {b.Author("b"), {pku}}});  // US-CN
  b.Paper(2020, {{b.Author("c"), {mit}}});                          // US
  b.Paper(2020, {{b.Author("d"), {mit}}});                          // US
  b.Paper(2020, {{b.Author("e"), {pku}}});                          // CN
  const StatsGroup g = analytics::ComputeStats(b.table(), {}).groups[0];
  REQUIRE(g.pairs.size() == 1);
  // c = 1, n_US = 3, n_CN = 2, N = 4.
  CHECK(g.pairs[0].jaccard == Approx(1.0 / (3 + 2 - 1)));
  CHECK(g.pairs[0].association_strength == Approx(1.0 * 4 / (3 * 2)));
  CHECK(g.pairs[0].salton == Approx(1.0 / std::sqrt(6.0)));
}

TEST_CASE("A pair's series, institutions, authors and tag cross-tab", "[analytics][stats]") {
  TableBuilder b;
  const int32_t us = b.Country("US"), cn = b.Country("CN");
  const uint32_t mit = b.Institution("MIT", us), pku = b.Institution("PKU", cn);
  const uint32_t ann = b.Author("Ann"), bo = b.Author("Bo");
  b.Paper(2020, {{ann, {mit}}, {bo, {pku}}});
  b.Paper(2021, {{ann, {mit}}, {bo, {pku}}});
  b.Paper(2021, {{ann, {mit}}});
  b.Paper(2021, {{bo, {pku}}});
  auto table = b.table();
  table.tags = {"llama", "qwen"};
  table.papers[0].tags = {0};
  table.papers[2].tags = {0, 1};
  table.papers[3].tags = {1};
  const PairDetail d = analytics::ComputePairDetail(table, {}, "US", "CN", 0);
  REQUIRE(d.series.size() == 2);
  CHECK(d.series[1].year == 2021);
  CHECK(d.series[1].papers == 3);
  CHECK(d.series[1].pair_papers == 1);
  CHECK(d.series[1].share == Approx(1.0 / 3));
  REQUIRE(d.institutions.size() == 2);
  CHECK(d.institutions[0].papers == 2);
  REQUIRE(d.authors.size() == 2);
  CHECK(d.authors[0].name == "Ann");  // tie on 2 papers, by name
  REQUIRE(d.tags.size() == 2);
  CHECK(d.tags[0].tag == "llama");
  CHECK(d.tags[0].both == 1);
  CHECK(d.tags[0].only_a == 1);
  CHECK(d.tags[1].only_a == 1);
  CHECK(d.tags[1].only_b == 1);
}

TEST_CASE("Affinity index and probabilistic affinity index of three countries",
          "[analytics][stats]") {
  TableBuilder b;
  const int32_t us = b.Country("US"), cn = b.Country("CN"), gb = b.Country("GB");
  const uint32_t mit = b.Institution("MIT", us), pku = b.Institution("PKU", cn),
                 ucl = b.Institution("UCL", gb);
  b.Paper(2020, {{b.Author("a"), {mit}}, {b.Author("b"), {pku}}});  // US-CN
  b.Paper(2020, {{b.Author("c"), {mit}}, {b.Author("d"), {pku}}});  // US-CN
  b.Paper(2020, {{b.Author("e"), {mit}}, {b.Author("f"), {ucl}}});  // US-GB
  // US-CN-GB: one link for each of the three pairs.
  b.Paper(2020, {{b.Author("g"), {mit}}, {b.Author("h"), {pku}}, {b.Author("i"), {ucl}}});
  const StatsGroup g = analytics::ComputeStats(b.table(), {}).groups[0];
  // Links: US-CN 3, US-GB 2, CN-GB 1; L_US = 5, L_CN = 4, L_GB = 3, L = 12.
  REQUIRE(g.pairs.size() == 3);
  const PairStat& cn_us = g.pairs[0];
  REQUIRE(cn_us.a == "CN");
  REQUIRE(cn_us.b == "US");
  CHECK(cn_us.papers == 3);
  CHECK(cn_us.affinity_a == Approx(3.0 / 4));  // 3 of China's 4 links are with the US
  CHECK(cn_us.affinity_b == Approx(3.0 / 5));  // 3 of the US's 5 links are with China
  CHECK(cn_us.probabilistic_affinity == Approx(3.0 * 12 / (4 * 5)));
  const PairStat& gb_us = g.pairs[1];
  REQUIRE(gb_us.a == "GB");
  CHECK(gb_us.probabilistic_affinity == Approx(2.0 * 12 / (3 * 5)));
  const PairStat& cn_gb = g.pairs[2];
  REQUIRE(cn_gb.b == "GB");
  CHECK(cn_gb.affinity_a == Approx(1.0 / 4));
  CHECK(cn_gb.affinity_b == Approx(1.0 / 3));
  CHECK(cn_gb.probabilistic_affinity == Approx(1.0 * 12 / (4 * 3)));
}

TEST_CASE("Grouping by tag counts a paper under each of its tags", "[analytics][stats]") {
  TableBuilder b;
  const int32_t us = b.Country("US"), cn = b.Country("CN");
  const uint32_t mit = b.Institution("MIT", us), pku = b.Institution("PKU", cn);
  b.Paper(2020, {{b.Author("a"), {mit}}, {b.Author("b"), {pku}}});
  b.Paper(2020, {{b.Author("c"), {mit}}});
  b.Paper(2020, {{b.Author("d"), {pku}}});
  b.Paper(2021, {{b.Author("e"), {pku}}}, /*rejected=*/true);
  auto table = b.table();
  table.tags = {"llama", "qwen"};
  table.papers[0].tags = {0, 1};
  table.papers[1].tags = {0};
  table.papers[3].tags = {1};
  StatsOptions options;
  options.group_by = GroupBy::kTag;
  const StatsResult r = analytics::ComputeStats(table, options);
  REQUIRE(r.grouped);
  REQUIRE(r.groups.size() == 3);
  CHECK(r.groups[0].key == "(no tag)");
  CHECK(r.groups[0].papers == 1);
  CHECK(r.groups[1].key == "llama");
  CHECK(r.groups[1].papers == 2);
  CHECK(r.groups[1].international_papers == 1);
  CHECK(r.groups[2].key == "qwen");
  CHECK(r.groups[2].papers == 1);
  CHECK(r.groups[2].excluded_papers == 1);
  REQUIRE(r.groups[2].pairs.size() == 1);
  CHECK(r.groups[2].pairs[0].papers == 1);
}
