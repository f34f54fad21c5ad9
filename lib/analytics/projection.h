#pragma once

// Projections of the stored graph onto one kind of node: authors, institutions or countries,
// joined by an undirected edge when they share a paper. Built as an immutable
// boost::compressed_sparse_row_graph holding each undirected edge in both directions: per
// direction a 4-byte target and the 16-byte EdgeWeights, per vertex a 4-byte row offset, so
// about 40 bytes per undirected edge (docs/methodology.md, "Projections").

#include <cstdint>
#include <vector>

#include <boost/graph/compressed_sparse_row_graph.hpp>

#include "analytics/collab_table.h"
#include "collabgraph/centrality.h"

namespace collabgraph::analytics {

struct EdgeWeights {
  double full = 0;        // papers in common
  double fractional = 0;  // Newman's sum over shared papers of 1/(n-1), n = paper's members
};

using CsrGraph =
    boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, EdgeWeights,
                                       boost::no_property, uint32_t, uint32_t>;

struct Projection {
  GraphKind kind = GraphKind::kCountry;
  // Vertex v stands for row members[v] of the table (author, institution or country rows).
  std::vector<uint32_t> members;
  CsrGraph graph;
  uint64_t undirected_edges = 0;
  // Papers with more members than the cap: their members are vertices, but they add no edges.
  uint64_t capped_papers = 0;
  uint64_t largest_capped = 0;  // members of the largest of them
};

// Builds the projection of the papers that pass `filters`. A paper's members are its distinct
// authors, institutions, or countries (under `regions`). Every member of a matching paper is
// a vertex, even without co-members. A paper with more than `max_members` members (0: no cap)
// adds no edges, since its clique alone would have members^2/2 of them (a paper with 3,000
// authors: 4.5 million); Projection::capped_papers counts such papers.
Projection BuildProjection(const CollabTable& table, GraphKind kind, const Filters& filters,
                           Regions regions, size_t max_members = 0);

}  // namespace collabgraph::analytics
