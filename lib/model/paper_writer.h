#pragma once

// Writes one paper and everything it brings (venue, authors, institutions, countries, their
// edges, index entries and counters) as one atomic record. Existing authors, institutions,
// countries and venues are found through their indexes and reused.

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

#include "model/graph.h"
#include "model/properties.h"

namespace collabgraph::model {

// No row of a caller's own numbering (InstitutionInput::row, AuthorshipInput::row).
inline constexpr uint32_t kNoRow = std::numeric_limits<uint32_t>::max();

struct InstitutionInput {
  std::string name;           // as the source spells it
  std::string key;            // normalised name; with country_code, the institution's identity
  std::string country_code;   // ISO 3166-1 alpha-2, or empty when unknown
  std::string country_name;   // English short name of country_code
  std::string country_label;  // the source's own country label, kept verbatim
  // How the country was found when the source gave none ("domain or name"), else empty.
  std::string country_resolution;
  // HK, MO or TW when the institution lies there but its country is given as CN (with the
  // region's English name); empty otherwise.
  std::string region_code;
  std::string region_name;
  // The source lists this affiliation for the paper, not for this author (the AFFILIATED edge
  // gets attribution=paper).
  bool paper_level = false;
  // The institution's row in the caller's own dense numbering of its input (a CSV table's
  // row), or kNoRow: with WriteOptions::memo, the row stands for this institution's identity.
  uint32_t row = kNoRow;
  // Only `row` and `paper_level` are given: the strings are those of RowMemo::source's row
  // (a row given before, which the memo most likely knows).
  bool omitted = false;
};

struct AuthorshipInput {
  std::string name;
  std::string key;  // author matching key (see docs/methodology.md)
  // External ids as "scheme:value" (e.g. "openreview:~Ann_Lee1"), added to the author.
  std::vector<std::string> external_ids;
  std::vector<InstitutionInput> institutions;
  // As InstitutionInput::row: a row stands for one author key (a caller that changes `key`
  // sets it to kNoRow).
  uint32_t row = kNoRow;
  // As InstitutionInput::omitted: `name`, `key` and `external_ids` are RowMemo::source's
  // (`institutions` is given).
  bool omitted = false;
};

struct PaperInput {
  std::string venue;
  int year = 0;
  std::string source_id;
  Properties props;  // title, track, status, ... (venue, year and source_id are added)
  std::vector<AuthorshipInput> authorships;               // in author order; positions are 0..k-1
  std::vector<std::pair<std::string, std::string>> tags;  // (tag name, kind): TAGGED edges
};

enum class WriteOutcome { kAdded, kAlreadyPresent };

// The strings of an input's author and institution rows, for inputs that give a row's
// strings only the first time (AuthorshipInput::omitted, InstitutionInput::omitted).
class RowSource {
 public:
  virtual ~RowSource() = default;
  // Sets a->name, a->key and a->external_ids to those of author row `row`.
  virtual void FillAuthor(uint32_t row, AuthorshipInput* a) const = 0;
  // Sets every string of *inst to those of institution row `row`.
  virtual void FillInstitution(uint32_t row, InstitutionInput* inst) const = 0;
};

// The ids of the rows of one input's authors and institutions (WriteOptions::memo), kNoNode
// for a row not resolved yet. On the 1M-paper CSV tables an author comes back 7.6 times and an
// institution 190 times: the memo answers those from a vector instead of a hash map of keys.
struct RowMemo {
  static constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();
  std::vector<NodeId> authors;
  std::vector<NodeId> institutions;
  // The strings of an omitted row the memo does not know (its first paper was already in the
  // database, say); required for a paper with omitted rows.
  const RowSource* source = nullptr;
};

// How WritePaper ends its record.
struct WriteOptions {
  bool commit = true;  // commit the pending record (false: leave it for a later Commit)
  bool sync = false;   // fsync the WAL on commit
  bool bulk = false;   // commit as ingested SST files (Writer::Commit)
  // A resume marker (key, value) written in the same batch as the paper, when not empty.
  std::string marker_key;
  uint64_t marker_value = 0;
  // Remembers the id each row (AuthorshipInput::row, InstitutionInput::row) resolved to, so
  // that a row seen before skips its index lookup. One memo per input numbering, used by one
  // writer; after a failed WritePaper it may hold ids of the dropped record and must not be
  // used again.
  RowMemo* memo = nullptr;
};

// Adds `paper` unless a paper with the same (venue, year, source id) exists, in which case
// nothing is written. With options.commit, the paper and everything it brings are one atomic
// batch. Errors come from storage; on error the pending record is dropped.
absl::StatusOr<WriteOutcome> WritePaper(Writer* writer, const PaperInput& paper,
                                        const WriteOptions& options);

// One paper, one committed batch; `sync` fsyncs the WAL.
inline absl::StatusOr<WriteOutcome> WritePaper(Writer* writer, const PaperInput& paper, bool sync) {
  WriteOptions options;
  options.sync = sync;
  return WritePaper(writer, paper, options);
}

}  // namespace collabgraph::model
