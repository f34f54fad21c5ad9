#include "analytics/metrics.h"

#include <numeric>

#include <catch2/catch.hpp>

using namespace collabgraph::analytics;

namespace {

// An undirected graph on n vertices, each edge stored in both directions.
CsrGraph Graph(uint32_t n, const std::vector<std::pair<uint32_t, uint32_t>>& undirected) {
  std::vector<std::pair<uint32_t, uint32_t>> edges;
  for (auto [u, v] : undirected) {
    edges.emplace_back(u, v);
    edges.emplace_back(v, u);
  }
  std::vector<EdgeWeights> props(edges.size(), EdgeWeights{1.0, 1.0});
  return CsrGraph(boost::edges_are_unsorted_multi_pass, edges.begin(), edges.end(), props.begin(),
                  n);
}

}  // namespace

TEST_CASE("PageRank sums to 1 and spreads the mass of isolated vertices", "[analytics][metrics]") {
  // A star 0-1, 0-2, 0-3 and an isolated vertex 4.
  const CsrGraph g = Graph(5, {{0, 1}, {0, 2}, {0, 3}});
  const std::vector<double> pr = PageRank(g);
  CHECK(std::accumulate(pr.begin(), pr.end(), 0.0) == Approx(1.0).epsilon(1e-12));
  CHECK(pr[0] > pr[1]);
  CHECK(pr[1] == Approx(pr[2]));
  CHECK(pr[4] > 0.0);
}

TEST_CASE("Harmonic and closeness on a path and on two components", "[analytics][metrics]") {
  // Path 0-1-2 and a separate edge 3-4.
  const CsrGraph g = Graph(5, {{0, 1}, {1, 2}, {3, 4}});
  const std::vector<double> h = HarmonicCentrality(g);
  CHECK(h[1] == Approx(2.0));
  CHECK(h[0] == Approx(1.5));
  CHECK(h[3] == Approx(1.0));
  const std::vector<double> c = Closeness(g);
  // Vertex 1 reaches 2 others at total distance 2: (2/2) * (2/4).
  CHECK(c[1] == Approx(0.5));
  // Vertex 3 reaches 1 other at distance 1: (1/1) * (1/4); never 0 on a disconnected graph.
  CHECK(c[3] == Approx(0.25));
  const CsrGraph isolated = Graph(2, {});
  CHECK(Closeness(isolated)[0] == 0.0);
}

TEST_CASE("Core numbers and clustering of a triangle with a tail", "[analytics][metrics]") {
  // Triangle 0-1-2 and a tail 2-3.
  const CsrGraph g = Graph(4, {{0, 1}, {1, 2}, {0, 2}, {2, 3}});
  const std::vector<double> core = CoreNumbers(g);
  CHECK(core == std::vector<double>{2, 2, 2, 1});
  const std::vector<double> cl = Clustering(g);
  CHECK(cl[0] == Approx(1.0));
  CHECK(cl[2] == Approx(1.0 / 3.0));
  CHECK(cl[3] == 0.0);
}
