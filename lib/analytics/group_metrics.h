#pragma once

// Country groups of the vertices of a projection, and brokerage counts, for the "bridge" and
// "brokerage" centrality metrics (docs/methodology.md, "Bridges and brokerage").

#include <cstdint>
#include <vector>

#include "analytics/collab_table.h"
#include "analytics/projection.h"

namespace collabgraph::analytics {

constexpr uint8_t kGroupA = 1;
constexpr uint8_t kGroupB = 2;

// For every vertex of `projection`, kGroupA when it has country `a` and kGroupB when it has
// country `b` (both bits possible), countries taken under `regions`: an institution's own
// country; every country of an author's institutions on the papers that pass `filters`; a
// country itself. `a` and `b` are indexes into table.countries.
std::vector<uint8_t> CountryGroups(const CollabTable& table, const Projection& projection,
                                   const Filters& filters, Regions regions, int32_t a, int32_t b);

// For every vertex of `projection`, the number of papers passing `filters` whose country set
// (under `regions`) holds both `a` and `b` and on which the vertex appears (as an author, an
// institution of an authorship, or a country of the set). *total receives the number of such
// papers.
std::vector<double> Brokerage(const CollabTable& table, const Projection& projection,
                              const Filters& filters, Regions regions, int32_t a, int32_t b,
                              uint64_t* total);

}  // namespace collabgraph::analytics
