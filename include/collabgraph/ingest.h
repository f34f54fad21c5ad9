#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace collabgraph {

// Where a running ingest is (IngestOptions::progress).
struct IngestProgress {
  enum class Phase { kRead, kWrite };
  Phase phase = Phase::kRead;
  size_t files_done = 0;  // read phase: files parsed and checked
  size_t files_total = 0;
  uint64_t bytes_done = 0;  // read phase: bytes (as stored, compressed or not) of those files
  uint64_t bytes_total = 0;
  size_t papers_done = 0;  // write phase: papers applied (written or already present)
  size_t papers_total = 0;
  double seconds = 0;  // since the ingest started
};

struct IngestOptions {
  // Input format: "paperlists" (Paper Copilot JSON, plain or gzip), "csv" (a directory of the
  // seven CSV tables of docs/methodology.md), or "auto": csv for a directory holding
  // papers.csv, paperlists for *.json and *.json.gz. Default: "auto".
  std::string format = "auto";
  // Venue and year for every file; by default taken from each file name (nips2016.json.gz).
  std::optional<std::string> venue;
  std::optional<int> year;
  // fsync the write-ahead log after every this many papers (0: only at the end of the ingest;
  // the WAL itself is always on). Default: 0.
  size_t sync_every = 0;
  // Bulk mode for large imports: every `bulk_batch` papers are sorted and ingested into RocksDB
  // as SST files in one atomic, durable step, bypassing memtables and the write-ahead log (on
  // a thread of its own while the next batch is built); the index is merged into one sorted
  // run at the end, the edges into a few, most of them during the load (docs/format.md, "Bulk
  // mode"). The result equals a record-by-record ingest; a crash loses at most the batch in
  // flight and the one being built, and rerunning the ingest resumes. Default: false.
  bool bulk = false;
  // Papers per bulk batch, at least: a batch runs on to the end of a roster chunk (up to 63
  // more papers; docs/format.md).
  size_t bulk_batch = 20000;
  // Tag papers by matching a lexicon on title and abstract (TAGGED edges). Default: true.
  bool tag = true;
  // A lexicon file ("kind tag: phrase | phrase" per line; docs/methodology.md, "Tags"); empty:
  // the shipped lexicon.
  std::string lexicon_path;
  // Resolve the country of affiliations the source gives without one (records or files with no
  // country fields), by university name, e-mail domain and country names. Default: true.
  bool resolve_countries = true;
  // The Hipo world universities list (JSON, plain or gzip) used to resolve countries of
  // affiliations that come without one (e.g. nips2021): by university name and e-mail domain.
  // Empty: resolve by company domains, country top-level domains and country names only.
  std::string universities_path;
  // An author override file (docs/methodology.md, "Author overrides"): "merge: A | B" lines
  // make several names or ids one author, "split: NAME @ INSTITUTION" lines tell homonyms
  // apart by affiliation. Applies to the papers this ingest writes. Empty: none.
  std::string author_overrides_path;
  // Leave bad records out (each reported as a warning, counted in IngestFileReport::skipped)
  // instead of failing the whole ingest. A file that cannot be read at all (missing, not
  // JSON at its start) is still an error. Default: false.
  bool skip_bad = false;
  // Caps on absurd input; a record over a cap is bad input (an error, or skipped with
  // skip_bad): bytes of one text field, bytes of text of one record, authors of one paper,
  // nesting depth of one JSON record.
  size_t max_field_bytes = size_t{4} << 20;
  size_t max_record_bytes = size_t{16} << 20;
  size_t max_authors = 10000;
  size_t max_depth = 64;
  // Called now and then while reading (after each file) and writing (every 1,000 papers), and
  // at the end of each phase; from one thread at a time. Empty: no calls.
  std::function<void(const IngestProgress&)> progress;
};

struct IngestWarning {
  std::string file;
  size_t record = 0;
  std::string id;
  std::string message;
};

struct IngestFileReport {
  std::string path;
  std::string venue;
  int year = 0;
  size_t records = 0;            // records in the file
  size_t papers = 0;             // distinct papers in the file after merging duplicates
  size_t added = 0;              // papers written by this ingest
  size_t already_present = 0;    // papers the database already had (left unchanged)
  size_t merged_duplicates = 0;  // records merged into an earlier record with the same id
  size_t derived_ids = 0;        // records without an id, identified by their title
  size_t rejected = 0;           // papers with a rejected/withdrawn status
  size_t skipped = 0;            // bad records left out (IngestOptions::skip_bad)
  size_t authorships = 0;
  size_t authorships_with_country = 0;
  std::map<std::string, size_t> unresolved_countries;  // label -> records
  size_t warnings = 0;
};

struct IngestReport {
  // Universities loaded from IngestOptions::universities_path (0 when none).
  size_t universities = 0;
  std::vector<IngestFileReport> files;
  // Authorships whose identity an author override changed (IngestOptions).
  size_t author_overrides_applied = 0;
  // Every warning, in file and record order.
  std::vector<IngestWarning> warnings;
};

}  // namespace collabgraph
