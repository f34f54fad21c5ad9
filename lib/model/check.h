#pragma once

// Integrity check of a whole database under one snapshot: every invariant the model promises
// (docs/format.md), each violation reported with the key or node it concerns.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

#include "model/graph.h"

namespace collabgraph::model {

struct Violation {
  // One of: "key" (undecodable key), "value" (undecodable value or missing identity property),
  // "reverse_edge", "dangling_edge" (missing endpoint, of the label the edge type connects),
  // "authorship_positions", "index_to_node", "node_to_index", "counter".
  std::string invariant;
  std::string detail;
};

struct CheckReport {
  uint64_t nodes = 0;
  uint64_t edges = 0;  // edge records, both directions
  uint64_t index_entries = 0;
  uint64_t violation_count = 0;       // all violations found
  std::vector<Violation> violations;  // the first `max_reported` of them
};

// Reads everything in `view` and checks it. Errors only for I/O failures; data problems are
// violations in the report.
absl::StatusOr<CheckReport> CheckGraph(const ReadView& view, size_t max_reported = 1000);

// A 64-bit hash of the logical content (every record of the nodes, edges, index and counters
// column families, in key order). Equal databases have equal hashes whatever their file layout.
absl::StatusOr<uint64_t> ContentHash(const ReadView& view);

}  // namespace collabgraph::model
