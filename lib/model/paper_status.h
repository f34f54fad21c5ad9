#pragma once

#include <string_view>

namespace collabgraph::model {

// True when a paper's status marks a submission that was not accepted: it contains "reject"
// or "withdr" after util::NormalizeKey ("Reject", "Desk Reject", "Withdrawn", ...). Such papers
// are stored but left out of statistics unless asked for (docs/methodology.md).
bool IsRejectedStatus(std::string_view status);

}  // namespace collabgraph::model
