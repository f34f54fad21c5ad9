#pragma once

// Vertex metrics on an undirected graph given as a CSR graph that stores every edge in both
// directions (analytics::CsrGraph). Each returns one value per vertex, with the normalisation
// NetworkX uses by default (docs/methodology.md, "Centrality"). Written against the CSR
// graph's Boost.Graph interface (num_vertices, out_edges, target).
//
// `threads` (IN, default 0 = every hardware thread) parallelises the metrics that take it; the
// results are bit-for-bit the same for every thread count (see parallel.h for how).

#include <vector>

#include "analytics/projection.h"
#include "collabgraph/centrality.h"

namespace collabgraph::analytics {

// The weight of an edge under `kind` (1 for EdgeWeight::kNone).
inline double WeightOf(const EdgeWeights& w, EdgeWeight kind) {
  switch (kind) {
    case EdgeWeight::kNone:
      return 1.0;
    case EdgeWeight::kFull:
      return w.full;
    case EdgeWeight::kFractional:
      return w.fractional;
  }
  return 1.0;
}

// PageRank with damping `alpha`, uniform teleport, the mass of dangling vertices spread
// uniformly; sums to 1. Unweighted. Solved as the linear system y = alpha A D^-1 y + 1
// (x = y / sum(y)) by Chebyshev-accelerated Jacobi steps until the L1 change of a step is below
// `tolerance` times sum(y): about 50 steps for alpha 0.85 and 1e-12, where the power iteration
// needs about 170. Pull-based: each vertex sums its neighbours' shares in CSR order.
// O((n + m) · steps).
std::vector<double> PageRank(const CsrGraph& g, unsigned threads = 0, double alpha = 0.85,
                             double tolerance = 1e-12, int max_iterations = 1000);

// Harmonic centrality: sum over other vertices v of 1/d(u, v) (unreachable: 0). Unnormalised,
// as NetworkX's harmonic_centrality. One BFS per source: O(n · (n + m)).
std::vector<double> HarmonicCentrality(const CsrGraph& g, unsigned threads = 0);

// Closeness within each connected component, scaled by the component's share of the graph
// (Wasserman and Faust; NetworkX's closeness_centrality with wf_improved=True): for a vertex
// reaching r - 1 others at total distance s, (r - 1)/(n - 1) * (r - 1)/s; 0 when isolated.
std::vector<double> Closeness(const CsrGraph& g, unsigned threads = 0);

// Core number (k-core) of every vertex, via Boost's core_numbers.
std::vector<double> CoreNumbers(const CsrGraph& g);

// Local clustering coefficient: triangles through u / (deg(u)(deg(u) - 1)/2); 0 below degree 2.
std::vector<double> Clustering(const CsrGraph& g);

// Strength: the sum of the weights (under `kind`) of a vertex's edges, as NetworkX's
// G.degree(weight=...). Unnormalised. O(n + m).
std::vector<double> Strength(const CsrGraph& g, EdgeWeight kind);

struct EigenvectorResult {
  std::vector<double> values;
  int iterations = 0;
  bool converged = false;
};

// Eigenvector centrality as NetworkX's eigenvector_centrality (unweighted): start from 1/n
// everywhere, iterate x <- (A + I) x normalised to unit L2 norm, stop once the L1 change is
// below n · `tolerance` or after `max_iterations` (then converged is false; NetworkX raises
// after its default 100). The +I shift makes the iteration converge on bipartite graphs too.
EigenvectorResult EigenvectorCentrality(const CsrGraph& g, unsigned threads = 0,
                                        double tolerance = 1e-6, int max_iterations = 1000);

}  // namespace collabgraph::analytics
