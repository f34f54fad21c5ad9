#pragma once

#include <string>
#include <vector>

namespace collabgraph::cli {

// `collabgraph generate OUT_DIR [--papers N] [--seed S] [--intl F] [--json]`: writes synthetic
// collaboration data as the seven CSV tables of docs/methodology.md ("Reading CSV tables").
int Generate(const std::vector<std::string>& argv);

}  // namespace collabgraph::cli
