#include "analytics/metrics.h"

#include <cmath>
#include <numeric>

#include <catch2/catch.hpp>

using namespace collabgraph::analytics;

namespace {

// An undirected graph on n vertices, each edge stored in both directions, with weights
// `weights[i]` (default full = fractional = 1) on edge i.
CsrGraph Graph(uint32_t n, const std::vector<std::pair<uint32_t, uint32_t>>& undirected,
               const std::vector<EdgeWeights>& weights = {}) {
  std::vector<std::pair<uint32_t, uint32_t>> edges;
  std::vector<EdgeWeights> props;
  for (size_t i = 0; i < undirected.size(); ++i) {
    const auto [u, v] = undirected[i];
    const EdgeWeights w = i < weights.size() ? weights[i] : EdgeWeights{1.0, 1.0};
    edges.emplace_back(u, v);
    edges.emplace_back(v, u);
    props.push_back(w);
    props.push_back(w);
  }
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

TEST_CASE(
    "PageRank equals the closed form on a star and a power iteration on bipartite, path, "
    "pair and isolated pieces",
    "[analytics][metrics]") {
  constexpr double kAlpha = 0.85;
  {
    // Star 0-1, 0-2, 0-3 and an isolated vertex 4. With y = x * (n / c) (c the teleport and
    // dangling mass): a leaf gets y_l = 1 + a y_0 / 3, the centre y_0 = 1 + 3 a y_l, vertex 4
    // y = 1; so y_l = (1 + a/3) / (1 - a^2), and x = y / sum(y).
    const std::vector<double> pr = PageRank(Graph(5, {{0, 1}, {0, 2}, {0, 3}}));
    const double leaf = (1.0 + kAlpha / 3.0) / (1.0 - kAlpha * kAlpha);
    const double centre = 1.0 + 3.0 * kAlpha * leaf;
    const double total = centre + 3.0 * leaf + 1.0;
    CHECK(pr[0] == Approx(centre / total).epsilon(1e-11));
    for (int v = 1; v <= 3; ++v) CHECK(pr[v] == Approx(leaf / total).epsilon(1e-11));
    CHECK(pr[4] == Approx(1.0 / total).epsilon(1e-11));
  }
  // K(3,4) on 0..6 (its walk matrix has the eigenvalue -1, the edge of the interval the
  // acceleration assumes), a path 7-8-9-10, a pair 11-12 and isolated 13 and 14.
  std::vector<std::pair<uint32_t, uint32_t>> edges;
  for (uint32_t a = 0; a < 3; ++a) {
    for (uint32_t b = 3; b < 7; ++b) edges.emplace_back(a, b);
  }
  for (uint32_t v = 7; v < 10; ++v) edges.emplace_back(v, v + 1);
  edges.emplace_back(11, 12);
  const uint32_t n = 15;
  const CsrGraph g = Graph(n, edges);
  // Reference: the textbook power iteration with dangling mass, run to 1e-15.
  std::vector<std::vector<uint32_t>> adj(n);
  for (const auto& [u, v] : edges) {
    adj[u].push_back(v);
    adj[v].push_back(u);
  }
  std::vector<double> x(n, 1.0 / n);
  for (int it = 0; it < 10000; ++it) {
    double dangling = 0.0;
    for (uint32_t v = 0; v < n; ++v) {
      if (adj[v].empty()) dangling += x[v];
    }
    std::vector<double> next(n, (1.0 - kAlpha + kAlpha * dangling) / n);
    for (uint32_t u = 0; u < n; ++u) {
      for (uint32_t v : adj[u]) next[v] += kAlpha * x[u] / static_cast<double>(adj[u].size());
    }
    double change = 0.0;
    for (uint32_t v = 0; v < n; ++v) change += std::abs(next[v] - x[v]);
    x = next;
    if (change < 1e-15) break;
  }
  for (unsigned threads : {1U, 2U}) {
    const std::vector<double> pr = PageRank(g, threads);
    CHECK(std::accumulate(pr.begin(), pr.end(), 0.0) == Approx(1.0).epsilon(1e-12));
    for (uint32_t v = 0; v < n; ++v) {
      INFO("vertex " << v);
      CHECK(pr[v] == Approx(x[v]).epsilon(1e-10));
    }
  }
}

TEST_CASE(
    "PageRank of a graph big enough to run on several threads is identical for 1, 2, 3 "
    "and 8 threads",
    "[analytics][metrics][parallel]") {
  // Rounds over 512k or more edge ends (both directions stored) run on more than one thread;
  // this graph has 300,000 edges, 600,000 ends, and a few isolated vertices.
  const uint32_t n = 40000;
  std::vector<std::pair<uint32_t, uint32_t>> edges;
  uint64_t state = 20261126;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>(state >> 33);
  };
  while (edges.size() < 300000) {
    const uint32_t u = next() % (n - 10);
    const uint32_t v = next() % (n - 10);
    if (u != v) edges.emplace_back(u, v);
  }
  const CsrGraph g = Graph(n, edges);
  REQUIRE(boost::num_edges(g) >= (size_t{2} << 18));
  const std::vector<double> one = PageRank(g, 1);
  CHECK(std::accumulate(one.begin(), one.end(), 0.0) == Approx(1.0).epsilon(1e-12));
  for (unsigned threads : {2U, 3U, 8U}) {
    INFO(threads << " threads");
    CHECK(PageRank(g, threads) == one);
  }
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

TEST_CASE("Strength sums full or fractional edge weights", "[analytics][metrics]") {
  // Path 0-1-2 with weights (full, fractional) 3/2.5 and 1/0.5, and an isolated vertex 3.
  const CsrGraph g = Graph(4, {{0, 1}, {1, 2}}, {{3.0, 2.5}, {1.0, 0.5}});
  CHECK(Strength(g, collabgraph::EdgeWeight::kFull) == std::vector<double>{3, 4, 1, 0});
  CHECK(Strength(g, collabgraph::EdgeWeight::kFractional) == std::vector<double>{2.5, 3, 0.5, 0});
  CHECK(Strength(g, collabgraph::EdgeWeight::kNone) == std::vector<double>{1, 2, 1, 0});
}

TEST_CASE("Eigenvector centrality of a star, a path and two triangles", "[analytics][metrics]") {
  // Star K1,3: A has eigenvalue sqrt(3) with eigenvector (sqrt(3), 1, 1, 1); unit L2 norm
  // gives 1/sqrt(2) for the hub and 1/sqrt(6) for each leaf.
  const CsrGraph star = Graph(4, {{0, 1}, {0, 2}, {0, 3}});
  const EigenvectorResult tight = EigenvectorCentrality(star, 1, 1e-13, 10000);
  REQUIRE(tight.converged);
  CHECK(tight.values[0] == Approx(1 / std::sqrt(2.0)).margin(1e-12));
  CHECK(tight.values[1] == Approx(1 / std::sqrt(6.0)).margin(1e-12));
  // NetworkX's default tolerance (L1 change < n * 1e-6) stops within 1e-5 of it.
  const EigenvectorResult loose = EigenvectorCentrality(star);
  REQUIRE(loose.converged);
  CHECK(loose.values[0] == Approx(1 / std::sqrt(2.0)).margin(1e-5));
  CHECK(loose.iterations < tight.iterations);
  // Path 0-1-2 (bipartite: plain power iteration on A would oscillate; A + I converges):
  // eigenvalue sqrt(2), eigenvector (1, sqrt(2), 1)/2.
  const EigenvectorResult path = EigenvectorCentrality(Graph(3, {{0, 1}, {1, 2}}), 1, 1e-13, 10000);
  REQUIRE(path.converged);
  CHECK(path.values[0] == Approx(0.5).margin(1e-12));
  CHECK(path.values[1] == Approx(1 / std::sqrt(2.0)).margin(1e-12));
  // Two disconnected triangles: symmetric, so every vertex 1/sqrt(6) from the first step on.
  const EigenvectorResult two =
      EigenvectorCentrality(Graph(6, {{0, 1}, {1, 2}, {0, 2}, {3, 4}, {4, 5}, {3, 5}}));
  REQUIRE(two.converged);
  for (double x : two.values) CHECK(x == Approx(1 / std::sqrt(6.0)).margin(1e-15));
  CHECK(EigenvectorCentrality(Graph(0, {})).values.empty());
}
