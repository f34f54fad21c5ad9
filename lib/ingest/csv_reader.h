#pragma once

// Reader for CollabGraph's CSV layout: a directory of seven tables with a header row each
// (docs/methodology.md, "Reading CSV tables"; the same layout ../shared/bench-anchors writes):
//
//   papers.csv        id,title,venue,year
//   authors.csv       id,name
//   institutions.csv  id,name
//   countries.csv     id,name           (English name or ISO code)
//   authored.csv      author,paper,position
//   affiliated.csv    author,paper,institution
//   located_in.csv    institution,country
//
// Ids are integers local to the directory. Fields follow RFC 4180 (quotes, "" escapes, commas
// and newlines inside quotes). The whole directory is read and checked before any paper is
// produced; an error names the file, line and field. Papers are then produced one at a time
// from compact tables, so memory stays near the size of the id columns.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

#include "ingest/paperlists_reader.h"
#include "model/paper_writer.h"

namespace collabgraph::ingest {

class CsvDataset {
 public:
  // Reads and checks the seven tables in `dir`.
  static absl::StatusOr<std::unique_ptr<CsvDataset>> Read(const std::string& dir);

  // Returns the whole text of the table at `path` (`dir`/<table>.csv), or an error naming it.
  using TableLoader = std::function<absl::StatusOr<std::string>(const std::string& path)>;
  // As Read(dir), with the tables' text taken from `load` (the fuzzer reads them from memory).
  static absl::StatusOr<std::unique_ptr<CsvDataset>> Read(const std::string& dir,
                                                          const TableLoader& load);

  // Counts, warnings and the content hash; `papers` stays empty.
  const ParsedFile& summary() const { return summary_; }
  size_t size() const { return papers_.size(); }
  // The i-th paper of papers.csv, with its authors in position order.
  model::PaperInput Paper(size_t i) const;

 private:
  struct PaperRow {
    int64_t id;
    std::string title;
    uint32_t venue;  // index into venues_
    int year;
  };
  struct Authorship {
    int64_t paper;
    int64_t position;
    uint32_t author;  // row of authors_
  };
  struct Affiliation {
    int64_t paper;
    uint32_t author;  // row of authors_
    uint32_t institution;
  };
  struct Institution {
    std::string name;
    int32_t country = -1;  // row of countries_
  };
  struct Country {
    std::string code;
    std::string name;
    std::string label;
  };

  ParsedFile summary_;
  std::vector<PaperRow> papers_;
  std::vector<std::string> venues_;
  std::vector<std::string> authors_;
  std::vector<Institution> institutions_;
  std::vector<Country> countries_;       // unresolved labels have an empty code
  std::vector<Authorship> authored_;     // sorted by (paper, position)
  std::vector<Affiliation> affiliated_;  // sorted by (paper, author, institution)
};

// True when `path` is a directory holding papers.csv.
bool IsCsvDataset(const std::string& path);

}  // namespace collabgraph::ingest
