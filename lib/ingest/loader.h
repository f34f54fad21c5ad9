#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

#include "collabgraph/ingest.h"
#include "model/graph.h"

namespace collabgraph::ingest {

// Parses every file first; only when all parse does it write, one atomic batch per paper.
// See Database::Ingest for the contract.
absl::StatusOr<IngestReport> IngestFiles(model::Graph* graph, const std::vector<std::string>& paths,
                                         const IngestOptions& options);

}  // namespace collabgraph::ingest
