#pragma once

// The property-graph schema: node labels, edge types, index kinds and counter kinds. Every
// enum value here is written to disk; values are never renumbered or reused and 0 is reserved.
// docs/format.md lists them as the normative table.

#include <cstdint>
#include <string_view>

namespace collabgraph::model {

using NodeId = uint64_t;

enum class Label : uint8_t {
  kPaper = 1,
  kAuthor = 2,
  kInstitution = 3,
  kCountry = 4,
  kVenue = 5,
  kTag = 6,
};
inline constexpr Label kAllLabels[] = {Label::kPaper,   Label::kAuthor, Label::kInstitution,
                                       Label::kCountry, Label::kVenue,  Label::kTag};

enum class EdgeType : uint8_t {
  kAuthored = 1,     // Author -> Paper; rank = the author's 0-based position on the paper
  kAffiliated = 2,   // authorship (Paper, rank = author position) -> Institution
  kLocatedIn = 3,    // Institution -> Country; rank 0
  kPublishedIn = 4,  // Paper -> Venue; rank 0
  kCites = 5,        // Paper -> Paper; rank 0
  kTagged = 6,       // Paper -> Tag; rank 0
};
inline constexpr EdgeType kAllEdgeTypes[] = {EdgeType::kAuthored,  EdgeType::kAffiliated,
                                             EdgeType::kLocatedIn, EdgeType::kPublishedIn,
                                             EdgeType::kCites,     EdgeType::kTagged};

enum class Direction : uint8_t {
  kOut = 1,  // keyed by source
  kIn = 2,   // keyed by destination
};

enum class IndexKind : uint8_t {
  kPaperSource = 1,     // (venue, year, source id) -> paper id
  kAuthorKey = 2,       // author matching key -> author id
  kInstitutionKey = 3,  // (normalised name, country code) -> institution id
  kCountryCode = 4,     // ISO 3166-1 alpha-2 code -> country id
  kVenueName = 5,       // venue name -> venue id
  kTagName = 6,         // tag name -> tag id
  kPaperByYear = 7,     // (year, paper id) -> empty
  kPaperByVenue = 8,    // (venue id, paper id) -> empty
  kNodeName = 9,        // (label, exact display name, node id) -> empty; authors, institutions
  kExternalId = 10,     // (scheme, value) -> author id, e.g. ("openreview", "~Ann_Lee1")
};

enum class CounterKind : uint8_t {
  kNodeCount = 1,   // per label: number of nodes
  kEdgeCount = 2,   // per edge type: number of edges (each counted once, not per direction)
  kNextId = 3,      // per label: the next id to allocate
  kIngestFile = 4,  // per input file identity: records applied (resume marker)
};

std::string_view LabelName(Label label);       // "Paper", "Author", ...
std::string_view EdgeTypeName(EdgeType type);  // "AUTHORED", ...

}  // namespace collabgraph::model
