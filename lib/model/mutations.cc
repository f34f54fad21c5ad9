#include "model/mutations.h"

#include "model/identity.h"
#include "model/keys.h"
#include "util/status_macros.h"

namespace collabgraph::model {

namespace {

std::string Name(Label label, NodeId id) {
  return std::string(LabelName(label)) + " " + std::to_string(id);
}

absl::StatusOr<std::vector<IndexEntry>> Entries(Label label, NodeId id, const Properties& props) {
  std::string missing;
  std::vector<IndexEntry> entries = IdentityIndexEntries(label, id, props, &missing);
  if (!missing.empty()) {
    return absl::InvalidArgumentError(Name(label, id) + ": identity property \"" + missing +
                                      "\" is missing");
  }
  return entries;
}

// AlreadyExists when an id-holding entry already names a node other than `id`.
absl::Status CheckFree(Writer* writer, Label label, NodeId id,
                       const std::vector<IndexEntry>& entries) {
  for (const IndexEntry& e : entries) {
    if (!e.holds_id) continue;
    COLLABGRAPH_ASSIGN_OR_RETURN(std::optional<NodeId> owner, writer->Lookup(e.key));
    if (owner.has_value() && *owner != id) {
      return absl::AlreadyExistsError(std::string(LabelName(label)) +
                                      " with the same identity exists: " + Name(label, *owner));
    }
  }
  return absl::OkStatus();
}

void PutEntries(Writer* writer, NodeId id, const std::vector<IndexEntry>& entries) {
  for (const IndexEntry& e : entries) writer->PutIndex(e.key, e.holds_id ? EncodeId(id) : "");
}

}  // namespace

absl::StatusOr<NodeId> CreateNode(Writer* writer, Label label, const Properties& props) {
  // Validate with a placeholder id; the by-year key is rebuilt with the real one below.
  COLLABGRAPH_ASSIGN_OR_RETURN(auto probe, Entries(label, 0, props));
  COLLABGRAPH_RETURN_IF_ERROR(CheckFree(writer, label, 0, probe));
  const NodeId id = writer->AllocateId(label);
  COLLABGRAPH_ASSIGN_OR_RETURN(auto entries, Entries(label, id, props));
  writer->PutNode(label, id, props, /*is_new=*/true);
  PutEntries(writer, id, entries);
  return id;
}

absl::Status UpdateNode(Writer* writer, Label label, NodeId id, const Properties& props) {
  COLLABGRAPH_ASSIGN_OR_RETURN(Properties old, writer->GetNode(label, id));
  COLLABGRAPH_ASSIGN_OR_RETURN(auto old_entries, Entries(label, id, old));
  COLLABGRAPH_ASSIGN_OR_RETURN(auto entries, Entries(label, id, props));
  COLLABGRAPH_RETURN_IF_ERROR(CheckFree(writer, label, id, entries));
  for (const IndexEntry& e : old_entries) writer->DeleteIndex(e.key);
  writer->PutNode(label, id, props, /*is_new=*/false);
  PutEntries(writer, id, entries);
  return absl::OkStatus();
}

absl::Status DeleteNode(Writer* writer, Label label, NodeId id) {
  COLLABGRAPH_ASSIGN_OR_RETURN(Properties old, writer->GetNode(label, id));
  for (EdgeType type : kAllEdgeTypes) {
    const auto [src, dst] = EdgeEndpoints(type);
    for (auto [end_label, dir] :
         {std::pair{src, Direction::kOut}, std::pair{dst, Direction::kIn}}) {
      if (end_label != label) continue;
      COLLABGRAPH_ASSIGN_OR_RETURN(bool any, writer->HasAnyEdge(type, dir, id));
      if (any) {
        return absl::FailedPreconditionError(Name(label, id) + " still has " +
                                             std::string(EdgeTypeName(type)) + " edges");
      }
    }
  }
  std::string missing;
  for (const IndexEntry& e : IdentityIndexEntries(label, id, old, &missing)) {
    writer->DeleteIndex(e.key);
  }
  writer->DeleteNodeRecord(label, id);
  return absl::OkStatus();
}

absl::Status CreateEdge(Writer* writer, EdgeType type, NodeId src, NodeId dst, uint32_t rank,
                        const Properties& props) {
  const auto [src_label, dst_label] = EdgeEndpoints(type);
  COLLABGRAPH_RETURN_IF_ERROR(writer->GetNode(src_label, src).status());
  COLLABGRAPH_RETURN_IF_ERROR(writer->GetNode(dst_label, dst).status());
  COLLABGRAPH_ASSIGN_OR_RETURN(bool exists, writer->HasEdge(type, src, dst, rank));
  if (exists) {
    return absl::AlreadyExistsError(std::string(EdgeTypeName(type)) + " " + std::to_string(src) +
                                    " -> " + std::to_string(dst) + " exists");
  }
  writer->PutEdge(type, src, dst, rank, props);
  return absl::OkStatus();
}

absl::Status UpdateEdge(Writer* writer, EdgeType type, NodeId src, NodeId dst, uint32_t rank,
                        const Properties& props) {
  COLLABGRAPH_ASSIGN_OR_RETURN(bool exists, writer->HasEdge(type, src, dst, rank));
  if (!exists) {
    return absl::NotFoundError(std::string(EdgeTypeName(type)) + " " + std::to_string(src) +
                               " -> " + std::to_string(dst) + " does not exist");
  }
  writer->PutEdge(type, src, dst, rank, props, /*is_new=*/false);
  return absl::OkStatus();
}

absl::Status DeleteEdge(Writer* writer, EdgeType type, NodeId src, NodeId dst, uint32_t rank) {
  COLLABGRAPH_ASSIGN_OR_RETURN(bool exists, writer->HasEdge(type, src, dst, rank));
  if (!exists) {
    return absl::NotFoundError(std::string(EdgeTypeName(type)) + " " + std::to_string(src) +
                               " -> " + std::to_string(dst) + " does not exist");
  }
  writer->DeleteEdgeRecords(type, src, dst, rank);
  return absl::OkStatus();
}

}  // namespace collabgraph::model
