#include "analytics/community.h"

#include <set>

#include <catch2/catch.hpp>

using namespace collabgraph::analytics;
using collabgraph::EdgeWeight;

namespace {

// An undirected graph on n vertices, each edge stored in both directions with weight
// full = weights[i] (default 1), fractional = 1.
CsrGraph Graph(uint32_t n, const std::vector<std::pair<uint32_t, uint32_t>>& undirected,
               const std::vector<double>& weights = {}) {
  std::vector<std::pair<uint32_t, uint32_t>> edges;
  std::vector<EdgeWeights> props;
  for (size_t i = 0; i < undirected.size(); ++i) {
    const auto [u, v] = undirected[i];
    const EdgeWeights w{i < weights.size() ? weights[i] : 1.0, 1.0};
    edges.emplace_back(u, v);
    edges.emplace_back(v, u);
    props.push_back(w);
    props.push_back(w);
  }
  return CsrGraph(boost::edges_are_unsorted_multi_pass, edges.begin(), edges.end(), props.begin(),
                  n);
}

// Two 4-cliques {0..3} and {4..7} joined by the edge 3-4.
CsrGraph TwoCliques() {
  std::vector<std::pair<uint32_t, uint32_t>> edges;
  for (uint32_t base : {0u, 4u}) {
    for (uint32_t i = 0; i < 4; ++i) {
      for (uint32_t j = i + 1; j < 4; ++j) edges.emplace_back(base + i, base + j);
    }
  }
  edges.emplace_back(3, 4);
  return Graph(8, edges);
}

}  // namespace

TEST_CASE("Components of two triangles and an isolated vertex, largest first",
          "[analytics][community]") {
  // Triangle {4, 5, 6} found after triangle {0, 1, 2}; isolated 3.
  const CsrGraph g = Graph(7, {{4, 5}, {5, 6}, {4, 6}, {0, 1}, {1, 2}, {0, 2}});
  const Partition p = ConnectedComponents(g);
  CHECK(p.group == std::vector<uint32_t>{0, 0, 0, 2, 1, 1, 1});
  CHECK(p.sizes == std::vector<uint64_t>{3, 3, 1});
  // Other keys reorder the ties: the triangle holding the smallest key comes first.
  Partition q = p;
  CanonicalizeGroups({9, 9, 9, 0, 5, 5, 5}, &q);
  CHECK(q.group == std::vector<uint32_t>{1, 1, 1, 2, 0, 0, 0});
  // Each triangle: L = 3 of m = 6 edges, degree 6 of 2m = 12: 2 * (3/6 - (6/12)^2) = 0.5.
  CHECK(Modularity(g, p.group, EdgeWeight::kNone) == Approx(0.5).epsilon(1e-15));
}

TEST_CASE("Modularity by hand: one group, singletons, weights, resolution",
          "[analytics][community]") {
  // Path 0-1-2-3 with full weights 10, 1, 10.
  const CsrGraph g = Graph(4, {{0, 1}, {1, 2}, {2, 3}}, {10, 1, 10});
  // Unweighted, {0,1}{2,3}: m = 3, each group L = 1, degree 3: 2 (1/3 - 1/4) = 1/6.
  CHECK(Modularity(g, {0, 0, 1, 1}, EdgeWeight::kNone) == Approx(1.0 / 6.0).epsilon(1e-15));
  // Full weights: m = 21, each group L = 10, degree 21: 2 (10/21 - 1/4) = 20/21 - 1/2.
  CHECK(Modularity(g, {0, 0, 1, 1}, EdgeWeight::kFull) == Approx(20.0 / 21.0 - 0.5).epsilon(1e-15));
  CHECK(Modularity(g, {0, 0, 0, 0}, EdgeWeight::kFull) == Approx(0.0).margin(1e-15));
  // Singletons: no internal weight, sum of squared degree shares.
  const double s = (10.0 * 10 + 11 * 11 + 11 * 11 + 10 * 10) / (42.0 * 42.0);
  CHECK(Modularity(g, {0, 1, 2, 3}, EdgeWeight::kFull) == Approx(-s).epsilon(1e-15));
  // Resolution 0.5 halves the expected part.
  CHECK(Modularity(g, {0, 0, 1, 1}, EdgeWeight::kFull, 0.5) ==
        Approx(20.0 / 21.0 - 0.25).epsilon(1e-15));
  CHECK(Modularity(Graph(3, {}), {0, 1, 2}, EdgeWeight::kNone) == 0.0);
}

TEST_CASE("Louvain splits two cliques joined by one edge, for every seed",
          "[analytics][community]") {
  const CsrGraph g = TwoCliques();
  for (uint64_t seed : {0, 1, 2, 42, 12345}) {
    const Partition p = Louvain(g, EdgeWeight::kFull, seed);
    CHECK(p.group == std::vector<uint32_t>{0, 0, 0, 0, 1, 1, 1, 1});
    CHECK(p.sizes == std::vector<uint64_t>{4, 4});
    // m = 13; each clique L = 6, degree 13: 2 (6/13 - 1/4) = 11/26.
    CHECK(Modularity(g, p.group, EdgeWeight::kFull) == Approx(11.0 / 26.0).epsilon(1e-15));
  }
}

TEST_CASE("Louvain follows the weights and is deterministic per seed", "[analytics][community]") {
  // A 6-cycle 0-1-2-3-4-5-0. Heavy edges 0-1, 2-3, 4-5 make three pairs; heavy 1-2, 3-4, 5-0
  // make the other three.
  const std::vector<std::pair<uint32_t, uint32_t>> cycle = {{0, 1}, {1, 2}, {2, 3},
                                                            {3, 4}, {4, 5}, {5, 0}};
  const Partition a = Louvain(Graph(6, cycle, {9, 1, 9, 1, 9, 1}), EdgeWeight::kFull, 7);
  CHECK(a.group == std::vector<uint32_t>{0, 0, 1, 1, 2, 2});
  const Partition b = Louvain(Graph(6, cycle, {1, 9, 1, 9, 1, 9}), EdgeWeight::kFull, 7);
  CHECK(b.group == std::vector<uint32_t>{0, 1, 1, 2, 2, 0});
  // A graph without edges: every vertex alone, no level moved anything.
  const Partition none = Louvain(Graph(3, {}), EdgeWeight::kFull, 7);
  CHECK(none.sizes == std::vector<uint64_t>{1, 1, 1});
  CHECK(none.levels == 0);

  // A ring of 12 4-cliques, neighbours joined by one edge: the same seed gives the same
  // partition; every seed finds the 12 cliques.
  std::vector<std::pair<uint32_t, uint32_t>> ring;
  for (uint32_t c = 0; c < 12; ++c) {
    for (uint32_t i = 0; i < 4; ++i) {
      for (uint32_t j = i + 1; j < 4; ++j) ring.emplace_back(4 * c + i, 4 * c + j);
    }
    ring.emplace_back(4 * c + 3, (4 * c + 4) % 48);
  }
  const CsrGraph g = Graph(48, ring);
  const Partition first = Louvain(g, EdgeWeight::kNone, 3);
  CHECK(Louvain(g, EdgeWeight::kNone, 3).group == first.group);
  for (uint64_t seed = 0; seed < 5; ++seed) {
    const Partition p = Louvain(g, EdgeWeight::kNone, seed);
    CHECK(p.sizes == std::vector<uint64_t>(12, 4));
    std::set<uint32_t> ids;
    for (uint32_t c = 0; c < 12; ++c) {
      for (uint32_t i = 1; i < 4; ++i) CHECK(p.group[4 * c + i] == p.group[4 * c]);
      ids.insert(p.group[4 * c]);
    }
    CHECK(ids.size() == 12);
    CHECK(p.group[0] == 0);  // equal sizes: ordered by smallest member
  }
}
