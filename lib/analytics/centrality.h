#pragma once

#include "absl/status/statusor.h"

#include "analytics/collab_table.h"
#include "analytics/projection.h"
#include "collabgraph/centrality.h"
#include "collabgraph/export.h"

namespace collabgraph::analytics {

// Centrality of every vertex of the requested projection, normalised as NetworkX does by
// default. InvalidArgument for an unknown metric.
absl::StatusOr<CentralityResult> ComputeCentrality(const CollabTable& table,
                                                   const CentralityOptions& options);

// The projection of `options` (graph, filters, regions, max_members) as nodes and weighted
// edges, for export. Nodes in database id order; edges by (source, target).
GraphExport ProjectGraph(const CollabTable& table, const CentralityOptions& options);

// Exposed for tests: unnormalised exact betweenness of an undirected graph given as a CSR
// projection (each unordered pair of endpoints counted once), on `threads` threads (0: all
// cores; the result is the same for every value).
std::vector<double> UndirectedBetweenness(const Projection& projection, unsigned threads = 0);

}  // namespace collabgraph::analytics
