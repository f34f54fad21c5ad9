#include "analytics/centrality.h"

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
