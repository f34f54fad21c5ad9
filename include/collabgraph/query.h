#pragma once

// collabgraph::Snapshot: lookups and traversals over one consistent state of a database.
//
//   auto db = collabgraph::Database::Open("neurips.db", {.read_only = true});
//   auto snap = (*db)->NewSnapshot();
//   auto found = snap->FindAuthors("Yoshua Bengio", collabgraph::NameMatch::kNormalized);
//   for (auto c = snap->Papers({.all_countries = {"US", "CN"}}); c->Valid(); c->Next()) {
//     std::cout << c->paper().year << " " << c->paper().title << "\n";
//   }
//
// Every answer a Snapshot gives comes from the one RocksDB snapshot taken when it was created:
// a paper ingested later is not seen, and a paper is seen whole or not at all.
//
// Ownership and threads: a Snapshot is used by one thread at a time (make one per thread; they
// are cheap). Cursors it returns read through it and must not outlive it. Ids are the
// persistent node ids that `info`, `centrality --json` and the exports print.
//
// Errors: NotFound for an id or code that names no node; InvalidArgument for bad arguments
// (an unknown country, a negative hop count); DataLoss when a stored record does not decode.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#include "collabgraph/centrality.h"
#include "collabgraph/filters.h"

namespace collabgraph {

struct PaperRecord {
  uint64_t id = 0;
  std::string title;
  std::string venue;
  int year = 0;
  std::string track;      // empty when the source gives none
  std::string status;     // e.g. "Poster", "Reject"; empty when unknown
  std::string source_id;  // the id the input gave it (unique within venue and year)
  std::string doi;
  std::string openalex_id;
  std::optional<int64_t> citations;
};

struct AuthorRecord {
  uint64_t id = 0;
  std::string name;                       // display name as first seen
  std::string key;                        // matching key, e.g. "name:yoshua bengio", "orcid:..."
  std::vector<std::string> external_ids;  // "scheme:value", e.g. "openreview:~Ann_Lee1"
};

struct InstitutionRecord {
  uint64_t id = 0;
  std::string name;
  std::string country_code;  // as the source gave it (ISO 3166-1 alpha-2); empty when unknown
  std::string region_code;   // HK, MO or TW when resolution placed it there, else empty
};

struct CountryRecord {
  uint64_t id = 0;  // 0 for a region (HK, MO, TW) that has no Country node of its own
  std::string code;
  std::string name;
};

// One author on one paper, with the institutions of that authorship.
struct AuthorshipRecord {
  uint32_t position = 0;  // 0-based author position
  AuthorRecord author;
  std::vector<InstitutionRecord> institutions;
};

struct CoAuthorRecord {
  AuthorRecord author;
  uint64_t papers = 0;  // papers the two share
};

struct AuthorCount {
  AuthorRecord author;
  uint64_t papers = 0;
};

// Papers co-authored by two countries (codes a < b).
struct CountryPairCount {
  std::string a;
  std::string b;
  uint64_t papers = 0;
};

// One step of a collaboration path: the node, and the paper that links it to the step before
// (0 for the first step).
struct PathStep {
  uint64_t id = 0;
  std::string name;
  uint64_t via_paper = 0;
};

enum class NameMatch {
  kExact,       // the display name byte for byte (index lookup)
  kNormalized,  // util's matching key: case, diacritics and punctuation folded
};

// Which papers Snapshot::Papers yields. Every field narrows the result; empty means any.
// Every member has a default initializer, so designated initializers such as
// `{.all_countries = {"US", "CN"}}` compile cleanly under -Wextra.
struct PaperQuery {
  Filters filters{};  // years, venues, tracks, tags, rejected (see filters.h)
  // Papers whose country set holds at least one of these (ISO codes or English names).
  std::vector<std::string> any_countries{};
  // Papers whose country set holds every one of these.
  std::vector<std::string> all_countries{};
  Regions regions = Regions::kSource;  // the view the two country lists are read in
  // Papers with at least one authorship at one of these institutions (ids).
  std::vector<uint64_t> institutions{};
  // Papers of this author (id).
  std::optional<uint64_t> author{};
};

// Forward cursor over papers in ascending id order, RocksDB style: loop while Valid(), then
// check status() (an invalid cursor with a non-OK status stopped on an error). paper() stays
// valid until the next Next().
class PaperCursor {
 public:
  virtual ~PaperCursor() = default;
  virtual bool Valid() const = 0;
  virtual void Next() = 0;
  virtual const PaperRecord& paper() const = 0;
  virtual absl::Status status() const = 0;
};

// Breadth-first cursor over the k-hop neighbourhood of a node in a collaboration graph (two
// authors are neighbours when they share a paper; two institutions when one paper has both).
// Yields every node within `hops` of the start (the start itself excluded) in order of
// distance, and within one distance in ascending id order. Each level is read from storage
// only when the cursor reaches it.
class NeighborhoodCursor {
 public:
  virtual ~NeighborhoodCursor() = default;
  virtual bool Valid() const = 0;
  virtual void Next() = 0;
  virtual uint64_t id() const = 0;
  virtual uint32_t distance() const = 0;  // 1..hops
  virtual absl::Status status() const = 0;
};

class Snapshot {
 public:
  virtual ~Snapshot() = default;

  // Point lookups by id. NotFound when no node of that kind has the id.
  virtual absl::StatusOr<PaperRecord> Paper(uint64_t id) const = 0;
  virtual absl::StatusOr<AuthorRecord> Author(uint64_t id) const = 0;
  virtual absl::StatusOr<InstitutionRecord> Institution(uint64_t id) const = 0;
  // A country by ISO code or English name; NotFound when no paper has it.
  virtual absl::StatusOr<CountryRecord> Country(const std::string& code_or_name) const = 0;

  // Lookups by name, in id order (names are not unique). Exact: an index range read.
  // Normalised: institutions by their normalised-name index; authors by their matching key
  // plus one pass over the author name index (authors keyed by ORCID or OpenAlex id have no
  // name key), so O(authors).
  virtual absl::StatusOr<std::vector<AuthorRecord>> FindAuthors(const std::string& name,
                                                                NameMatch match) const = 0;
  virtual absl::StatusOr<std::vector<InstitutionRecord>> FindInstitutions(
      const std::string& name, NameMatch match) const = 0;
  // Lookups by external id: authors by "orcid", "openalex", "openreview"; papers by
  // "openalex_work" (or by "source" with value "VENUE/YEAR/SOURCE_ID"). nullopt when absent.
  virtual absl::StatusOr<std::optional<AuthorRecord>> FindAuthorByExternalId(
      const std::string& scheme, const std::string& value) const = 0;
  virtual absl::StatusOr<std::optional<PaperRecord>> FindPaperByExternalId(
      const std::string& scheme, const std::string& value) const = 0;

  // Papers matching `query`, streamed. The cursor starts from the most selective index the
  // query allows (author, institutions, countries, venue, years) and checks the rest per paper.
  virtual std::unique_ptr<PaperCursor> Papers(const PaperQuery& query) const = 0;

  // Full-count country co-occurrence over the papers `query` selects: for every pair of
  // countries in a paper's country set (under query.regions), the number of such papers, most
  // first (ties by codes); the same numbers as `stats` pairs for the same papers. When the
  // query keeps every paper (include_rejected set, no other narrowing) this is one sequential
  // pass over the affiliation edges split over the cores; otherwise it walks Papers(query).
  virtual absl::StatusOr<std::vector<CountryPairCount>> CountryPairs(
      const PaperQuery& query) const = 0;

  // The authorships of a paper in position order, each with its institutions.
  virtual absl::StatusOr<std::vector<AuthorshipRecord>> Authorships(uint64_t paper) const = 0;
  // The distinct institutions of a paper, in id order.
  virtual absl::StatusOr<std::vector<InstitutionRecord>> InstitutionsOfPaper(
      uint64_t paper) const = 0;
  // The country set of a paper under `regions` (docs/methodology.md), in code order.
  virtual absl::StatusOr<std::vector<CountryRecord>> CountriesOfPaper(uint64_t paper,
                                                                      Regions regions) const = 0;
  // The co-authors of an author with the number of papers shared, most shared first (ties by
  // id).
  virtual absl::StatusOr<std::vector<CoAuthorRecord>> CoAuthors(uint64_t author) const = 0;
  // The `n` authors with the most papers, most first (ties by id).
  virtual absl::StatusOr<std::vector<AuthorCount>> MostProlificAuthors(size_t n) const = 0;

  // The nodes within `hops` of `start` in the author or institution collaboration graph
  // (kCountry is InvalidArgument). NotFound when `start` is not a node of that kind.
  virtual absl::StatusOr<std::unique_ptr<NeighborhoodCursor>> Neighborhood(GraphKind graph,
                                                                           uint64_t start,
                                                                           uint32_t hops) const = 0;
  // A shortest collaboration path from `from` to `to` (both included), found by a
  // bidirectional breadth-first search that stops after `max_hops` edges; an empty vector
  // when there is none that short. The answer is deterministic: the same database gives the
  // same path.
  virtual absl::StatusOr<std::vector<PathStep>> ShortestPath(GraphKind graph, uint64_t from,
                                                             uint64_t to,
                                                             uint32_t max_hops) const = 0;
  // The same with max_hops = 12.
  absl::StatusOr<std::vector<PathStep>> ShortestPath(GraphKind graph, uint64_t from,
                                                     uint64_t to) const {
    return ShortestPath(graph, from, to, 12);
  }
};

}  // namespace collabgraph
