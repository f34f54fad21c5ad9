#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace collabgraph {

struct IngestOptions {
  // Input format. Only "paperlists" (Paper Copilot JSON, plain or gzip) is read so far;
  // "auto" picks it for *.json and *.json.gz. Default: "auto".
  std::string format = "auto";
  // Venue and year for every file; by default taken from each file name (nips2016.json.gz).
  std::optional<std::string> venue;
  std::optional<int> year;
  // fsync the write-ahead log after every this many papers (0: only at the end of the ingest;
  // the WAL itself is always on). Default: 0.
  size_t sync_every = 0;
  // Bulk mode for large imports: papers are written in batches of `bulk_batch` papers without
  // the write-ahead log, and flushed (all column families atomically) at the end. The result
  // equals a record-by-record ingest; a crash during a bulk ingest loses the papers written
  // since the last flush, and rerunning the ingest resumes. Default: false.
  bool bulk = false;
  size_t bulk_batch = 1000;
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
  size_t authorships = 0;
  size_t authorships_with_country = 0;
  std::map<std::string, size_t> unresolved_countries;  // label -> records
  size_t warnings = 0;
};

struct IngestReport {
  std::vector<IngestFileReport> files;
  // Every warning, in file and record order.
  std::vector<IngestWarning> warnings;
};

}  // namespace collabgraph
