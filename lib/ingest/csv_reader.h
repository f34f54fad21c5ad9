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
// produced; an error names the file, line and field.
//
// Memory stays near the size of the id columns, whatever the size of the files: every table
// is read as a stream, never whole; the rows of authored.csv and affiliated.csv are kept as
// they are read (12 bytes a row), then placed by paper (8 bytes a row, grouped by paper);
// titles are not kept but read again from papers.csv, streaming, as the papers are produced.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

#include "ingest/paperlists_reader.h"
#include "model/paper_writer.h"

namespace collabgraph::ingest {

class CsvParser;

class CsvDataset : public model::RowSource {
 public:
  // Reads and checks the seven tables in `dir`.
  static absl::StatusOr<std::unique_ptr<CsvDataset>> Read(const std::string& dir);

  // Returns the whole text of the table at `path` (`dir`/<table>.csv), or an error naming it.
  using TableLoader = std::function<absl::StatusOr<std::string>(const std::string& path)>;
  // As Read(dir), with the tables' text taken from `load` (the fuzzer reads them from memory).
  // `load` is called again for papers.csv by Paper(), so it must outlive the data set.
  static absl::StatusOr<std::unique_ptr<CsvDataset>> Read(const std::string& dir,
                                                          const TableLoader& load);
  ~CsvDataset() override;

  // Counts, warnings and the content hash; `papers` stays empty.
  const ParsedFile& summary() const { return summary_; }
  size_t size() const { return papers_.size(); }
  // The i-th paper of papers.csv, with its authors in position order. Calls must come in
  // increasing order of i (papers.csv is read again as a stream, skipping to row i); the
  // error when papers.csv no longer has the id, venue and year it had when it was checked
  // names the file and line.
  absl::StatusOr<model::PaperInput> Paper(size_t i);
  // As Paper(i), made into `*paper` (the same value as Paper(i) returns), reusing the storage
  // of its strings and lists: a loader that makes every paper into the same few PaperInputs
  // allocates little once they have grown. On error `*paper` is left as it was.
  absl::Status PaperInto(size_t i, model::PaperInput* paper);

  // From now on, PaperInto gives the strings of each author and institution row only in the
  // first paper it makes with that row; later papers carry the row alone (`omitted`), for a
  // writer whose RowMemo knows the row by then, with this data set as its source for a row it
  // does not know. An author comes back 7.6 times and an institution 190 times in the
  // 1M-paper tables: copying and normalising their names at every authorship was half of the
  // time spent making papers, and the writer waited for them a quarter of a bulk load.
  void OmitGivenRows() { omit_given_rows_ = true; }
  // model::RowSource: the strings PaperInto gives for the row.
  void FillAuthor(uint32_t row, model::AuthorshipInput* a) const override;
  void FillInstitution(uint32_t row, model::InstitutionInput* inst) const override;

  // A source of a table's bytes, opened again for every pass over the table.
  class Source;
  using Opener = std::function<absl::StatusOr<std::unique_ptr<Source>>(const std::string& path)>;

 private:
  CsvDataset() = default;
  static absl::StatusOr<std::unique_ptr<CsvDataset>> ReadWith(const std::string& dir, Opener open);

  struct PaperRow {
    int64_t id;
    uint32_t venue;  // index into venues_
    int32_t year;
  };
  struct Authorship {
    uint32_t author;  // row of authors_
    int32_t position;
  };
  struct Affiliation {
    uint32_t author;  // row of authors_; kNone for a duplicate row
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
  Opener open_;
  std::string dir_;
  std::string papers_path_;
  std::unique_ptr<CsvParser> papers_stream_;  // papers.csv for Paper(), past the header
  size_t papers_stream_row_ = 0;              // the row papers_stream_ reads next
  std::vector<std::string> paper_fields_;     // the last row papers_stream_ read
  std::vector<PaperRow> papers_;
  std::vector<std::string> venues_;
  std::vector<std::string> authors_;
  std::vector<Institution> institutions_;
  std::vector<Country> countries_;  // unresolved labels have an empty code
  // Rows grouped by paper row: those of paper r are [start[r], start[r + 1]).
  std::vector<uint32_t> authored_start_;
  std::vector<Authorship> authored_;  // each paper's sorted by (position, author)
  std::vector<uint32_t> affiliated_start_;
  std::vector<Affiliation> affiliated_;  // each paper's sorted by (author, institution)
  // OmitGivenRows: the author and institution rows PaperInto has given the strings of.
  bool omit_given_rows_ = false;
  std::vector<bool> author_given_;
  std::vector<bool> institution_given_;
};

// True when `path` is a directory holding papers.csv.
bool IsCsvDataset(const std::string& path);

}  // namespace collabgraph::ingest
