#include "ingest/csv_reader.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <unordered_map>

#include "ingest/countries.h"
#include "ingest/gzip_reader.h"
#include "util/hash.h"
#include "util/status_macros.h"
#include "util/text.h"

namespace collabgraph::ingest {

namespace {

// Splits RFC 4180 text into records of fields, one record at a time.
class CsvParser {
 public:
  CsvParser(std::string path, std::string text) : path_(std::move(path)), text_(std::move(text)) {}

  // Reads the next record into `fields`; false at the end. `line` is its first line (1-based).
  absl::StatusOr<bool> Next(std::vector<std::string>* fields, size_t* line) {
    fields->clear();
    if (pos_ >= text_.size()) return false;
    *line = line_;
    std::string field;
    bool quoted = false;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (quoted) {
        if (c == '"') {
          if (pos_ < text_.size() && text_[pos_] == '"') {
            field.push_back('"');
            ++pos_;
          } else {
            quoted = false;
          }
        } else {
          if (c == '\n') ++line_;
          field.push_back(c);
        }
        continue;
      }
      if (c == '"' && field.empty()) {
        quoted = true;
      } else if (c == ',') {
        fields->push_back(std::move(field));
        field.clear();
      } else if (c == '\n') {
        ++line_;
        break;
      } else if (c != '\r') {
        field.push_back(c);
      }
    }
    if (quoted) {
      return absl::InvalidArgumentError(path_ + ": line " + std::to_string(*line) +
                                        ": unterminated quoted field");
    }
    fields->push_back(std::move(field));
    return true;
  }

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string text_;
  size_t pos_ = 0;
  size_t line_ = 1;
};

struct Table {
  std::string path;
  std::unique_ptr<CsvParser> parser;
  uint64_t hash = 0;
};

absl::StatusOr<Table> OpenTable(const CsvDataset::TableLoader& load, const std::string& dir,
                                const std::string& name, const std::vector<std::string>& header) {
  Table t;
  t.path = (std::filesystem::path(dir) / (name + ".csv")).string();
  COLLABGRAPH_ASSIGN_OR_RETURN(std::string text, load(t.path));
  t.hash = util::Hash64(text);
  t.parser = std::make_unique<CsvParser>(t.path, std::move(text));
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

std::string At(const Table& t, size_t line) { return t.path + ": line " + std::to_string(line); }

absl::StatusOr<int64_t> Int(const Table& t, size_t line, const std::string& field,
                            std::string_view column) {
  std::string_view s = util::Trim(field);
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) {
    return absl::InvalidArgumentError(At(t, line) + ": field \"" + std::string(column) +
                                      "\" must be an integer, found \"" + std::string(s) + "\"");
  }
  return v;
}

// Reads every record of `t`, checking the field count, and calls `fn(fields, line)`.
absl::Status ForEachRow(Table& t, size_t columns,
                        const std::function<absl::Status(std::vector<std::string>&, size_t)>& fn) {
  std::vector<std::string> fields;
  size_t line = 0;
  while (true) {
    COLLABGRAPH_ASSIGN_OR_RETURN(bool more, t.parser->Next(&fields, &line));
    if (!more) return absl::OkStatus();
    if (fields.size() == 1 && util::Trim(fields[0]).empty()) continue;  // blank line
    if (fields.size() != columns) {
      return absl::InvalidArgumentError(At(t, line) + ": expected " + std::to_string(columns) +
                                        " fields, found " + std::to_string(fields.size()));
    }
    COLLABGRAPH_RETURN_IF_ERROR(fn(fields, line));
  }
}

// Reads an (id, name) table into rows, with a map from id to row.
absl::Status ReadNames(Table& t, std::vector<std::string>* names,
                       std::unordered_map<int64_t, uint32_t>* row_of) {
  return ForEachRow(t, 2, [&](std::vector<std::string>& f, size_t line) -> absl::Status {
    COLLABGRAPH_ASSIGN_OR_RETURN(int64_t id, Int(t, line, f[0], "id"));
    if (!row_of->emplace(id, static_cast<uint32_t>(names->size())).second) {
      return absl::InvalidArgumentError(At(t, line) + ": duplicate id " + std::to_string(id));
    }
    names->emplace_back(util::Trim(f[1]));
    return absl::OkStatus();
  });
}

}  // namespace

bool IsCsvDataset(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_directory(path, ec) &&
         std::filesystem::exists(std::filesystem::path(path) / "papers.csv", ec);
}

absl::StatusOr<std::unique_ptr<CsvDataset>> CsvDataset::Read(const std::string& dir) {
  return Read(dir, [](const std::string& path) { return ReadMaybeGzipFile(path); });
}

absl::StatusOr<std::unique_ptr<CsvDataset>> CsvDataset::Read(const std::string& dir,
                                                             const TableLoader& load) {
  std::unique_ptr<CsvDataset> d(new CsvDataset());
  ParsedFile& s = d->summary_;
  s.path = dir;
  s.content_hash = 1469598103934665603ull;
  auto mix = [&](uint64_t h) {
    s.content_hash ^= h;
    s.content_hash *= 1099511628211ull;
  };

  // Countries, institutions, authors.
  COLLABGRAPH_ASSIGN_OR_RETURN(Table countries, OpenTable(load, dir, "countries", {"id", "name"}));
  std::vector<std::string> country_names;
  std::unordered_map<int64_t, uint32_t> country_row;
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
  mix(countries.hash);
  // Each table's text is dropped as soon as it is parsed (the 10M-paper soak held 2 GB of CSV
  // text until the end of Read, beside the tables built from it).
  countries.parser.reset();

  COLLABGRAPH_ASSIGN_OR_RETURN(Table insts, OpenTable(load, dir, "institutions", {"id", "name"}));
  std::vector<std::string> inst_names;
  std::unordered_map<int64_t, uint32_t> inst_row;
  COLLABGRAPH_RETURN_IF_ERROR(ReadNames(insts, &inst_names, &inst_row));
  for (auto& n : inst_names) d->institutions_.push_back({std::move(n), -1});
  mix(insts.hash);
  insts.parser.reset();

  COLLABGRAPH_ASSIGN_OR_RETURN(Table located,
                               OpenTable(load, dir, "located_in", {"institution", "country"}));
  COLLABGRAPH_RETURN_IF_ERROR(
      ForEachRow(located, 2, [&](std::vector<std::string>& f, size_t line) -> absl::Status {
        COLLABGRAPH_ASSIGN_OR_RETURN(int64_t i, Int(located, line, f[0], "institution"));
        COLLABGRAPH_ASSIGN_OR_RETURN(int64_t c, Int(located, line, f[1], "country"));
        auto ir = inst_row.find(i);
        auto cr = country_row.find(c);
        if (ir == inst_row.end()) {
          return absl::InvalidArgumentError(At(located, line) + ": institution " +
                                            std::to_string(i) + " is not in institutions.csv");
        }
        if (cr == country_row.end()) {
          return absl::InvalidArgumentError(At(located, line) + ": country " + std::to_string(c) +
                                            " is not in countries.csv");
        }
        d->institutions_[ir->second].country = static_cast<int32_t>(cr->second);
        return absl::OkStatus();
      }));
  mix(located.hash);
  located.parser.reset();

  COLLABGRAPH_ASSIGN_OR_RETURN(Table authors, OpenTable(load, dir, "authors", {"id", "name"}));
  std::unordered_map<int64_t, uint32_t> author_row;
  COLLABGRAPH_RETURN_IF_ERROR(ReadNames(authors, &d->authors_, &author_row));
  mix(authors.hash);
  authors.parser.reset();

  // Papers.
  COLLABGRAPH_ASSIGN_OR_RETURN(Table papers,
                               OpenTable(load, dir, "papers", {"id", "title", "venue", "year"}));
  std::unordered_map<std::string, uint32_t> venue_index;
  std::unordered_map<int64_t, uint32_t> paper_row;
  COLLABGRAPH_RETURN_IF_ERROR(
      ForEachRow(papers, 4, [&](std::vector<std::string>& f, size_t line) -> absl::Status {
        COLLABGRAPH_ASSIGN_OR_RETURN(int64_t id, Int(papers, line, f[0], "id"));
        COLLABGRAPH_ASSIGN_OR_RETURN(int64_t year, Int(papers, line, f[3], "year"));
        if (year < 1000 || year > 9999) {
          return absl::InvalidArgumentError(At(papers, line) + ": year " + std::to_string(year) +
                                            " is out of range (1000-9999)");
        }
        const std::string venue(util::Trim(f[2]));
        if (venue.empty()) {
          return absl::InvalidArgumentError(At(papers, line) + ": field \"venue\" is empty");
        }
        if (!paper_row.emplace(id, static_cast<uint32_t>(d->papers_.size())).second) {
          return absl::InvalidArgumentError(At(papers, line) + ": duplicate paper id " +
                                            std::to_string(id));
        }
        auto [it, inserted] = venue_index.emplace(venue, static_cast<uint32_t>(d->venues_.size()));
        if (inserted) d->venues_.push_back(venue);
        d->papers_.push_back(
            {id, std::string(util::Trim(f[1])), it->second, static_cast<int>(year)});
        return absl::OkStatus();
      }));
  mix(papers.hash);
  papers.parser.reset();
  s.records = d->papers_.size();

  // Authorships and affiliations.
  COLLABGRAPH_ASSIGN_OR_RETURN(Table authored,
                               OpenTable(load, dir, "authored", {"author", "paper", "position"}));
  COLLABGRAPH_RETURN_IF_ERROR(
      ForEachRow(authored, 3, [&](std::vector<std::string>& f, size_t line) -> absl::Status {
        COLLABGRAPH_ASSIGN_OR_RETURN(int64_t a, Int(authored, line, f[0], "author"));
        COLLABGRAPH_ASSIGN_OR_RETURN(int64_t p, Int(authored, line, f[1], "paper"));
        COLLABGRAPH_ASSIGN_OR_RETURN(int64_t pos, Int(authored, line, f[2], "position"));
        auto ar = author_row.find(a);
        if (ar == author_row.end()) {
          return absl::InvalidArgumentError(At(authored, line) + ": author " + std::to_string(a) +
                                            " is not in authors.csv");
        }
        if (paper_row.count(p) == 0) {
          return absl::InvalidArgumentError(At(authored, line) + ": paper " + std::to_string(p) +
                                            " is not in papers.csv");
        }
        d->authored_.push_back({p, pos, ar->second});
        return absl::OkStatus();
      }));
  mix(authored.hash);
  authored.parser.reset();
  std::sort(d->authored_.begin(), d->authored_.end(), [](const Authorship& x, const Authorship& y) {
    return std::tie(x.paper, x.position, x.author) < std::tie(y.paper, y.position, y.author);
  });

  COLLABGRAPH_ASSIGN_OR_RETURN(
      Table affiliated, OpenTable(load, dir, "affiliated", {"author", "paper", "institution"}));
  COLLABGRAPH_RETURN_IF_ERROR(
      ForEachRow(affiliated, 3, [&](std::vector<std::string>& f, size_t line) -> absl::Status {
        COLLABGRAPH_ASSIGN_OR_RETURN(int64_t a, Int(affiliated, line, f[0], "author"));
        COLLABGRAPH_ASSIGN_OR_RETURN(int64_t p, Int(affiliated, line, f[1], "paper"));
        COLLABGRAPH_ASSIGN_OR_RETURN(int64_t i, Int(affiliated, line, f[2], "institution"));
        auto ar = author_row.find(a);
        auto ir = inst_row.find(i);
        if (ar == author_row.end() || paper_row.count(p) == 0 || ir == inst_row.end()) {
          return absl::InvalidArgumentError(
              At(affiliated, line) + ": " +
              (ar == author_row.end() ? "author " + std::to_string(a) + " is not in authors.csv"
               : paper_row.count(p) == 0
                   ? "paper " + std::to_string(p) + " is not in papers.csv"
                   : "institution " + std::to_string(i) + " is not in institutions.csv"));
        }
        d->affiliated_.push_back({p, ar->second, ir->second});
        return absl::OkStatus();
      }));
  mix(affiliated.hash);
  affiliated.parser.reset();
  std::sort(d->affiliated_.begin(), d->affiliated_.end(),
            [](const Affiliation& x, const Affiliation& y) {
              return std::tie(x.paper, x.author, x.institution) <
                     std::tie(y.paper, y.author, y.institution);
            });
  d->affiliated_.erase(std::unique(d->affiliated_.begin(), d->affiliated_.end(),
                                   [](const Affiliation& x, const Affiliation& y) {
                                     return x.paper == y.paper && x.author == y.author &&
                                            x.institution == y.institution;
                                   }),
                       d->affiliated_.end());

  // An affiliation must belong to an authorship of its paper.
  for (const Affiliation& af : d->affiliated_) {
    auto lo = std::lower_bound(d->authored_.begin(), d->authored_.end(), af.paper,
                               [](const Authorship& x, int64_t p) { return x.paper < p; });
    bool found = false;
    for (auto it = lo; it != d->authored_.end() && it->paper == af.paper; ++it) {
      found = found || it->author == af.author;
    }
    if (!found) {
      d->summary_.warnings.push_back(
          {0, std::to_string(af.paper),
           "affiliated.csv: author \"" + d->authors_[af.author] +
               "\" has an affiliation on this paper but is not among its authors (ignored)"});
    }
  }
  for (const Authorship& a : d->authored_) {
    ++s.authorships;
    auto lo =
        std::lower_bound(d->affiliated_.begin(), d->affiliated_.end(), std::pair{a.paper, a.author},
                         [](const Affiliation& x, std::pair<int64_t, uint32_t> k) {
                           return std::tie(x.paper, x.author) < std::tie(k.first, k.second);
                         });
    for (auto it = lo; it != d->affiliated_.end() && it->paper == a.paper && it->author == a.author;
         ++it) {
      const int32_t c = d->institutions_[it->institution].country;
      if (c >= 0 && !d->countries_[static_cast<size_t>(c)].code.empty()) {
        ++s.authorships_with_country;
        break;
      }
    }
  }
  return d;
}

model::PaperInput CsvDataset::Paper(size_t i) const {
  const PaperRow& row = papers_[i];
  model::PaperInput p;
  p.venue = venues_[row.venue];
  p.year = row.year;
  p.source_id = std::to_string(row.id);
  if (!row.title.empty()) p.props.Set("title", row.title);
  auto lo = std::lower_bound(authored_.begin(), authored_.end(), row.id,
                             [](const Authorship& x, int64_t id) { return x.paper < id; });
  auto aff = std::lower_bound(affiliated_.begin(), affiliated_.end(), row.id,
                              [](const Affiliation& x, int64_t id) { return x.paper < id; });
  for (auto it = lo; it != authored_.end() && it->paper == row.id; ++it) {
    model::AuthorshipInput a;
    a.name = authors_[it->author];
    a.key = "name:" + util::NormalizeKey(a.name);
    for (auto f = aff; f != affiliated_.end() && f->paper == row.id; ++f) {
      if (f->author != it->author) continue;
      const Institution& inst = institutions_[f->institution];
      model::InstitutionInput in;
      in.name = inst.name;
      in.key = util::NormalizeKey(inst.name);
      if (inst.country >= 0) {
        const Country& c = countries_[static_cast<size_t>(inst.country)];
        in.country_code = c.code;
        in.country_name = c.name;
        if (!c.code.empty()) in.country_label = c.label;
      }
      a.institutions.push_back(std::move(in));
    }
    p.authorships.push_back(std::move(a));
  }
  return p;
}

}  // namespace collabgraph::ingest
