#pragma once

// Generic create / update / delete of nodes and edges, keeping the indexes, both edge
// directions and the counters consistent (the invariants `check` verifies). Each call adds to
// the writer's pending record; the caller commits (several mutations may form one atomic
// batch). Reads for validation see the committed state.

#include "absl/status/statusor.h"

#include "model/graph.h"

namespace collabgraph::model {

// Creates a node. InvalidArgument when an identity property is missing (docs/format.md:
// Paper venue/year/source_id, Author key, Institution key, Country code, Venue and Tag name);
// AlreadyExists when another node has the same identity.
absl::StatusOr<NodeId> CreateNode(Writer* writer, Label label, const Properties& props);

// Replaces a node's properties, moving its index entries when its identity changes.
// NotFound for a missing node; AlreadyExists when the new identity belongs to another node;
// InvalidArgument when an identity property is missing.
absl::Status UpdateNode(Writer* writer, Label label, NodeId id, const Properties& props);

// Deletes a node and its index entries. NotFound for a missing node; FailedPrecondition while
// any edge still touches it (delete the edges first).
absl::Status DeleteNode(Writer* writer, Label label, NodeId id);

// Creates an edge in both directions. NotFound when an endpoint is missing (of the labels the
// type connects); AlreadyExists when the edge (type, src, dst, rank) exists.
absl::Status CreateEdge(Writer* writer, EdgeType type, NodeId src, NodeId dst, uint32_t rank,
                        const Properties& props);

// Replaces an edge's properties in both directions. NotFound when the edge does not exist.
absl::Status UpdateEdge(Writer* writer, EdgeType type, NodeId src, NodeId dst, uint32_t rank,
                        const Properties& props);

// Deletes both directions of an edge. NotFound when it does not exist.
absl::Status DeleteEdge(Writer* writer, EdgeType type, NodeId src, NodeId dst, uint32_t rank);

}  // namespace collabgraph::model
