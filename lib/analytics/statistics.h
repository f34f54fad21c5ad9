#pragma once

#include "analytics/collab_table.h"
#include "collabgraph/stats.h"

namespace collabgraph::analytics {

// Country statistics of the papers in `table` that pass the filters, under the rules of
// docs/methodology.md ("Counting rules"). Pure function of its inputs.
StatsResult ComputeStats(const CollabTable& table, const StatsOptions& options);

// The rules entries shared by every statistic: filters, regions and the rejected-paper rule.
void AddCommonRules(const Filters& filters, Regions regions, Rules* rules);

}  // namespace collabgraph::analytics
