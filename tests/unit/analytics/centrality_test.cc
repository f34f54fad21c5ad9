#include "analytics/centrality.h"

#include <cmath>
#include <map>

#include <catch2/catch.hpp>

#include "analytics/table_builder.h"

using namespace collabgraph;
using collabgraph::testing::TableBuilder;

namespace {

std::map<std::string, double> Values(const CentralityResult& r) {
  std::map<std::string, double> out;
  for (const auto& e : r.results) out[e.name] = e.value;
  return out;
}

CentralityResult Run(const analytics::CollabTable& t, GraphKind graph, const std::string& metric) {
  CentralityOptions options;
  options.graph = graph;
  options.metric = metric;
  auto r = analytics::ComputeCentrality(t, options);
  REQUIRE(r.ok());
  return *r;
}

}  // namespace

TEST_CASE("Betweenness on a path of three authors", "[analytics][centrality]") {
  TableBuilder b;
  const uint32_t a = b.Author("a"), m = b.Author("m"), c = b.Author("c");
  b.Paper(2020, {{a, {}}, {m, {}}});
  b.Paper(2020, {{m, {}}, {c, {}}});
  const auto r = Run(b.table(), GraphKind::kAuthor, "betweenness");
  CHECK(r.nodes == 3);
  CHECK(r.edges == 2);
  const auto v = Values(r);
  CHECK(v.at("m") == Approx(1.0));  // 1 pair through m, normalised by 2/((n-1)(n-2)) = 1
  CHECK(v.at("a") == 0.0);
  CHECK(r.results.front().name == "m");
}

TEST_CASE("Betweenness and degree of a star, and of disconnected pieces",
          "[analytics][centrality]") {
  TableBuilder b;
  const uint32_t hub = b.Author("hub");
  for (int i = 0; i < 4; ++i)
    b.Paper(2020, {{hub, {}}, {b.Author("leaf" + std::to_string(i)), {}}});
  auto v = Values(Run(b.table(), GraphKind::kAuthor, "betweenness"));
  CHECK(v.at("hub") == Approx(1.0));  // 6 pairs / (4*3/2)
  CHECK(v.at("leaf0") == 0.0);
  auto d = Values(Run(b.table(), GraphKind::kAuthor, "degree"));
  CHECK(d.at("hub") == Approx(1.0));
  CHECK(d.at("leaf2") == Approx(0.25));

  // Add a separate pair x-y: n = 7, the hub still carries 6 pairs, scale 2/(6*5).
  b.Paper(2020, {{b.Author("x"), {}}, {b.Author("y"), {}}});
  v = Values(Run(b.table(), GraphKind::kAuthor, "betweenness"));
  CHECK(v.at("hub") == Approx(6.0 * 2.0 / 30.0));
  CHECK(v.at("x") == 0.0);
}

TEST_CASE("Country projection joins countries that share a paper", "[analytics][centrality]") {
  TableBuilder b;
  const int32_t us = b.Country("US"), cn = b.Country("CN"), de = b.Country("DE");
  const uint32_t i_us = b.Institution("MIT", us), i_cn = b.Institution("PKU", cn),
                 i_de = b.Institution("TUM", de), i_unknown = b.Institution("?", -1);
  b.Paper(2020, {{b.Author("a"), {i_us}}, {b.Author("b"), {i_cn, i_unknown}}});
  b.Paper(2020, {{b.Author("c"), {i_us, i_de}}});
  b.Paper(2020, {{b.Author("d"), {i_de}}, {b.Author("e"), {i_de}}}, /*rejected=*/false);
  const auto r = Run(b.table(), GraphKind::kCountry, "betweenness");
  CHECK(r.nodes == 3);
  CHECK(r.edges == 2);
  CHECK(r.results.front().code == "US");
  CHECK(r.results.front().value == Approx(1.0));
}

TEST_CASE("Unknown metrics are an InvalidArgument error", "[analytics][centrality]") {
  TableBuilder b;
  CentralityOptions options;
  options.metric = "magic";
  CHECK(absl::IsInvalidArgument(analytics::ComputeCentrality(b.table(), options).status()));
}

TEST_CASE("Components and Louvain give each vertex its group, the sizes and the modularity",
          "[analytics][centrality]") {
  TableBuilder b;
  // A triangle a-b-c (one paper) and a pair x-y (another).
  b.Paper(2020, {{b.Author("a"), {}}, {b.Author("b"), {}}, {b.Author("c"), {}}});
  b.Paper(2020, {{b.Author("x"), {}}, {b.Author("y"), {}}});
  for (const std::string metric : {"components", "louvain"}) {
    const auto r = Run(b.table(), GraphKind::kAuthor, metric);
    CHECK(r.group_sizes == std::vector<uint64_t>{3, 2});
    // m = 4: 3/4 - (6/8)^2 + 1/4 - (2/8)^2.
    CHECK(r.modularity == Approx(0.375).epsilon(1e-15));
    REQUIRE(r.results.size() == 5);
    CHECK(r.results[0].name == "a");
    CHECK(r.results[0].group == 0);
    CHECK(r.results[0].value == 3.0);
    CHECK(r.results[4].name == "y");
    CHECK(r.results[4].group == 1);
  }
  const auto degree = Run(b.table(), GraphKind::kAuthor, "degree");
  CHECK(degree.results[0].group == -1);
  CHECK(std::isnan(degree.modularity));
  CHECK(degree.group_sizes.empty());
}

TEST_CASE("Strength uses full or fractional weights", "[analytics][centrality]") {
  TableBuilder b;
  const uint32_t a = b.Author("a"), m = b.Author("m"), c = b.Author("c");
  b.Paper(2020, {{a, {}}, {m, {}}, {c, {}}});  // each pair 1 full, 1/2 fractional
  b.Paper(2020, {{a, {}}, {m, {}}});           // a-m: 1 more, 1 more
  CentralityOptions options;
  options.graph = GraphKind::kAuthor;
  options.metric = "strength";
  auto full = analytics::ComputeCentrality(b.table(), options);
  REQUIRE(full.ok());
  CHECK(Values(*full) == std::map<std::string, double>{{"a", 3}, {"m", 3}, {"c", 2}});
  options.weights = EdgeWeight::kFractional;
  auto frac = analytics::ComputeCentrality(b.table(), options);
  REQUIRE(frac.ok());
  // Newman: an author's fractional strength is the number of their papers with co-authors.
  CHECK(Values(*frac) == std::map<std::string, double>{{"a", 2}, {"m", 2}, {"c", 1}});
  bool fractional_rule = false;
  for (const auto& [name, value] : frac->rules.entries) {
    if (name == "weights") fractional_rule = value.rfind("fractional", 0) == 0;
  }
  CHECK(fractional_rule);
}

TEST_CASE("A paper with more members than the cap adds vertices but no edges",
          "[analytics][centrality]") {
  TableBuilder b;
  const uint32_t mit = b.Institution("MIT", b.Country("US"));
  // One paper of 5 authors (10 edges) and one of 2 (1 edge).
  b.Paper(2020, {{b.Author("a"), {mit}},
                 {b.Author("b"), {mit}},
                 {b.Author("c"), {mit}},
                 {b.Author("d"), {mit}},
                 {b.Author("e"), {mit}}});
  b.Paper(2020, {{b.Author("f"), {mit}}, {b.Author("g"), {mit}}});
  CentralityOptions options;
  options.graph = GraphKind::kAuthor;
  options.metric = "degree";
  options.max_members = 4;
  auto capped = analytics::ComputeCentrality(b.table(), options);
  REQUIRE(capped.ok());
  CHECK(capped->nodes == 7);
  CHECK(capped->edges == 1);
  CHECK(capped->capped_papers == 1);
  std::string cap_rule;
  for (const auto& [name, value] : capped->rules.entries) {
    if (name == "member_cap") cap_rule = value;
  }
  CHECK(cap_rule == "4: papers with more members add no edges (1 such papers, the largest with 5)");
  options.max_members = 5;
  auto whole = analytics::ComputeCentrality(b.table(), options);
  REQUIRE(whole.ok());
  CHECK(whole->edges == 11);
  CHECK(whole->capped_papers == 0);
}
