#pragma once

// JSON renderings of the API's results: the CLI's --json output and the Python bindings'
// dicts use exactly these. Field names follow DESIGN.md's command-line contract.

#include <string>

#include "collabgraph/centrality.h"
#include "collabgraph/database.h"
#include "collabgraph/ingest.h"
#include "collabgraph/stats.h"

namespace collabgraph {

std::string ToJson(const StatsResult& result);
std::string ToJson(const CentralityResult& result);
std::string ToJson(const DatabaseInfo& info);
std::string ToJson(const IngestReport& report);
std::string ToJson(const CheckResult& result);
std::string ToJson(const PairDetail& detail);

}  // namespace collabgraph
