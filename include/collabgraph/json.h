#pragma once

// JSON renderings of the API's results: the CLI's --json output and the Python bindings'
// dicts use exactly these. Field names follow DESIGN.md's command-line contract.

#include <string>

#include "collabgraph/centrality.h"
#include "collabgraph/database.h"
#include "collabgraph/ingest.h"
#include "collabgraph/query.h"
#include "collabgraph/stats.h"

namespace collabgraph {

std::string ToJson(const StatsResult& result);
std::string ToJson(const CentralityResult& result);
std::string ToJson(const DatabaseInfo& info);
std::string ToJson(const IngestReport& report);
std::string ToJson(const CheckResult& result);
std::string ToJson(const PairDetail& detail);
std::string ToJson(const CompactReport& report);

// Query records (collabgraph/query.h), one JSON object each; ids are numbers, absent optional
// fields are null.
std::string ToJson(const PaperRecord& paper);
std::string ToJson(const AuthorRecord& author);
std::string ToJson(const InstitutionRecord& institution);
std::string ToJson(const CountryRecord& country);
std::string ToJson(const AuthorshipRecord& authorship);
std::string ToJson(const CoAuthorRecord& coauthor);
std::string ToJson(const AuthorCount& count);
std::string ToJson(const PathStep& step);
// `s` as a JSON string literal, quotes included.
std::string JsonQuote(const std::string& s);

}  // namespace collabgraph
