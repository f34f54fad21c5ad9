#pragma once

// The index entries a node's properties imply (its identity): shared by the writers, which
// create them, and by `check`, which verifies them.

#include <string>
#include <vector>

#include "model/properties.h"
#include "model/schema.h"

namespace collabgraph::model {

struct IndexEntry {
  std::string key;
  bool holds_id = true;  // value is the node id (u64be); false: empty value (PaperByYear)
};

// The index entries of a node with `props`, or an empty list with `missing` set to the name of
// a required identity property that is absent. PaperByVenue is not included: it depends on the
// venue node (see WritePaper).
std::vector<IndexEntry> IdentityIndexEntries(Label label, NodeId id, const Properties& props,
                                             std::string* missing);

// Which labels an edge type connects (source, destination).
std::pair<Label, Label> EdgeEndpoints(EdgeType type);

}  // namespace collabgraph::model
