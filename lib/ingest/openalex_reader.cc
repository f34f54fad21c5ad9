#include "ingest/openalex_reader.h"

#include <map>
#include <unordered_map>
#include <vector>

#include <simdjson.h>

#include "ingest/countries.h"
#include "ingest/gzip_reader.h"
#include "ingest/json_scan.h"
#include "util/hash.h"
#include "util/status_macros.h"
#include "util/text.h"

namespace collabgraph::ingest {

namespace {

using simdjson::dom::element;

std::string Where(const std::string& path, size_t line, std::string_view id) {
  std::string s = path + ": line " + std::to_string(line);
  if (!id.empty()) s += " (work " + std::string(id) + ")";
  return s;
}

// A string member, or "" when absent or null; InvalidArgument for another type.
absl::StatusOr<std::string_view> Str(element obj, std::string_view field,
                                     const std::string& where) {
  element v;
  if (obj[field].get(v) != simdjson::SUCCESS || v.is_null()) return std::string_view();
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS) {
    return absl::InvalidArgumentError(where + ": field \"" + std::string(field) +
                                      "\" must be a string");
  }
  return s;
}

// The elements of an array member (none when absent or null); InvalidArgument for another
// type. (A default-constructed simdjson array must never be iterated.)
absl::StatusOr<std::vector<element>> Arr(element obj, std::string_view field,
                                         const std::string& where) {
  std::vector<element> out;
  element v;
  if (obj[field].get(v) != simdjson::SUCCESS || v.is_null()) return out;
  simdjson::dom::array a;
  if (v.get_array().get(a) != simdjson::SUCCESS) {
    return absl::InvalidArgumentError(where + ": field \"" + std::string(field) +
                                      "\" must be an array");
  }
  for (element e : a) out.push_back(e);
  return out;
}

std::string_view AfterLastSlash(std::string_view s) {
  const size_t slash = s.find_last_of('/');
  return slash == std::string_view::npos ? s : s.substr(slash + 1);
}

}  // namespace

std::string ShortOpenAlexId(std::string_view id) { return std::string(AfterLastSlash(id)); }

absl::StatusOr<ParsedFile> ParseOpenAlex(const std::string& path, const std::string& text,
                                         const ReadOptions& options) {
  ParsedFile file;
  file.path = path;
  file.content_hash = util::Hash64(text);
  file.venue = options.venue.value_or("");
  simdjson::dom::parser parser;
  if (parser.allocate(1 << 16, options.max_depth) != simdjson::SUCCESS) {
    return absl::ResourceExhaustedError(path + ": cannot allocate the JSON parser");
  }
  std::unordered_map<std::string, size_t> by_identity;
  // One work; an error leaves `file` as it was before the work (see the loop).
  auto handle = [&](std::string_view line, size_t line_no) -> absl::Status {
    element work;
    if (auto err = parser.parse(line.data(), line.size()).get(work); err != simdjson::SUCCESS) {
      if (const size_t at = FirstInvalidUtf8(line); at != std::string_view::npos) {
        return absl::InvalidArgumentError(Where(path, line_no, "") + ": invalid UTF-8 at byte " +
                                          std::to_string(at) + " of the line");
      }
      return absl::InvalidArgumentError(Where(path, line_no, "") + ": not valid JSON (" +
                                        simdjson::error_message(err) + ")");
    }
    if (!work.is_object()) {
      return absl::InvalidArgumentError(Where(path, line_no, "") +
                                        ": a work must be a JSON object");
    }
    COLLABGRAPH_ASSIGN_OR_RETURN(std::string_view long_id,
                                 Str(work, "id", Where(path, line_no, "")));
    const std::string id = ShortOpenAlexId(long_id);
    const std::string where = Where(path, line_no, id);
    ++file.records;
    if (id.empty()) {
      file.warnings.push_back({line_no, "", "work without id; skipped"});
      return absl::OkStatus();
    }
    model::PaperInput p;
    p.source_id = id;
    int64_t year = 0;
    if (element y; work["publication_year"].get(y) == simdjson::SUCCESS && !y.is_null()) {
      if (y.get_int64().get(year) != simdjson::SUCCESS) {
        return absl::InvalidArgumentError(where +
                                          ": field \"publication_year\" must be an integer");
      }
    }
    if (options.year) year = *options.year;
    if (year < 1000 || year > 9999) {
      return absl::InvalidArgumentError(where + ": publication_year " + std::to_string(year) +
                                        " is missing or out of range (1000-9999)");
    }
    p.year = static_cast<int>(year);
    std::string venue = file.venue;
    if (venue.empty()) {
      element loc;
      element src;
      std::string_view name;
      if (work["primary_location"].get(loc) == simdjson::SUCCESS && loc.is_object() &&
          loc["source"].get(src) == simdjson::SUCCESS && src.is_object() &&
          src["display_name"].get(name) == simdjson::SUCCESS) {
        venue = std::string(name);
      }
      if (venue.empty()) venue = "openalex";
    }
    p.venue = venue;
    COLLABGRAPH_ASSIGN_OR_RETURN(std::string_view title, Str(work, "title", where));
    if (!title.empty()) p.props.Set("title", std::string(title));
    COLLABGRAPH_ASSIGN_OR_RETURN(std::string_view doi, Str(work, "doi", where));
    if (!doi.empty()) p.props.Set("doi", std::string(doi));
    COLLABGRAPH_ASSIGN_OR_RETURN(std::string_view type, Str(work, "type", where));
    if (!type.empty()) p.props.Set("type", std::string(type));
    p.props.Set("openalex_id", id);
    if (element c; work["cited_by_count"].get(c) == simdjson::SUCCESS) {
      int64_t n = 0;
      if (c.get_int64().get(n) == simdjson::SUCCESS) p.props.Set("citations", n);
    }
    COLLABGRAPH_ASSIGN_OR_RETURN(std::vector<element> refs, Arr(work, "referenced_works", where));
    model::StringList references;
    for (element r : refs) {
      std::string_view s;
      if (r.get_string().get(s) == simdjson::SUCCESS && !s.empty()) {
        references.push_back(ShortOpenAlexId(s));
      }
    }
    if (!references.empty()) p.props.Set("references", std::move(references));

    COLLABGRAPH_ASSIGN_OR_RETURN(std::vector<element> authorships, Arr(work, "authorships", where));
    if (authorships.size() > options.max_authors) {
      return absl::InvalidArgumentError(where + ": " + std::to_string(authorships.size()) +
                                        " authorships, more than the cap of " +
                                        std::to_string(options.max_authors));
    }
    for (element a : authorships) {
      if (!a.is_object()) {
        return absl::InvalidArgumentError(where + ": an authorship must be an object");
      }
      model::AuthorshipInput in;
      element author;
      std::string_view openalex_author;
      std::string_view orcid;
      if (a["author"].get(author) == simdjson::SUCCESS && author.is_object()) {
        COLLABGRAPH_ASSIGN_OR_RETURN(std::string_view name, Str(author, "display_name", where));
        in.name = std::string(name);
        COLLABGRAPH_ASSIGN_OR_RETURN(openalex_author, Str(author, "id", where));
        COLLABGRAPH_ASSIGN_OR_RETURN(orcid, Str(author, "orcid", where));
      }
      if (in.name.empty()) {
        COLLABGRAPH_ASSIGN_OR_RETURN(std::string_view raw, Str(a, "raw_author_name", where));
        in.name = std::string(raw);
      }
      if (in.name.empty()) {
        file.warnings.push_back({line_no, id, "authorship without an author name; skipped"});
        continue;
      }
      if (!orcid.empty()) in.external_ids.push_back("orcid:" + std::string(AfterLastSlash(orcid)));
      if (!openalex_author.empty()) {
        in.external_ids.push_back("openalex:" + ShortOpenAlexId(openalex_author));
      }
      // Identity: ORCID, else the OpenAlex author id, else the normalised name.
      if (!orcid.empty()) {
        in.key = "orcid:" + std::string(AfterLastSlash(orcid));
      } else if (!openalex_author.empty()) {
        in.key = "openalex:" + ShortOpenAlexId(openalex_author);
      } else {
        in.key = "name:" + util::NormalizeKey(in.name);
      }
      COLLABGRAPH_ASSIGN_OR_RETURN(std::vector<element> insts, Arr(a, "institutions", where));
      bool has_country = false;
      for (element inst : insts) {
        if (!inst.is_object()) continue;
        COLLABGRAPH_ASSIGN_OR_RETURN(std::string_view name, Str(inst, "display_name", where));
        if (name.empty()) continue;
        model::InstitutionInput ii;
        ii.name = std::string(name);
        ii.key = util::NormalizeKey(name);
        COLLABGRAPH_ASSIGN_OR_RETURN(std::string_view code, Str(inst, "country_code", where));
        if (!code.empty()) {
          if (const CountryRow* row = ResolveCountry(code); row != nullptr) {
            ii.country_code = std::string(row->code);
            ii.country_name = std::string(row->name);
            ii.country_label = std::string(code);
            has_country = true;
          } else {
            ++file.unresolved_countries[std::string(code)];
          }
        }
        in.institutions.push_back(std::move(ii));
      }
      ++file.authorships;
      if (has_country) ++file.authorships_with_country;
      p.authorships.push_back(std::move(in));
    }
    if (p.authorships.empty()) file.warnings.push_back({line_no, id, "work has no authors"});
    if (auto it = by_identity.find(p.venue + "\n" + std::to_string(p.year) + "\n" + id);
        it != by_identity.end()) {
      ++file.merged_duplicates;  // the same work twice: the first is kept
      return absl::OkStatus();
    }
    by_identity.emplace(p.venue + "\n" + std::to_string(p.year) + "\n" + id, file.papers.size());
    file.papers.push_back(std::move(p));
    return absl::OkStatus();
  };
  // A bad work: an error, or with skip_bad a warning and the next line.
  auto bad = [&](size_t line_no, absl::Status status) -> absl::Status {
    if (!options.skip_bad) return status;
    const std::string message(status.message());
    const std::string prefix = path + ": ";
    file.warnings.push_back(
        {line_no, "",
         "skipped: " + (message.starts_with(prefix) ? message.substr(prefix.size()) : message)});
    ++file.skipped;
    return absl::OkStatus();
  };
  size_t line_no = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view line(text.data() + start, end - start);
    start = end + 1;
    ++line_no;
    if (util::Trim(line).empty()) continue;
    if (line.size() > options.max_record_bytes) {
      COLLABGRAPH_RETURN_IF_ERROR(bad(
          line_no,
          absl::InvalidArgumentError(Where(path, line_no, "") + ": " + std::to_string(line.size()) +
                                     " bytes, more than the cap of " +
                                     std::to_string(options.max_record_bytes) + " per record")));
      continue;
    }
    // A work's counters and warnings count only when the whole work is read.
    const size_t authorships_before = file.authorships;
    const size_t with_country_before = file.authorships_with_country;
    const size_t warnings_before = file.warnings.size();
    const auto unresolved_before =
        options.skip_bad ? file.unresolved_countries : std::map<std::string, size_t>();
    if (absl::Status st = handle(line, line_no); !st.ok()) {
      file.authorships = authorships_before;
      file.authorships_with_country = with_country_before;
      file.warnings.resize(warnings_before);
      if (options.skip_bad) file.unresolved_countries = unresolved_before;
      COLLABGRAPH_RETURN_IF_ERROR(bad(line_no, std::move(st)));
    }
  }
  return file;
}

absl::StatusOr<ParsedFile> ReadOpenAlexFile(const std::string& path, const ReadOptions& options) {
  std::string truncated;
  COLLABGRAPH_ASSIGN_OR_RETURN(std::string text,
                               ReadMaybeGzipFile(path, options.skip_bad ? &truncated : nullptr));
  COLLABGRAPH_ASSIGN_OR_RETURN(ParsedFile file, ParseOpenAlex(path, text, options));
  if (!truncated.empty()) {
    file.warnings.insert(file.warnings.begin(),
                         {0, "", truncated + "; reading the lines before the damage"});
  }
  return file;
}

}  // namespace collabgraph::ingest
