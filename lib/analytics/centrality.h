#pragma once

#include "absl/status/statusor.h"

#include "analytics/collab_table.h"
#include "analytics/projection.h"
#include "collabgraph/centrality.h"

namespace collabgraph::analytics {

// Centrality of every vertex of the requested projection, normalised as NetworkX does by
// default. InvalidArgument for an unknown metric.
absl::StatusOr<CentralityResult> ComputeCentrality(const CollabTable& table,
                                                   const CentralityOptions& options);

// Exposed for tests: unnormalised exact betweenness of an undirected graph given as a CSR
// projection (each unordered pair of endpoints counted once), on `threads` threads (0: all
// cores; the result is the same for every value).
std::vector<double> UndirectedBetweenness(const Projection& projection, unsigned threads = 0);

}  // namespace collabgraph::analytics
