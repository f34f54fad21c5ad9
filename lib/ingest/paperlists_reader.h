#pragma once

// Reader for Paper Copilot "paperlists" files: one JSON array of paper records per venue and
// year (plain or gzip). It turns each record into a model::PaperInput, resolving the
// affiliation index fields into per-authorship institutions with countries. The rules, and how
// each quirk of the real files is handled, are in docs/methodology.md ("Reading paper lists").
//
// Data problems inside a record (missing id, index lists that do not match the authors, ...)
// become warnings and the record is still read; a file that is not a JSON array of objects, or
// a field of the wrong JSON type, is an error that names the file, record and field.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

#include "model/paper_writer.h"

namespace collabgraph::ingest {

struct ReadWarning {
  size_t record = 0;  // 0-based index of the record in the file's array
  std::string id;     // the record's source id, when it has one
  std::string message;
};

struct ParsedFile {
  std::string path;
  uint64_t content_hash = 0;  // util::Hash64 of the file's (decompressed) text
  std::string venue;
  int year = 0;
  size_t records = 0;            // elements of the JSON array
  size_t merged_duplicates = 0;  // records merged into an earlier one with the same identity
  size_t derived_ids = 0;        // records without an id, identified by normalised title
  size_t rejected = 0;           // papers whose status marks a rejected/withdrawn submission
  size_t skipped = 0;            // bad records left out with ReadOptions::skip_bad
  size_t authorships = 0;
  size_t authorships_with_country = 0;
  // Country labels that matched no ISO 3166-1 entry, with the number of records using them.
  std::map<std::string, size_t> unresolved_countries;
  std::vector<model::PaperInput> papers;  // one per distinct identity, in first-seen order
  std::vector<ReadWarning> warnings;
};

class Resolver;

struct ReadOptions {
  // Resolves countries for sources without country fields and detects HK/MO/TW; null: a
  // resolver without the university list. Not owned.
  const Resolver* resolver = nullptr;
  // Resolve countries the source does not give (see IngestOptions::resolve_countries).
  bool resolve_countries = true;
  std::optional<std::string> venue;  // overrides the venue taken from the file name
  std::optional<int> year;           // overrides the year taken from the file name
  // Leave bad records out with a warning instead of failing the file (IngestOptions).
  bool skip_bad = false;
  // Caps on absurd input (IngestOptions): bytes of one text field, bytes of text of one
  // record, authors of one record, nesting depth of one record.
  size_t max_field_bytes = size_t{4} << 20;
  size_t max_record_bytes = size_t{16} << 20;
  size_t max_authors = 10000;
  size_t max_depth = 64;
};

// Splits "nips2016.json.gz" into ("nips", 2016). nullopt when the name does not follow the
// <venue><year>.json[.gz] pattern.
std::optional<std::pair<std::string, int>> VenueYearFromFileName(const std::string& path);

// Parses `json` (the file's whole text) as a paperlists file. `path` is used in messages.
absl::StatusOr<ParsedFile> ParsePaperlists(const std::string& path, const std::string& json,
                                           const ReadOptions& options);

// Reads and parses the file at `path` (plain or gzip).
absl::StatusOr<ParsedFile> ReadPaperlistsFile(const std::string& path, const ReadOptions& options);

}  // namespace collabgraph::ingest
