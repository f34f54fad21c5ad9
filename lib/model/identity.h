#pragma once

// The index entries a node's properties imply (its identity): shared by the writers, which
// create them, and by `check`, which verifies them.

#include <string>
#include <string_view>
#include <vector>

#include "model/properties.h"
#include "model/schema.h"

namespace collabgraph::model {

// The format version whose index entries IdentityIndexEntries produces by default (equal to
// storage::kFormatVersion; kept here so the model does not depend on storage constants).
inline constexpr uint32_t kCurrentFormatForIdentity = 3;

struct IndexEntry {
  std::string key;
  bool holds_id = true;  // value is the node id (u64be); false: empty value (PaperByYear)
};

// ExternalId scheme of OpenAlex works: its entries point to papers (all others to authors).
inline constexpr std::string_view kOpenAlexWorkScheme = "openalex_work";

// The index entries of a node with `props`, or an empty list with `missing` set to the name of
// a required identity property that is absent. Besides the identity (unique) entries, authors
// and institutions get a name entry, and authors one entry per "scheme:value" of their
// `external_ids` list. PaperByVenue is not included: it depends on the venue node (see
// WritePaper).
// `format` is the database's format version: name and external-id entries exist from 2 on.
std::vector<IndexEntry> IdentityIndexEntries(Label label, NodeId id, const Properties& props,
                                             std::string* missing,
                                             uint32_t format = kCurrentFormatForIdentity);

// Which labels an edge type connects (source, destination).
std::pair<Label, Label> EdgeEndpoints(EdgeType type);

}  // namespace collabgraph::model
