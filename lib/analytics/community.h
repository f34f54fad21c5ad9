#pragma once

// Partitions of an undirected graph given as a CSR graph that stores every edge in both
// directions (analytics::CsrGraph): connected components, Louvain communities, and the
// modularity of any partition (docs/methodology.md, "Components and communities").
//
// A partition gives every vertex a group id in [0, k). Ids are canonical: largest group first,
// ties by the smallest key of a member (the vertex index unless CanonicalizeGroups is given
// other keys), so they do not depend on the order in which an algorithm found the groups.

#include <cstdint>
#include <vector>

#include "analytics/projection.h"
#include "collabgraph/centrality.h"

namespace collabgraph::analytics {

struct Partition {
  std::vector<uint32_t> group;  // group id of each vertex
  std::vector<uint64_t> sizes;  // vertices per group id
  int levels = 0;               // Louvain: aggregation levels that moved a vertex; else 0
};

// Renumbers `partition` canonically: by size (largest first), ties by the smallest
// key[v] among the members. key has one entry per vertex.
void CanonicalizeGroups(const std::vector<uint64_t>& key, Partition* partition);

// Connected components by breadth-first search. O(n + m). (Boost's connected_components
// requires an undirected graph type; the CSR graph is directed with both directions stored.)
Partition ConnectedComponents(const CsrGraph& g);

// Newman's modularity of `group` (one id per vertex) with edge weights `kind` and resolution
// gamma: Q = sum over groups c of [ L_c / m - gamma (d_c / 2m)^2 ], L_c the weight of the
// edges inside c, d_c the weighted degree of its members, m the total edge weight. As
// networkx.community.modularity; 0 for a graph without edges (where NetworkX divides by 0).
double Modularity(const CsrGraph& g, const std::vector<uint32_t>& group, EdgeWeight kind,
                  double resolution = 1.0);

// Louvain communities (Blondel et al. 2008), deterministic for a given `seed`: the vertices
// of each level are visited in an order shuffled by a 64-bit Mersenne Twister seeded with
// `seed` (with our own Fisher-Yates, not std::shuffle, whose use of the generator is not
// specified), candidate communities are tried in CSR order and a vertex moves only for a
// strictly larger gain. Repeats local moving and aggregation until a level moves no vertex.
// Sequential. O(m) per pass.
Partition Louvain(const CsrGraph& g, EdgeWeight kind, uint64_t seed, double resolution = 1.0);

}  // namespace collabgraph::analytics
