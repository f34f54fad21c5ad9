#include "ingest/csv_reader.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <filesystem>
#include <limits>
#include <optional>
#include <thread>

#include "absl/container/flat_hash_map.h"

#include "ingest/countries.h"
#include "ingest/gzip_reader.h"
#include "util/hash.h"
#include "util/status_macros.h"
#include "util/text.h"

namespace collabgraph::ingest {

class CsvDataset::Source {
 public:
  virtual ~Source() = default;
  // Reads up to `n` bytes into `buf`; 0 at the end.
  virtual absl::StatusOr<size_t> Read(char* buf, size_t n) = 0;
};

namespace {

class FileSource : public CsvDataset::Source {
 public:
  explicit FileSource(std::unique_ptr<InputFile> file) : file_(std::move(file)) {}
  absl::StatusOr<size_t> Read(char* buf, size_t n) override { return file_->Read(buf, n); }

 private:
  std::unique_ptr<InputFile> file_;
};

class StringSource : public CsvDataset::Source {
 public:
  explicit StringSource(std::string text) : text_(std::move(text)) {}
  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    const size_t take = std::min(n, text_.size() - pos_);
    text_.copy(buf, take, pos_);
    pos_ += take;
    return take;
  }

 private:
  std::string text_;
  size_t pos_ = 0;
};

// Id -> row of an (id, ...) table. Tables whose ids count up by one from the first row (what
// `collabgraph generate` and the bench-anchors write) need no map at all: the row is id - first.
// The map is built only when a row breaks that run, so a 10M-paper table of consecutive ids
// costs nothing here instead of about 300 MB of hash table.
class IdIndex {
 public:
  // Adds `id` as the next row; false when it is already there.
  bool Add(int64_t id) {
    const auto row = static_cast<uint32_t>(rows_++);
    if (dense_) {
      if (row == 0) first_ = id;
      if (Offset(id) == row && (row == 0 || id > first_)) return true;
      dense_ = false;
      map_.reserve(row + 1);
      for (uint32_t r = 0; r < row; ++r) {
        map_.emplace(static_cast<int64_t>(static_cast<uint64_t>(first_) + r), r);
      }
    }
    return map_.emplace(id, row).second;
  }
  std::optional<uint32_t> Find(int64_t id) const {
    if (dense_) {
      if (id < first_ || Offset(id) >= rows_) return std::nullopt;
      return static_cast<uint32_t>(Offset(id));
    }
    auto it = map_.find(id);
    if (it == map_.end()) return std::nullopt;
    return it->second;
  }
  void Clear() {
    map_ = {};
    rows_ = 0;
    dense_ = true;
  }

 private:
  // id - first_, in modular arithmetic (no overflow whatever the ids).
  uint64_t Offset(int64_t id) const {
    return static_cast<uint64_t>(id) - static_cast<uint64_t>(first_);
  }

  bool dense_ = true;
  int64_t first_ = 0;
  size_t rows_ = 0;
  absl::flat_hash_map<int64_t, uint32_t> map_;
};

using IdMap = IdIndex;

}  // namespace

// Splits RFC 4180 text into records of fields, one record at a time, reading its source in
// chunks; hashes every byte it reads.
class CsvParser {
 public:
  CsvParser(std::string path, std::unique_ptr<CsvDataset::Source> source)
      : path_(std::move(path)), source_(std::move(source)), buf_(kChunk, '\0') {}

  // Reads the next record into `fields`; false at the end. `line` is its first line (1-based).
  // The strings of `fields` are reused from record to record.
  absl::StatusOr<bool> Next(std::vector<std::string>* fields, size_t* line) {
    COLLABGRAPH_RETURN_IF_ERROR(Refill());
    if (pos_ == end_) {
      fields->clear();
      return false;
    }
    *line = line_;
    size_t count = 0;
    auto next_field = [&]() -> std::string* {
      if (count == fields->size()) fields->emplace_back();
      std::string* f = &(*fields)[count++];
      f->clear();
      return f;
    };
    std::string* field = next_field();
    bool quoted = false;
    while (true) {
      if (pos_ == end_) {
        COLLABGRAPH_RETURN_IF_ERROR(Refill());
        if (pos_ == end_) break;
      }
      // A run of bytes that end nothing and start nothing is copied at once: outside quotes,
      // up to a comma, quote or line end; inside, up to a quote or line end.
      size_t run = pos_;
      if (quoted) {
        while (run < end_ && buf_[run] != '"' && buf_[run] != '\n') ++run;
      } else {
        while (run < end_ && !kSpecial[static_cast<uint8_t>(buf_[run])]) ++run;
      }
      if (run > pos_) {
        field->append(buf_, pos_, run - pos_);
        pos_ = run;
        continue;
      }
      const char c = buf_[pos_++];
      if (quoted) {
        if (c == '"') {
          COLLABGRAPH_RETURN_IF_ERROR(Refill());
          if (pos_ < end_ && buf_[pos_] == '"') {
            field->push_back('"');
            ++pos_;
          } else {
            quoted = false;
          }
        } else {
          if (c == '\n') ++line_;
          field->push_back(c);
        }
        continue;
      }
      if (c == '"') {
        if (field->empty()) {
          quoted = true;
        } else {
          field->push_back(c);
        }
      } else if (c == ',') {
        field = next_field();
      } else if (c == '\n') {
        ++line_;
        break;
      }  // else '\r', dropped
    }
    if (quoted) {
      return absl::InvalidArgumentError(path_ + ": line " + std::to_string(*line) +
                                        ": unterminated quoted field");
    }
    fields->resize(count);
    return true;
  }

  const std::string& path() const { return path_; }
  // The hash of every byte read so far: of the whole table once Next has returned false.
  uint64_t hash() const { return hash_.Finish(); }

 private:
  static constexpr size_t kChunk = size_t{1} << 18;
  // The bytes Next looks at one by one outside quotes: the rest are copied in runs.
  static constexpr std::array<bool, 256> kSpecial = [] {
    std::array<bool, 256> special{};
    for (const char c : {',', '\n', '\r', '"'}) special[static_cast<uint8_t>(c)] = true;
    return special;
  }();

  // Reads the next chunk when every byte read so far has been consumed.
  absl::Status Refill() {
    if (pos_ < end_ || at_end_) return absl::OkStatus();
    COLLABGRAPH_ASSIGN_OR_RETURN(size_t n, source_->Read(buf_.data(), buf_.size()));
    pos_ = 0;
    end_ = n;
    at_end_ = n == 0;
    hash_.Update(std::string_view(buf_.data(), n));
    return absl::OkStatus();
  }

  std::string path_;
  std::unique_ptr<CsvDataset::Source> source_;
  std::string buf_;
  size_t pos_ = 0;
  size_t end_ = 0;
  bool at_end_ = false;
  size_t line_ = 1;
  util::StreamHash64 hash_;
};

CsvDataset::~CsvDataset() = default;

namespace {

struct Table {
  std::string path;
  std::unique_ptr<CsvParser> parser;
};

// Opens `dir`/`name`.csv and checks its header row.
absl::StatusOr<Table> OpenTable(const CsvDataset::Opener& open, const std::string& dir,
                                const std::string& name, const std::vector<std::string>& header) {
  Table t;
  t.path = (std::filesystem::path(dir) / (name + ".csv")).string();
  COLLABGRAPH_ASSIGN_OR_RETURN(std::unique_ptr<CsvDataset::Source> source, open(t.path));
  t.parser = std::make_unique<CsvParser>(t.path, std::move(source));
  std::vector<std::string> fields;
  size_t line = 0;
  COLLABGRAPH_ASSIGN_OR_RETURN(bool any, t.parser->Next(&fields, &line));
  std::vector<std::string> got;
  got.reserve(fields.size());
  for (auto& f : fields) got.emplace_back(util::Trim(f));
  if (!any || got != header) {
    std::string want;
    for (const auto& h : header) want += (want.empty() ? "" : ",") + h;
    return absl::InvalidArgumentError(t.path + ": line 1: the header must be \"" + want + "\"");
  }
  return t;
}

std::string At(const std::string& path, size_t line) {
  return path + ": line " + std::to_string(line);
}

absl::StatusOr<int64_t> Int(const std::string& path, size_t line, const std::string& field,
                            std::string_view column) {
  std::string_view s = util::Trim(field);
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) {
    return absl::InvalidArgumentError(At(path, line) + ": field \"" + std::string(column) +
                                      "\" must be an integer, found \"" + std::string(s) + "\"");
  }
  return v;
}

// Reads every record of `parser`, skipping blank lines and checking the field count, and calls
// `fn(fields, line)`.
template <typename Fn>
absl::Status ForEachRow(CsvParser& parser, size_t columns, const Fn& fn) {
  std::vector<std::string> fields;
  size_t line = 0;
  while (true) {
    COLLABGRAPH_ASSIGN_OR_RETURN(bool more, parser.Next(&fields, &line));
    if (!more) return absl::OkStatus();
    if (fields.size() == 1 && util::Trim(fields[0]).empty()) continue;  // blank line
    if (fields.size() != columns) {
      return absl::InvalidArgumentError(At(parser.path(), line) + ": expected " +
                                        std::to_string(columns) + " fields, found " +
                                        std::to_string(fields.size()));
    }
    COLLABGRAPH_RETURN_IF_ERROR(fn(fields, line));
  }
}

// Reads an (id, name) table into rows, with a map from id to row.
absl::Status ReadNames(Table& t, std::vector<std::string>* names, IdMap* row_of) {
  return ForEachRow(*t.parser, 2, [&](std::vector<std::string>& f, size_t line) -> absl::Status {
    COLLABGRAPH_ASSIGN_OR_RETURN(int64_t id, Int(t.path, line, f[0], "id"));
    if (names->size() >= std::numeric_limits<uint32_t>::max()) {
      return absl::InvalidArgumentError(At(t.path, line) + ": more than 4294967294 rows");
    }
    if (!row_of->Add(id)) {
      return absl::InvalidArgumentError(At(t.path, line) + ": duplicate id " + std::to_string(id));
    }
    names->emplace_back(util::Trim(f[1]));
    return absl::OkStatus();
  });
}

// Reads a link table (authored or affiliated) once: `parse(fields, line, &row)` checks a
// record (every reference, reporting errors) and returns its paper row, with the record's
// Row in `row`. Afterwards the records of paper row r are rows[start[r], start[r + 1]).
// Returns the table's hash. The records are kept in the order read (12 bytes each, in chunks,
// so that nothing is copied as they grow), then placed by paper: the table was read twice
// before, counting then placing, and the second reading, with its lookups of every id again,
// was a third of the reading of the 1M-paper tables.
template <typename Row, typename Parse>
absl::StatusOr<uint64_t> ReadGrouped(const CsvDataset::Opener& open, const std::string& dir,
                                     const std::string& name,
                                     const std::vector<std::string>& header, size_t papers,
                                     const Parse& parse, std::vector<uint32_t>* start,
                                     std::vector<Row>* rows) {
  struct Record {
    uint32_t paper;
    Row row;
  };
  constexpr size_t kChunk = size_t{1} << 16;
  std::vector<std::unique_ptr<Record[]>> chunks;
  uint64_t total = 0;
  COLLABGRAPH_ASSIGN_OR_RETURN(Table table, OpenTable(open, dir, name, header));
  COLLABGRAPH_RETURN_IF_ERROR(ForEachRow(
      *table.parser, header.size(), [&](std::vector<std::string>& f, size_t line) -> absl::Status {
        Row row{};
        COLLABGRAPH_ASSIGN_OR_RETURN(uint32_t r, parse(f, line, &row));
        if (total >= std::numeric_limits<uint32_t>::max()) {
          return absl::InvalidArgumentError(At(table.path, line) + ": more than 4294967295 rows");
        }
        if (total % kChunk == 0) chunks.push_back(std::make_unique<Record[]>(kChunk));
        chunks.back()[total % kChunk] = {r, row};
        ++total;
        return absl::OkStatus();
      }));
  const uint64_t hash = table.parser->hash();
  table.parser.reset();
  auto for_each_record = [&](const auto& fn) {
    for (uint64_t k = 0; k < total; ++k) fn(chunks[k / kChunk][k % kChunk]);
  };
  // Count the rows of each paper into start[r + 1]; then start[r + 1] = the end of paper r's
  // rows, and placing a row of paper r moves it back by one, so that it ends at the start of
  // paper r's rows.
  start->assign(papers + 1, 0);
  for_each_record([&](const Record& rec) { ++(*start)[rec.paper + 1]; });
  for (size_t r = 0; r < papers; ++r) (*start)[r + 1] += (*start)[r];
  rows->clear();
  rows->resize(total);
  rows->shrink_to_fit();
  for_each_record([&](const Record& rec) { (*rows)[--(*start)[rec.paper + 1]] = rec.row; });
  chunks.clear();  // frees them
  // start[r + 1] is now the start of paper r's rows: shift by one.
  for (size_t r = 0; r < papers; ++r) (*start)[r] = (*start)[r + 1];
  (*start)[papers] = static_cast<uint32_t>(total);
  return hash;
}

}  // namespace

bool IsCsvDataset(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_directory(path, ec) &&
         std::filesystem::exists(std::filesystem::path(path) / "papers.csv", ec);
}

absl::StatusOr<std::unique_ptr<CsvDataset>> CsvDataset::Read(const std::string& dir) {
  return ReadWith(dir, [](const std::string& path) -> absl::StatusOr<std::unique_ptr<Source>> {
    COLLABGRAPH_ASSIGN_OR_RETURN(std::unique_ptr<InputFile> file, InputFile::Open(path));
    return std::make_unique<FileSource>(std::move(file));
  });
}

absl::StatusOr<std::unique_ptr<CsvDataset>> CsvDataset::Read(const std::string& dir,
                                                             const TableLoader& load) {
  return ReadWith(dir, [load](const std::string& path) -> absl::StatusOr<std::unique_ptr<Source>> {
    COLLABGRAPH_ASSIGN_OR_RETURN(std::string text, load(path));
    return std::make_unique<StringSource>(std::move(text));
  });
}

absl::StatusOr<std::unique_ptr<CsvDataset>> CsvDataset::ReadWith(const std::string& dir,
                                                                 Opener open) {
  std::unique_ptr<CsvDataset> d(new CsvDataset());
  d->open_ = std::move(open);
  d->dir_ = dir;
  const Opener& opener = d->open_;
  ParsedFile& s = d->summary_;
  s.path = dir;
  s.content_hash = 1469598103934665603ull;
  auto mix = [&](uint64_t h) {
    s.content_hash ^= h;
    s.content_hash *= 1099511628211ull;
  };

  // Countries, institutions, authors.
  COLLABGRAPH_ASSIGN_OR_RETURN(Table countries,
                               OpenTable(opener, dir, "countries", {"id", "name"}));
  std::vector<std::string> country_names;
  IdMap country_row;
  COLLABGRAPH_RETURN_IF_ERROR(ReadNames(countries, &country_names, &country_row));
  for (const std::string& label : country_names) {
    Country c;
    c.label = label;
    if (const CountryRow* row = ResolveCountry(label); row != nullptr) {
      c.code = std::string(row->code);
      c.name = std::string(row->name);
    } else if (!IsUnknownCountryLabel(label)) {
      ++s.unresolved_countries[label];
    }
    d->countries_.push_back(std::move(c));
  }
  mix(countries.parser->hash());
  countries.parser.reset();

  COLLABGRAPH_ASSIGN_OR_RETURN(Table insts, OpenTable(opener, dir, "institutions", {"id", "name"}));
  std::vector<std::string> inst_names;
  IdMap inst_row;
  COLLABGRAPH_RETURN_IF_ERROR(ReadNames(insts, &inst_names, &inst_row));
  for (auto& n : inst_names) d->institutions_.push_back({std::move(n), -1});
  inst_names = {};
  mix(insts.parser->hash());
  insts.parser.reset();

  COLLABGRAPH_ASSIGN_OR_RETURN(Table located,
                               OpenTable(opener, dir, "located_in", {"institution", "country"}));
  COLLABGRAPH_RETURN_IF_ERROR(
      ForEachRow(*located.parser, 2, [&](std::vector<std::string>& f, size_t line) -> absl::Status {
        COLLABGRAPH_ASSIGN_OR_RETURN(int64_t i, Int(located.path, line, f[0], "institution"));
        COLLABGRAPH_ASSIGN_OR_RETURN(int64_t c, Int(located.path, line, f[1], "country"));
        const std::optional<uint32_t> ir = inst_row.Find(i);
        const std::optional<uint32_t> cr = country_row.Find(c);
        if (!ir) {
          return absl::InvalidArgumentError(At(located.path, line) + ": institution " +
                                            std::to_string(i) + " is not in institutions.csv");
        }
        if (!cr) {
          return absl::InvalidArgumentError(At(located.path, line) + ": country " +
                                            std::to_string(c) + " is not in countries.csv");
        }
        d->institutions_[*ir].country = static_cast<int32_t>(*cr);
        return absl::OkStatus();
      }));
  mix(located.parser->hash());
  located.parser.reset();

  // Authors are read beside the papers (neither reads the other); an error of authors.csv is
  // reported first, as when they were read in turn.
  IdMap author_row;
  absl::StatusOr<uint64_t> authors_hash = absl::UnknownError("not read");
  std::thread authors_reader([&] {
    authors_hash = [&]() -> absl::StatusOr<uint64_t> {
      COLLABGRAPH_ASSIGN_OR_RETURN(Table authors,
                                   OpenTable(opener, dir, "authors", {"id", "name"}));
      COLLABGRAPH_RETURN_IF_ERROR(ReadNames(authors, &d->authors_, &author_row));
      d->authors_.shrink_to_fit();
      return authors.parser->hash();
    }();
  });

  // Papers: ids, venues and years; the titles are read again by Paper().
  IdMap paper_row;
  absl::StatusOr<uint64_t> papers_hash = [&]() -> absl::StatusOr<uint64_t> {
    COLLABGRAPH_ASSIGN_OR_RETURN(
        Table papers, OpenTable(opener, dir, "papers", {"id", "title", "venue", "year"}));
    d->papers_path_ = papers.path;
    absl::flat_hash_map<std::string, uint32_t> venue_index;
    COLLABGRAPH_RETURN_IF_ERROR(ForEachRow(
        *papers.parser, 4, [&](std::vector<std::string>& f, size_t line) -> absl::Status {
          COLLABGRAPH_ASSIGN_OR_RETURN(int64_t id, Int(papers.path, line, f[0], "id"));
          COLLABGRAPH_ASSIGN_OR_RETURN(int64_t year, Int(papers.path, line, f[3], "year"));
          if (year < 1000 || year > 9999) {
            return absl::InvalidArgumentError(At(papers.path, line) + ": year " +
                                              std::to_string(year) +
                                              " is out of range (1000-9999)");
          }
          const std::string venue(util::Trim(f[2]));
          if (venue.empty()) {
            return absl::InvalidArgumentError(At(papers.path, line) + ": field \"venue\" is empty");
          }
          if (d->papers_.size() >= std::numeric_limits<uint32_t>::max()) {
            return absl::InvalidArgumentError(At(papers.path, line) +
                                              ": more than 4294967294 rows");
          }
          if (!paper_row.Add(id)) {
            return absl::InvalidArgumentError(At(papers.path, line) + ": duplicate paper id " +
                                              std::to_string(id));
          }
          auto [it, inserted] =
              venue_index.emplace(venue, static_cast<uint32_t>(d->venues_.size()));
          if (inserted) d->venues_.push_back(venue);
          d->papers_.push_back({id, it->second, static_cast<int32_t>(year)});
          return absl::OkStatus();
        }));
    return papers.parser->hash();
  }();
  authors_reader.join();
  COLLABGRAPH_RETURN_IF_ERROR(authors_hash.status());
  COLLABGRAPH_RETURN_IF_ERROR(papers_hash.status());
  mix(*authors_hash);
  mix(*papers_hash);
  d->papers_.shrink_to_fit();
  s.records = d->papers_.size();
  const size_t n = d->papers_.size();

  // Authorships, grouped by paper.
  auto reference = [&](const IdMap& map, int64_t id, const std::string& path, size_t line,
                       const char* what, const char* table) -> absl::StatusOr<uint32_t> {
    const std::optional<uint32_t> row = map.Find(id);
    if (!row) {
      return absl::InvalidArgumentError(At(path, line) + ": " + what + " " + std::to_string(id) +
                                        " is not in " + table);
    }
    return *row;
  };
  // The two link tables are read side by side (they only read the maps above); an error of
  // authored.csv is reported before one of affiliated.csv, as when they were read in turn.
  const std::string affiliated_path = (std::filesystem::path(dir) / "affiliated.csv").string();
  absl::StatusOr<uint64_t> affiliated_hash = absl::UnknownError("not read");
  std::thread affiliated_reader([&] {
    affiliated_hash = ReadGrouped(
        opener, dir, "affiliated", {"author", "paper", "institution"}, n,
        [&](std::vector<std::string>& f, size_t line,
            Affiliation* row) -> absl::StatusOr<uint32_t> {
          COLLABGRAPH_ASSIGN_OR_RETURN(int64_t a, Int(affiliated_path, line, f[0], "author"));
          COLLABGRAPH_ASSIGN_OR_RETURN(int64_t p, Int(affiliated_path, line, f[1], "paper"));
          COLLABGRAPH_ASSIGN_OR_RETURN(int64_t i, Int(affiliated_path, line, f[2], "institution"));
          COLLABGRAPH_ASSIGN_OR_RETURN(row->author, reference(author_row, a, affiliated_path, line,
                                                              "author", "authors.csv"));
          COLLABGRAPH_ASSIGN_OR_RETURN(
              uint32_t r, reference(paper_row, p, affiliated_path, line, "paper", "papers.csv"));
          COLLABGRAPH_ASSIGN_OR_RETURN(
              row->institution,
              reference(inst_row, i, affiliated_path, line, "institution", "institutions.csv"));
          return r;
        },
        &d->affiliated_start_, &d->affiliated_);
  });
  const std::string authored_path = (std::filesystem::path(dir) / "authored.csv").string();
  absl::StatusOr<uint64_t> authored_hash = ReadGrouped(
      opener, dir, "authored", {"author", "paper", "position"}, n,
      [&](std::vector<std::string>& f, size_t line, Authorship* row) -> absl::StatusOr<uint32_t> {
        COLLABGRAPH_ASSIGN_OR_RETURN(int64_t a, Int(authored_path, line, f[0], "author"));
        COLLABGRAPH_ASSIGN_OR_RETURN(int64_t p, Int(authored_path, line, f[1], "paper"));
        COLLABGRAPH_ASSIGN_OR_RETURN(int64_t pos, Int(authored_path, line, f[2], "position"));
        COLLABGRAPH_ASSIGN_OR_RETURN(
            row->author, reference(author_row, a, authored_path, line, "author", "authors.csv"));
        if (pos < std::numeric_limits<int32_t>::min() ||
            pos > std::numeric_limits<int32_t>::max()) {
          return absl::InvalidArgumentError(At(authored_path, line) + ": position " +
                                            std::to_string(pos) +
                                            " is out of range (a 32-bit integer)");
        }
        row->position = static_cast<int32_t>(pos);
        return reference(paper_row, p, authored_path, line, "paper", "papers.csv");
      },
      &d->authored_start_, &d->authored_);
  affiliated_reader.join();
  COLLABGRAPH_RETURN_IF_ERROR(authored_hash.status());
  COLLABGRAPH_RETURN_IF_ERROR(affiliated_hash.status());
  mix(*authored_hash);
  mix(*affiliated_hash);
  paper_row.Clear();
  author_row.Clear();

  // Order each paper's rows; mark repeated affiliations; check and count.
  constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
  for (size_t r = 0; r < n; ++r) {
    const auto au_begin = d->authored_.begin() + d->authored_start_[r];
    const auto au_end = d->authored_.begin() + d->authored_start_[r + 1];
    std::sort(au_begin, au_end, [](const Authorship& x, const Authorship& y) {
      return std::tie(x.position, x.author) < std::tie(y.position, y.author);
    });
    const auto af_begin = d->affiliated_.begin() + d->affiliated_start_[r];
    const auto af_end = d->affiliated_.begin() + d->affiliated_start_[r + 1];
    std::sort(af_begin, af_end, [](const Affiliation& x, const Affiliation& y) {
      return std::tie(x.author, x.institution) < std::tie(y.author, y.institution);
    });
    // Repeats are adjacent; the first of a run stays. (kNone sorts nowhere: it is set after.)
    for (auto it = af_end; it - af_begin > 1; --it) {
      auto cur = it - 1;
      auto prev = it - 2;
      if (cur->author == prev->author && cur->institution == prev->institution) {
        cur->author = kNone;
      }
    }
    // An affiliation must belong to an authorship of its paper.
    for (auto af = af_begin; af != af_end; ++af) {
      if (af->author == kNone) continue;
      const bool found = std::any_of(au_begin, au_end,
                                     [&](const Authorship& a) { return a.author == af->author; });
      if (!found) {
        s.warnings.push_back(
            {0, std::to_string(d->papers_[r].id),
             "affiliated.csv: author \"" + d->authors_[af->author] +
                 "\" has an affiliation on this paper but is not among its authors (ignored)"});
      }
    }
    for (auto a = au_begin; a != au_end; ++a) {
      ++s.authorships;
      for (auto af = af_begin; af != af_end; ++af) {
        if (af->author != a->author) continue;
        const int32_t c = d->institutions_[af->institution].country;
        if (c >= 0 && !d->countries_[static_cast<size_t>(c)].code.empty()) {
          ++s.authorships_with_country;
          break;
        }
      }
    }
  }
  return d;
}

absl::StatusOr<model::PaperInput> CsvDataset::Paper(size_t i) {
  model::PaperInput p;
  COLLABGRAPH_RETURN_IF_ERROR(PaperInto(i, &p));
  return p;
}

absl::Status CsvDataset::PaperInto(size_t i, model::PaperInput* paper) {
  if (i >= papers_.size()) {
    return absl::OutOfRangeError(papers_path_ + ": there is no paper row " + std::to_string(i));
  }
  // Read papers.csv again, as a stream, up to row i: the title is not kept in memory.
  if (papers_stream_ == nullptr || i < papers_stream_row_) {
    papers_stream_.reset();
    COLLABGRAPH_ASSIGN_OR_RETURN(
        Table t, OpenTable(open_, dir_, "papers", {"id", "title", "venue", "year"}));
    papers_stream_ = std::move(t.parser);
    papers_stream_row_ = 0;
  }
  const PaperRow& row = papers_[i];
  size_t line = 0;
  std::string title;
  while (papers_stream_row_ <= i) {
    COLLABGRAPH_ASSIGN_OR_RETURN(bool more, papers_stream_->Next(&paper_fields_, &line));
    const std::vector<std::string>& fields = paper_fields_;
    if (!more) {
      return absl::FailedPreconditionError(
          papers_path_ + ": ends before paper row " + std::to_string(i) +
          ": the file changed after it was checked; run the ingest again to finish it");
    }
    if (fields.size() == 1 && util::Trim(fields[0]).empty()) continue;  // blank line
    if (papers_stream_row_ == i) {
      int64_t id = 0;
      int64_t year = 0;
      const std::string_view idf = fields.size() == 4 ? util::Trim(fields[0]) : "";
      const std::string_view yf = fields.size() == 4 ? util::Trim(fields[3]) : "";
      const bool same =
          fields.size() == 4 &&
          std::from_chars(idf.data(), idf.data() + idf.size(), id).ec == std::errc() &&
          std::from_chars(yf.data(), yf.data() + yf.size(), year).ec == std::errc() &&
          id == row.id && year == row.year && util::Trim(fields[2]) == venues_[row.venue];
      if (!same) {
        return absl::FailedPreconditionError(
            At(papers_path_, line) +
            ": the file changed after it was checked (the id, venue or year differ); run the "
            "ingest again to finish it");
      }
      title = std::string(util::Trim(fields[1]));
    }
    ++papers_stream_row_;
  }

  if (omit_given_rows_) {
    author_given_.resize(authors_.size(), false);
    institution_given_.resize(institutions_.size(), false);
  }
  // The names of the next paper's rows (those whose strings it gives) start on their way into
  // the cache while this one is made: read when needed, each was a cache miss (at 1M papers,
  // the copy of the author's name was 8.5% of the writing thread's time).
  if (i + 1 < papers_.size()) {
    for (uint32_t r = authored_start_[i + 1]; r < authored_start_[i + 2]; ++r) {
      if (omit_given_rows_ && author_given_[authored_[r].author]) continue;
      const std::string& name = authors_[authored_[r].author];
      __builtin_prefetch(&name);
      __builtin_prefetch(name.data());
    }
    for (uint32_t r = affiliated_start_[i + 1]; r < affiliated_start_[i + 2]; ++r) {
      if (omit_given_rows_ && institution_given_[affiliated_[r].institution]) continue;
      const std::string& name = institutions_[affiliated_[r].institution].name;
      __builtin_prefetch(&name);
      __builtin_prefetch(name.data());
    }
  }
  // Every field is assigned, so that nothing of the paper made into *paper before stays.
  paper->venue.assign(venues_[row.venue]);
  paper->year = row.year;
  paper->source_id = std::to_string(row.id);
  paper->props = model::Properties();
  if (!title.empty()) paper->props.Set("title", std::move(title));
  paper->tags.clear();
  const auto af_begin = affiliated_.begin() + affiliated_start_[i];
  const auto af_end = affiliated_.begin() + affiliated_start_[i + 1];
  const auto au_begin = authored_.begin() + authored_start_[i];
  const auto au_end = authored_.begin() + authored_start_[i + 1];
  paper->authorships.resize(static_cast<size_t>(au_end - au_begin));
  auto a = paper->authorships.begin();
  for (auto it = au_begin; it != au_end; ++it, ++a) {
    a->row = it->author;
    if (omit_given_rows_ && author_given_[it->author]) {
      a->omitted = true;
      a->name.clear();
      a->key.clear();
      a->external_ids.clear();
    } else {
      a->omitted = false;
      FillAuthor(it->author, &*a);
      if (omit_given_rows_) author_given_[it->author] = true;
    }
    size_t count = 0;
    for (auto f = af_begin; f != af_end; ++f) count += f->author == it->author ? 1 : 0;
    a->institutions.resize(count);
    auto in = a->institutions.begin();
    for (auto f = af_begin; f != af_end; ++f) {
      if (f->author != it->author) continue;
      in->paper_level = false;
      in->row = f->institution;
      if (omit_given_rows_ && institution_given_[f->institution]) {
        in->omitted = true;
        for (std::string* field :
             {&in->name, &in->key, &in->country_code, &in->country_name, &in->country_label,
              &in->country_resolution, &in->region_code, &in->region_name}) {
          field->clear();
        }
      } else {
        in->omitted = false;
        FillInstitution(f->institution, &*in);
        if (omit_given_rows_) institution_given_[f->institution] = true;
      }
      ++in;
    }
  }
  return absl::OkStatus();
}

void CsvDataset::FillAuthor(uint32_t row, model::AuthorshipInput* a) const {
  a->name.assign(authors_[row]);
  a->key.assign("name:");
  a->key.append(util::NormalizeKey(a->name));
  a->external_ids.clear();
}

void CsvDataset::FillInstitution(uint32_t row, model::InstitutionInput* in) const {
  const Institution& inst = institutions_[row];
  in->name.assign(inst.name);
  in->key.assign(util::NormalizeKey(inst.name));
  in->country_code.clear();
  in->country_name.clear();
  in->country_label.clear();
  if (inst.country >= 0) {
    const Country& c = countries_[static_cast<size_t>(inst.country)];
    in->country_code.assign(c.code);
    in->country_name.assign(c.name);
    if (!c.code.empty()) in->country_label.assign(c.label);
  }
  in->country_resolution.clear();
  in->region_code.clear();
  in->region_name.clear();
}

}  // namespace collabgraph::ingest
