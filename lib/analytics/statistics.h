#pragma once

#include "analytics/collab_table.h"
#include "collabgraph/stats.h"

namespace collabgraph::analytics {

// Country statistics of the papers in `table` that pass the filters, under the rules of
// docs/methodology.md ("Counting rules"). Pure function of its inputs.
StatsResult ComputeStats(const CollabTable& table, const StatsOptions& options);

// The sorted, distinct countries of `paper` under `regions` and `attribution`; when `share`
// is given (sized to table.countries), adds each country's fractional share of the paper.
void PaperCountrySet(const CollabTable& table, const PaperRow& paper, Regions regions,
                     Attribution attribution, std::vector<int32_t>* set,
                     std::vector<double>* share);

// The per-year series, institutions, authors and tag cross-tab of the pair (a, b); -1 for a
// country absent from the table gives an empty detail.
PairDetail ComputePairDetail(const CollabTable& table, const StatsOptions& options,
                             const std::string& a, const std::string& b, size_t top);

// The rules of a statistic computed with `options`.
Rules StatsRules(const StatsOptions& options);

// The rules entries shared by every statistic: filters, regions and the rejected-paper rule.
void AddCommonRules(const Filters& filters, Regions regions, Rules* rules);

}  // namespace collabgraph::analytics
