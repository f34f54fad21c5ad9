#pragma once

// Vertex metrics on an undirected graph given as a CSR graph that stores every edge in both
// directions (analytics::CsrGraph). Each returns one value per vertex, with the normalisation
// NetworkX uses by default (docs/methodology.md, "Centrality"). Written against the CSR
// graph's Boost.Graph interface (num_vertices, out_edges, target).

#include <vector>

#include "analytics/projection.h"

namespace collabgraph::analytics {

// PageRank with damping `alpha`, uniform teleport, the mass of dangling vertices spread
// uniformly, iterated until the L1 change is below `tolerance`; sums to 1. Unweighted.
std::vector<double> PageRank(const CsrGraph& g, double alpha = 0.85, double tolerance = 1e-12,
                             int max_iterations = 1000);

// Harmonic centrality: sum over other vertices v of 1/d(u, v) (unreachable: 0). Unnormalised,
// as NetworkX's harmonic_centrality.
std::vector<double> HarmonicCentrality(const CsrGraph& g);

// Closeness within each connected component, scaled by the component's share of the graph
// (Wasserman and Faust; NetworkX's closeness_centrality with wf_improved=True): for a vertex
// reaching r - 1 others at total distance s, (r - 1)/(n - 1) * (r - 1)/s; 0 when isolated.
std::vector<double> Closeness(const CsrGraph& g);

// Core number (k-core) of every vertex, via Boost's core_numbers.
std::vector<double> CoreNumbers(const CsrGraph& g);

// Local clustering coefficient: triangles through u / (deg(u)(deg(u) - 1)/2); 0 below degree 2.
std::vector<double> Clustering(const CsrGraph& g);

}  // namespace collabgraph::analytics
