#pragma once

// CollabTable: the compact, immutable in-memory view of the stored graph that statistics and
// projections are computed from. It is loaded by prefix scans under one ReadView (one
// snapshot), so everything in it is consistent with one state of the database. Analytics never
// touches storage after this point.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

#include "collabgraph/filters.h"
#include "model/graph.h"

namespace collabgraph::analytics {

struct PaperRow {
  model::NodeId id = 0;
  int year = 0;
  uint32_t venue = 0;  // index into CollabTable::venues
  std::string track;
  bool rejected = false;
  // Authorships in position order; each holds the indexes of its institutions.
  std::vector<std::vector<uint32_t>> authorships;
  std::vector<uint32_t> authors;  // author index per position (same length as authorships)
  std::vector<uint32_t> tags;     // indexes into CollabTable::tags
};

struct InstitutionRow {
  model::NodeId id = 0;
  std::string name;
  int32_t country = -1;  // index into countries, -1 when unknown
  int32_t region = -1;   // HK, MO or TW (index into countries) when recorded, else -1
};

struct CountryRow {
  model::NodeId id = 0;
  std::string code;
  std::string name;
};

struct AuthorRow {
  model::NodeId id = 0;
  std::string name;
};

struct CollabTable {
  std::vector<PaperRow> papers;  // in paper id order
  std::vector<InstitutionRow> institutions;
  std::vector<CountryRow> countries;
  std::vector<AuthorRow> authors;
  std::vector<std::string> venues;
  std::vector<std::string> tags;  // tag names

  // Index of the country with `code`, or -1.
  int32_t CountryIndex(std::string_view code) const;
  // True when `paper` passes `filters`.
  bool Matches(const PaperRow& paper, const Filters& filters) const;
};

// Loads the table from one snapshot. With `with_authors` false the author rows are skipped
// (statistics do not need them).
absl::StatusOr<CollabTable> LoadCollabTable(const model::ReadView& view, bool with_authors);

// The country an institution counts as under `regions` (see collabgraph::Regions); -1 when
// unknown. kSplit uses the recorded region (HK, MO, TW) of institutions labelled CN.
int32_t CountryUnder(const CollabTable& table, const InstitutionRow& institution, Regions regions);

}  // namespace collabgraph::analytics
