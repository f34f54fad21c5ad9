#pragma once

// Reader for OpenAlex works as JSON Lines (one work object per line; plain or gzip). Each work
// becomes a paper: venue = its primary source's display name (or --venue), year =
// publication_year, source id = the work id ("W2741809807"). Authors are keyed by ORCID, else
// OpenAlex author id, else normalised name (docs/methodology.md, "Reading OpenAlex works");
// institutions carry their ISO country_code; referenced works are kept on the paper and become
// CITES edges once the cited work is in the database.

#include <string>

#include "absl/status/statusor.h"

#include "ingest/paperlists_reader.h"

namespace collabgraph::ingest {

// Parses `text` (the whole file) as OpenAlex JSON Lines; `path` names the file in messages.
absl::StatusOr<ParsedFile> ParseOpenAlex(const std::string& path, const std::string& text,
                                         const ReadOptions& options);

absl::StatusOr<ParsedFile> ReadOpenAlexFile(const std::string& path, const ReadOptions& options);

// "https://openalex.org/W123" -> "W123"; other strings unchanged.
std::string ShortOpenAlexId(std::string_view id);

}  // namespace collabgraph::ingest
