#pragma once

// The implementation of collabgraph::Snapshot over a model::ReadView. Every lookup and
// traversal reads the view's one RocksDB snapshot through prefix cursors: point lookups are
// single reads, adjacency is a prefix scan of the edge column family keyed by the node (both
// directions are stored), and paper queries start from the most selective index.

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

#include "collabgraph/query.h"
#include "model/graph.h"

namespace collabgraph::query {

// Turns a country argument (ISO code or English name) into an ISO code; the API layer passes
// its country table in, so that this layer needs no copy of it.
using CountryResolver = std::function<absl::StatusOr<std::string>(const std::string&)>;

std::unique_ptr<collabgraph::Snapshot> NewSnapshot(std::unique_ptr<model::ReadView> view,
                                                   CountryResolver resolve_country);

}  // namespace collabgraph::query
