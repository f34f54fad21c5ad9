#include "ingest/paperlists_reader.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <regex>
#include <set>
#include <tuple>
#include <unordered_map>

#include <simdjson.h>

#include "ingest/countries.h"
#include "ingest/gzip_reader.h"
#include "ingest/json_scan.h"
#include "ingest/resolver.h"
#include "model/paper_status.h"
#include "util/hash.h"
#include "util/status_macros.h"
#include "util/text.h"

namespace collabgraph::ingest {

namespace {

using util::SplitTrimmed;
using util::Trim;

// The fields of one record that the reader uses; absent and null fields stay nullopt.
struct RawRecord {
  std::optional<std::string> title, id, status, track, author, aff, aff_domain, aff_unique_url,
      aff_unique_norm, aff_unique_index, aff_country_unique, aff_country_unique_index, abstract,
      authorids, site;
  std::optional<int64_t> citations;
};

std::string Where(const std::string& path, size_t record, const std::optional<std::string>& id) {
  std::string s = path + ": record " + std::to_string(record);
  if (id.has_value() && !id->empty()) s += " (id \"" + *id + "\")";
  return s;
}

std::string_view TypeName(simdjson::dom::element_type t) {
  switch (t) {
    case simdjson::dom::element_type::ARRAY:
      return "an array";
    case simdjson::dom::element_type::OBJECT:
      return "an object";
    case simdjson::dom::element_type::BOOL:
      return "a boolean";
    case simdjson::dom::element_type::NULL_VALUE:
      return "null";
    case simdjson::dom::element_type::STRING:
      return "a string";
    default:
      return "a number";
  }
}

// Reads a text field; null counts as absent. Integers are accepted where `allow_integer`
// (ids are sometimes numeric).
absl::Status GetText(simdjson::dom::element value, std::string_view field, const std::string& where,
                     std::optional<std::string>* out, bool allow_integer = false) {
  using T = simdjson::dom::element_type;
  switch (value.type()) {
    case T::NULL_VALUE:
      return absl::OkStatus();
    case T::STRING:
      *out = std::string(value.get_string().value_unsafe());
      return absl::OkStatus();
    case T::INT64:
      if (!allow_integer) break;
      *out = std::to_string(value.get_int64().value_unsafe());
      return absl::OkStatus();
    case T::UINT64:
      if (!allow_integer) break;
      *out = std::to_string(value.get_uint64().value_unsafe());
      return absl::OkStatus();
    default:
      break;
  }
  return absl::InvalidArgumentError(where + ": field \"" + std::string(field) +
                                    "\" must be a string, found " +
                                    std::string(TypeName(value.type())));
}

absl::StatusOr<RawRecord> ExtractRecord(simdjson::dom::element element, const std::string& path,
                                        size_t index, const ReadOptions& options) {
  simdjson::dom::object obj;
  if (element.get_object().get(obj) != simdjson::SUCCESS) {
    return absl::InvalidArgumentError(Where(path, index, std::nullopt) +
                                      ": must be a JSON object, found " +
                                      std::string(TypeName(element.type())));
  }
  RawRecord r;
  // The id first, so that later messages can name it.
  if (simdjson::dom::element id; obj["id"].get(id) == simdjson::SUCCESS) {
    COLLABGRAPH_RETURN_IF_ERROR(
        GetText(id, "id", Where(path, index, std::nullopt), &r.id, /*allow_integer=*/true));
  }
  const std::string where = Where(path, index, r.id);
  const std::pair<std::string_view, std::optional<std::string>*> text_fields[] = {
      {"title", &r.title},
      {"status", &r.status},
      {"track", &r.track},
      {"author", &r.author},
      {"aff", &r.aff},
      {"aff_domain", &r.aff_domain},
      {"aff_unique_norm", &r.aff_unique_norm},
      {"aff_unique_url", &r.aff_unique_url},
      {"aff_unique_index", &r.aff_unique_index},
      {"aff_country_unique", &r.aff_country_unique},
      {"aff_country_unique_index", &r.aff_country_unique_index},
      {"abstract", &r.abstract},
      {"authorids", &r.authorids},
      {"site", &r.site},
  };
  size_t record_bytes = 0;
  for (const auto& [name, dst] : text_fields) {
    simdjson::dom::element v;
    if (obj[name].get(v) != simdjson::SUCCESS) continue;
    COLLABGRAPH_RETURN_IF_ERROR(GetText(v, name, where, dst));
    const size_t bytes = dst->has_value() ? (*dst)->size() : 0;
    if (bytes > options.max_field_bytes) {
      return absl::InvalidArgumentError(where + ": field \"" + std::string(name) + "\" has " +
                                        std::to_string(bytes) + " bytes, more than the cap of " +
                                        std::to_string(options.max_field_bytes));
    }
    record_bytes += bytes;
  }
  if (record_bytes > options.max_record_bytes) {
    return absl::InvalidArgumentError(where + ": " + std::to_string(record_bytes) +
                                      " bytes of text, more than the cap of " +
                                      std::to_string(options.max_record_bytes) + " per record");
  }
  // Index fields must refer to entries of their lists: an index that does not is corrupt
  // data (no record of ../shared/data has one), unlike the count mismatches that are normal.
  const std::tuple<std::string_view, const std::optional<std::string>*, std::string_view,
                   const std::optional<std::string>*>
      indexed[] = {{"aff_unique_index", &r.aff_unique_index, "aff_unique_norm", &r.aff_unique_norm},
                   {"aff_country_unique_index", &r.aff_country_unique_index, "aff_country_unique",
                    &r.aff_country_unique}};
  for (const auto& [index_name, index_field, list_name, list_field] : indexed) {
    if (!index_field->has_value() || !list_field->has_value()) continue;
    const size_t entries =
        1 + static_cast<size_t>(std::count((*list_field)->begin(), (*list_field)->end(), ';'));
    for (std::string_view entry : SplitTrimmed(**index_field, ";")) {
      for (std::string_view piece : SplitTrimmed(entry, "+")) {
        if (piece.empty()) continue;
        size_t v = 0;
        auto [ptr, ec] = std::from_chars(piece.data(), piece.data() + piece.size(), v);
        if (ec != std::errc() || ptr != piece.data() + piece.size()) {
          return absl::InvalidArgumentError(where + ": " + std::string(index_name) + " has \"" +
                                            std::string(piece) + "\", not a position");
        }
        if (v >= entries) {
          return absl::InvalidArgumentError(
              where + ": " + std::string(index_name) + " refers to position " + std::to_string(v) +
              " but " + std::string(list_name) + " has " + std::to_string(entries) + " entries");
        }
      }
    }
  }
  if (r.author) {
    const char sep = r.author->find(';') != std::string::npos ? ';' : ',';
    const size_t authors =
        1 + static_cast<size_t>(std::count(r.author->begin(), r.author->end(), sep));
    if (authors > options.max_authors) {
      return absl::InvalidArgumentError(where + ": " + std::to_string(authors) +
                                        " authors, more than the cap of " +
                                        std::to_string(options.max_authors));
    }
  }
  if (simdjson::dom::element v; obj["gs_citation"].get(v) == simdjson::SUCCESS) {
    int64_t n = 0;
    if (v.get_int64().get(n) == simdjson::SUCCESS) {
      r.citations = n;
    } else if (std::string_view s; v.get_string().get(s) == simdjson::SUCCESS) {
      s = Trim(s);
      if (!s.empty() && std::from_chars(s.data(), s.data() + s.size(), n).ec == std::errc()) {
        r.citations = n;
      }
    }
  }
  return r;
}

// "0;1+2;;0" -> {{0}, {1, 2}, {}, {0}}. Pieces that are not numbers are dropped and reported.
std::vector<std::vector<int>> ParseIndexList(std::string_view s, bool* malformed) {
  std::vector<std::vector<int>> out;
  for (std::string_view entry : SplitTrimmed(s, ";")) {
    std::vector<int> items;
    if (!entry.empty()) {
      for (std::string_view piece : SplitTrimmed(entry, "+")) {
        if (piece.empty()) continue;
        int v = 0;
        auto [ptr, ec] = std::from_chars(piece.data(), piece.data() + piece.size(), v);
        if (ec != std::errc() || ptr != piece.data() + piece.size() || v < 0) {
          *malformed = true;
          continue;
        }
        items.push_back(v);
      }
    }
    out.push_back(std::move(items));
  }
  return out;
}

// Author names: ";" separates them when present (with or without a following space),
// otherwise ",". Empty pieces and stray trailing commas are dropped.
std::vector<std::string> SplitAuthors(std::string_view s) {
  const std::string_view sep = s.find(';') != std::string_view::npos ? ";" : ",";
  std::vector<std::string> out;
  for (std::string_view piece : SplitTrimmed(s, sep)) {
    while (!piece.empty() && (piece.back() == ',' || piece.back() == ' ')) piece.remove_suffix(1);
    out.emplace_back(piece);
  }
  return out;
}

// For each author entry of the institution index, the matching entry of the country index,
// or -1. Equal entry counts align position by position. Otherwise the country index is taken
// as a subsequence (authors without a known country are left out of it) in which each entry
// matches an author entry with as many institutions; the leftmost and the rightmost such
// embeddings are computed, and only the matches on which both agree are kept, so an
// ambiguous alignment never attributes a country to the wrong author.
std::vector<int> AlignCountryEntries(const std::vector<std::vector<int>>& inst,
                                     const std::vector<std::vector<int>>& country) {
  std::vector<int> match(inst.size(), -1);
  if (inst.size() == country.size()) {
    for (size_t i = 0; i < inst.size(); ++i) match[i] = static_cast<int>(i);
    return match;
  }
  if (country.size() > inst.size()) return match;
  std::vector<int> left(inst.size(), -1);
  std::vector<int> right(inst.size(), -1);
  size_t i = 0;
  size_t matched = 0;
  for (size_t j = 0; j < country.size(); ++j, ++i, ++matched) {
    while (i < inst.size() && inst[i].size() != country[j].size()) ++i;
    if (i == inst.size()) return match;  // no embedding at all
    left[i] = static_cast<int>(j);
  }
  size_t k = inst.size();
  for (size_t j = country.size(); j-- > 0;) {
    while (k > 0 && inst[k - 1].size() != country[j].size()) --k;
    if (k == 0) return match;
    right[--k] = static_cast<int>(j);
  }
  // Two embeddings agree on an author entry when they give it country entries with the same
  // content (often different positions of identical entries such as "0").
  for (size_t a = 0; a < inst.size(); ++a) {
    if (left[a] >= 0 && right[a] >= 0 &&
        country[static_cast<size_t>(left[a])] == country[static_cast<size_t>(right[a])]) {
      match[a] = left[a];
    }
  }
  return match;
}

struct ResolvedCountry {
  std::string code;
  std::string name;
  std::string label;
};

class RecordConverter {
 public:
  RecordConverter(ParsedFile* file, const Resolver* resolver, bool resolve_countries)
      : file_(file),
        resolver_(resolver != nullptr ? resolver : &DefaultResolver()),
        resolve_countries_(resolve_countries) {}

  model::PaperInput Convert(const RawRecord& r, size_t index, const std::string& source_id) {
    index_ = index;
    id_ = source_id;
    model::PaperInput p;
    p.venue = file_->venue;
    p.year = file_->year;
    p.source_id = source_id;
    if (r.title) p.props.Set("title", *r.title);
    if (r.status) p.props.Set("status", *r.status);
    if (r.track) p.props.Set("track", *r.track);
    if (r.abstract && !r.abstract->empty()) p.props.Set("abstract", *r.abstract);
    if (r.site && !r.site->empty()) p.props.Set("site", *r.site);
    if (r.citations) p.props.Set("citations", *r.citations);

    const std::vector<std::string> names =
        r.author ? SplitAuthors(*r.author) : std::vector<std::string>{};
    if (names.empty()) Warn("paper has no authors");
    std::vector<std::string> openreview_ids;
    if (r.authorids) {
      for (std::string_view s : SplitTrimmed(*r.authorids, ";")) openreview_ids.emplace_back(s);
    }

    // Per author entry: the institutions, as (name, country) pairs.
    std::vector<std::vector<model::InstitutionInput>> insts(names.size());
    const bool has_norm = r.aff_unique_norm.has_value() && r.aff_unique_index.has_value() &&
                          !Trim(*r.aff_unique_index).empty();
    if (has_norm) {
      bool malformed = false;
      const std::vector<std::vector<int>> inst_idx =
          ParseIndexList(*r.aff_unique_index, &malformed);
      if (malformed) Warn("malformed entries in aff_unique_index were ignored");
      if (inst_idx.size() != names.size()) {
        Warn("aff_unique_index has " + std::to_string(inst_idx.size()) + " entries for " +
             std::to_string(names.size()) + " authors");
      }
      ResolveInstitutions(SplitTrimmed(*r.aff_unique_norm, ";"), inst_idx, r, names.size(),
                          /*normalised=*/true, &insts);
    } else {
      ResolveRaw(r, names.size(), &insts);
    }

    // Authors with an empty name are dropped; positions are renumbered 0..k-1.
    size_t dropped = 0;
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i].empty()) {
        ++dropped;
        continue;
      }
      model::AuthorshipInput a;
      a.name = names[i];
      a.key = "name:" + util::NormalizeKey(names[i]);
      // OpenReview ids ("~Ann_Lee1") line up with the author list when the counts match.
      if (openreview_ids.size() == names.size() && !openreview_ids[i].empty()) {
        a.external_ids.push_back("openreview:" + openreview_ids[i]);
      }
      a.institutions = std::move(insts[i]);
      ++file_->authorships;
      if (std::any_of(a.institutions.begin(), a.institutions.end(),
                      [](const auto& inst) { return !inst.country_code.empty(); })) {
        ++file_->authorships_with_country;
      }
      p.authorships.push_back(std::move(a));
    }
    if (dropped > 0) Warn(std::to_string(dropped) + " empty author name(s) dropped");
    return p;
  }

 private:
  void Warn(std::string message) { file_->warnings.push_back({index_, id_, std::move(message)}); }

  std::optional<ResolvedCountry> Country(std::string_view label) {
    if (IsUnknownCountryLabel(label)) return std::nullopt;
    const CountryRow* row = ResolveCountry(label);
    if (row == nullptr) {
      ++file_->unresolved_countries[std::string(label)];
      return std::nullopt;
    }
    return ResolvedCountry{std::string(row->code), std::string(row->name), std::string(label)};
  }

  static model::InstitutionInput MakeInstitution(std::string_view name,
                                                 const std::optional<ResolvedCountry>& c) {
    model::InstitutionInput inst;
    inst.name = std::string(name);
    inst.key = util::NormalizeKey(name);
    if (c) {
      inst.country_code = c->code;
      inst.country_name = c->name;
      inst.country_label = c->label;
    }
    return inst;
  }

  // Resolves per-author institutions from a list of institution names, each author's
  // positions in it, and the optional country fields. `normalised` is true when `norm` is the
  // source's aff_unique_norm list: when that list and aff_country_unique have the same length
  // they are parallel (institution k has country label k; this held in all 20,076 records of
  // ../shared/data where it can be checked against an aligned index).
  void ResolveInstitutions(const std::vector<std::string_view>& norm,
                           const std::vector<std::vector<int>>& inst_idx, const RawRecord& r,
                           size_t n_authors, bool normalised,
                           std::vector<std::vector<model::InstitutionInput>>* out) {
    bool malformed = false;
    std::vector<std::string_view> labels;
    std::vector<std::vector<int>> country_idx;
    if (r.aff_country_unique) labels = SplitTrimmed(*r.aff_country_unique, ";");
    if (r.aff_country_unique_index) {
      country_idx = ParseIndexList(*r.aff_country_unique_index, &malformed);
    }
    if (malformed) Warn("malformed entries in aff_country_unique_index were ignored");
    const bool parallel_lists = normalised && labels.size() == norm.size();
    std::vector<std::optional<ResolvedCountry>> countries(labels.size());
    for (size_t c = 0; c < labels.size(); ++c) countries[c] = Country(labels[c]);

    const std::vector<int> match = AlignCountryEntries(inst_idx, country_idx);
    // Countries each institution position receives from aligned author entries.
    std::vector<std::set<int>> inst_countries(norm.size());
    auto valid_inst = [&](int k) {
      return k < static_cast<int>(norm.size()) && !norm[static_cast<size_t>(k)].empty();
    };
    auto valid_country = [&](int c) {
      return c < static_cast<int>(countries.size()) &&
             countries[static_cast<size_t>(c)].has_value();
    };
    for (size_t i = 0; i < inst_idx.size(); ++i) {
      if (match[i] < 0) continue;
      const auto& cs = country_idx[static_cast<size_t>(match[i])];
      if (cs.size() != inst_idx[i].size()) continue;
      for (size_t j = 0; j < cs.size(); ++j) {
        if (valid_inst(inst_idx[i][j]) && valid_country(cs[j])) {
          inst_countries[static_cast<size_t>(inst_idx[i][j])].insert(cs[j]);
        }
      }
    }
    // The paper's country set, as the source lists it.
    std::set<std::string> paper_set;
    for (const auto& c : countries) {
      if (c) paper_set.insert(c->code);
    }

    std::set<std::string> attributed;
    std::vector<std::vector<std::pair<int, int>>> chosen(n_authors);  // (inst pos, country pos)
    for (size_t i = 0; i < std::min(inst_idx.size(), n_authors); ++i) {
      const bool aligned =
          match[i] >= 0 && country_idx[static_cast<size_t>(match[i])].size() == inst_idx[i].size();
      for (size_t j = 0; j < inst_idx[i].size(); ++j) {
        const int k = inst_idx[i][j];
        if (!valid_inst(k)) continue;
        int c = -1;
        if (aligned && valid_country(country_idx[static_cast<size_t>(match[i])][j])) {
          c = country_idx[static_cast<size_t>(match[i])][j];
        } else if (inst_countries[static_cast<size_t>(k)].size() == 1) {
          c = *inst_countries[static_cast<size_t>(k)].begin();
        } else if (parallel_lists && valid_country(k)) {
          c = k;
        }
        chosen[i].emplace_back(k, c);
        if (c >= 0) attributed.insert(countries[static_cast<size_t>(c)]->code);
      }
    }

    // Countries of the paper that no institution received: with exactly one such country and
    // exactly one institution position without any country, that institution gets it;
    // otherwise an "unattributed" institution carries it (see docs/methodology.md).
    std::vector<int> leftover;
    for (size_t c = 0; c < countries.size(); ++c) {
      if (countries[c] && !attributed.count(countries[c]->code)) {
        attributed.insert(countries[c]->code);
        leftover.push_back(static_cast<int>(c));
      }
    }
    if (!leftover.empty()) {
      std::set<int> countryless;
      for (const auto& entries : chosen) {
        for (auto [k, c] : entries) {
          if (c < 0 && inst_countries[static_cast<size_t>(k)].empty()) countryless.insert(k);
        }
      }
      if (leftover.size() == 1 && countryless.size() == 1) {
        for (auto& entries : chosen) {
          for (auto& [k, c] : entries) {
            if (k == *countryless.begin()) c = leftover[0];
          }
        }
      } else {
        Warn(std::to_string(leftover.size()) +
             " country label(s) could not be matched to an institution; kept on an "
             "unattributed institution");
        // Carried by the authorships that have no country yet, or by the first author.
        std::vector<size_t> carriers;
        for (size_t i = 0; i < n_authors; ++i) {
          const bool has =
              std::any_of(chosen[i].begin(), chosen[i].end(), [](auto e) { return e.second >= 0; });
          if (!has) carriers.push_back(i);
        }
        if (carriers.empty() && n_authors > 0) carriers.push_back(0);
        for (int c : leftover) {
          const auto& rc = countries[static_cast<size_t>(c)];
          for (size_t i : carriers) {
            (*out)[i].push_back(MakeInstitution("Unattributed (" + rc->name + ")", rc));
          }
        }
      }
    }
    // Unattributed institutions come first in out (above); keep `chosen` aligned with what
    // follows them.
    std::vector<std::vector<std::pair<int, int>>> aligned(n_authors);
    for (size_t i = 0; i < n_authors; ++i) {
      aligned[i].resize((*out)[i].size(), {-1, -1});
      for (auto [k, c] : chosen[i]) {
        std::optional<ResolvedCountry> rc;
        if (c >= 0) rc = countries[static_cast<size_t>(c)];
        (*out)[i].push_back(MakeInstitution(norm[static_cast<size_t>(k)], rc));
        aligned[i].emplace_back(k, c);
      }
    }
    std::vector<std::string_view> urls;
    if (normalised && r.aff_unique_url) urls = SplitTrimmed(*r.aff_unique_url, ";");
    if (urls.size() != norm.size()) urls.clear();
    ResolveAndLocate(r, !labels.empty(), urls, aligned, out);
  }

  // Without normalised institutions the raw "aff" text is the institution list: entry i
  // belongs to author i and "+" separates several affiliations.
  void ResolveRaw(const RawRecord& r, size_t n_authors,
                  std::vector<std::vector<model::InstitutionInput>>* out) {
    std::vector<std::string_view> entries;
    if (r.aff) entries = SplitTrimmed(*r.aff, ";");
    if (std::all_of(entries.begin(), entries.end(), [](std::string_view e) { return e.empty(); })) {
      entries.clear();  // only separators: no affiliation known
    }
    // OpenReview exports list the paper's distinct affiliations when they have fewer entries
    // than authors: which author is where is then unknown, and every author gets all of them,
    // marked as attributed at paper level (AFFILIATED edge property attribution=paper).
    const bool paper_level = !entries.empty() && entries.size() < n_authors;
    if (!entries.empty() && entries.size() != n_authors) {
      Warn("aff has " + std::to_string(entries.size()) + " entries for " +
           std::to_string(n_authors) + " authors" +
           (paper_level ? ": each author gets all of them (paper-level attribution)" : ""));
    }
    std::vector<std::string_view> domains;
    if (r.aff_domain) domains = SplitTrimmed(*r.aff_domain, ";");
    std::vector<std::string_view> names;
    std::vector<std::vector<int>> inst_idx;
    raw_domains_.clear();
    for (size_t e = 0; e < entries.size(); ++e) {
      std::vector<int> idx;
      for (std::string_view name : SplitTrimmed(entries[e], "+")) {
        if (name.empty()) continue;
        auto it = std::find(names.begin(), names.end(), name);
        idx.push_back(static_cast<int>(it - names.begin()));
        if (it == names.end()) {
          names.push_back(name);
          raw_domains_.push_back(domains.size() == entries.size() ? domains[e]
                                                                  : std::string_view());
        }
      }
      inst_idx.push_back(std::move(idx));
    }
    if (paper_level) {
      std::vector<int> all(names.size());
      for (size_t k = 0; k < all.size(); ++k) all[k] = static_cast<int>(k);
      inst_idx.assign(n_authors, all);
    }
    ResolveInstitutions(names, inst_idx, r, n_authors, /*normalised=*/false, out);
    raw_domains_.clear();
    if (paper_level) {
      for (auto& insts : *out) {
        for (auto& inst : insts) inst.paper_level = true;
      }
    }
  }

  static const Resolver& DefaultResolver() {
    static const Resolver* resolver = new Resolver();
    return *resolver;
  }

  // Countries for a record whose source gives none (labels empty), and the HK/MO/TW region of
  // institutions in CN. `urls` is parallel to the institution list when known.
  void ResolveAndLocate(const RawRecord& r, bool source_has_countries,
                        const std::vector<std::string_view>& urls,
                        const std::vector<std::vector<std::pair<int, int>>>& chosen,
                        std::vector<std::vector<model::InstitutionInput>>* out) {
    // aff_domain has one entry per author (institutions from aff_unique_norm), or one per
    // raw "aff" entry (raw_domains_, set by ResolveRaw per institution name).
    std::vector<std::string_view> domains;
    if (r.aff_domain) domains = SplitTrimmed(*r.aff_domain, ";");
    const bool domains_align = raw_domains_.empty() && domains.size() == out->size();
    for (size_t i = 0; i < out->size(); ++i) {
      const std::string_view author_domain = domains_align ? domains[i] : std::string_view();
      for (size_t j = 0; j < (*out)[i].size(); ++j) {
        model::InstitutionInput& inst = (*out)[i][j];
        std::string_view domain = (*out)[i].size() == 1 ? author_domain : std::string_view();
        if (i < chosen.size() && j < chosen[i].size() && chosen[i][j].first >= 0 &&
            static_cast<size_t>(chosen[i][j].first) < raw_domains_.size()) {
          domain = raw_domains_[static_cast<size_t>(chosen[i][j].first)];
        }
        if (resolve_countries_ && !source_has_countries && inst.country_code.empty()) {
          // The author's domain speaks for their institution only when they have one.
          const std::string_view d = domain;
          if (const CountryRow* row = resolver_->Resolve(inst.name, d); row != nullptr) {
            inst.country_code = std::string(row->code);
            inst.country_name = std::string(row->name);
            inst.country_resolution = "domain or name";
          }
        }
        if (inst.country_code == "CN") {
          std::string_view where = domain;
          if (i < chosen.size() && j < chosen[i].size()) {
            const auto k = static_cast<size_t>(chosen[i][j].first);
            if (k < urls.size() && !urls[k].empty()) where = urls[k];
          }
          const std::string region = resolver_->Region(inst.name, where);
          if (!region.empty()) {
            inst.region_code = region;
            inst.region_name = std::string(ResolveCountry(region)->name);
          }
        }
      }
    }
  }

  ParsedFile* file_;
  const Resolver* resolver_;
  bool resolve_countries_;
  // While ResolveRaw runs: the e-mail domain of each raw institution name (by position).
  std::vector<std::string_view> raw_domains_;
  size_t index_ = 0;
  std::string id_;
};

// Fills properties of `into` that it lacks from `from`, and takes `from`'s authorships when
// `into` has none.
void MergeDuplicate(model::PaperInput* into, model::PaperInput&& from) {
  for (const auto& [name, value] : from.props.entries()) {
    if (into->props.Find(name) == nullptr) into->props.Set(name, value);
  }
  if (into->authorships.empty()) into->authorships = std::move(from.authorships);
}

}  // namespace

std::optional<std::pair<std::string, int>> VenueYearFromFileName(const std::string& path) {
  static const std::regex kPattern(
      R"(^([A-Za-z0-9][A-Za-z0-9_-]*?)((?:19|20)[0-9]{2})\.json(\.gz)?$)");
  const std::string name = std::filesystem::path(path).filename().string();
  std::smatch m;
  if (!std::regex_match(name, m, kPattern)) return std::nullopt;
  return std::make_pair(util::AsciiLower(m[1].str()), std::stoi(m[2].str()));
}

absl::StatusOr<ParsedFile> ParsePaperlists(const std::string& path, const std::string& json,
                                           const ReadOptions& options) {
  ParsedFile file;
  file.path = path;
  file.content_hash = util::Hash64(json);
  const auto from_name = VenueYearFromFileName(path);
  if (options.venue) {
    file.venue = *options.venue;
  } else if (from_name) {
    file.venue = from_name->first;
  }
  if (options.year) {
    file.year = *options.year;
  } else if (from_name) {
    file.year = from_name->second;
  }
  if (file.venue.empty() || file.year == 0) {
    return absl::InvalidArgumentError(
        path +
        ": venue and year cannot be taken from the file name (expected <venue><year>.json "
        "or .json.gz); give them with --venue and --year");
  }
  if (file.year < 1000 || file.year > 9999) {
    return absl::InvalidArgumentError(path + ": year " + std::to_string(file.year) +
                                      " is out of range (1000-9999)");
  }

  RecordConverter converter(&file, options.resolver, options.resolve_countries);
  std::unordered_map<std::string, size_t> by_identity;
  // One record: its fields are checked before anything of it is kept.
  auto handle = [&](simdjson::dom::element element, size_t index) -> absl::Status {
    COLLABGRAPH_ASSIGN_OR_RETURN(RawRecord raw, ExtractRecord(element, path, index, options));
    std::string source_id = raw.id ? std::string(Trim(*raw.id)) : std::string();
    if (source_id.empty()) {
      const std::string title_key = raw.title ? util::NormalizeKey(*raw.title) : std::string();
      if (title_key.empty()) {
        file.warnings.push_back({index, "", "record has neither id nor title; skipped"});
        return absl::OkStatus();
      }
      source_id = "title:" + title_key;
      ++file.derived_ids;
    }
    model::PaperInput paper = converter.Convert(raw, index, source_id);
    if (auto it = by_identity.find(source_id); it != by_identity.end()) {
      MergeDuplicate(&file.papers[it->second], std::move(paper));
      ++file.merged_duplicates;
    } else {
      by_identity.emplace(source_id, file.papers.size());
      file.papers.push_back(std::move(paper));
    }
    return absl::OkStatus();
  };
  // A bad record: an error, or with skip_bad a warning and the next record.
  auto bad = [&](size_t index, absl::Status status) -> absl::Status {
    if (!options.skip_bad) return status;
    const std::string message(status.message());
    const std::string prefix = path + ": ";
    file.warnings.push_back(
        {index, "",
         "skipped: " +
             std::string(message.starts_with(prefix) ? message.substr(prefix.size()) : message)});
    ++file.skipped;
    return absl::OkStatus();
  };

  size_t index = 0;
  if (util::Trim(json).empty()) {
    COLLABGRAPH_RETURN_IF_ERROR(bad(
        0, absl::InvalidArgumentError(path + ": empty file (expected a JSON array of records)")));
    return file;
  }
  // One parser per thread, kept from file to file: its buffers (about 8 bytes per byte of
  // JSON) are allocated once, not per file. It is grown for a larger file; a file of the same
  // size or smaller reuses it.
  thread_local simdjson::dom::parser parser;
  if ((parser.capacity() < json.size() || parser.max_depth() != options.max_depth + 1) &&
      parser.allocate(json.size(), options.max_depth + 1) != simdjson::SUCCESS) {
    return absl::ResourceExhaustedError(path + ": cannot allocate the JSON parser");
  }
  // A string with simdjson's padding of spare capacity past its end (ReadMaybeGzipFile leaves
  // it) is parsed where it is; any other is copied into a padded buffer first.
  static_assert(kReadSlack >= simdjson::SIMDJSON_PADDING);
  simdjson::dom::element doc;
  if (parser.parse(json).get(doc) == simdjson::SUCCESS) {
    simdjson::dom::array records;
    if (doc.get_array().get(records) != simdjson::SUCCESS) {
      COLLABGRAPH_RETURN_IF_ERROR(bad(
          0, absl::InvalidArgumentError(path +
                                        ": a paper list must be a JSON array of records, found " +
                                        std::string(TypeName(doc.type())))));
      return file;
    }
    for (simdjson::dom::element element : records) {
      if (absl::Status st = handle(element, index); !st.ok()) {
        COLLABGRAPH_RETURN_IF_ERROR(bad(index, std::move(st)));
      }
      ++index;
    }
  } else {
    // The file does not parse as a whole: find the records that do, and where it breaks.
    const ArrayScan scan = ScanTopLevelArray(json, options.max_depth);
    simdjson::dom::parser record_parser;
    if (record_parser.allocate(1 << 16, options.max_depth) != simdjson::SUCCESS) {
      return absl::ResourceExhaustedError(path + ": cannot allocate the JSON parser");
    }
    for (const ArrayElement& e : scan.elements) {
      const std::string_view text(json.data() + e.begin, e.end - e.begin);
      simdjson::dom::element element;
      if (e.too_deep_at != std::string_view::npos) {
        COLLABGRAPH_RETURN_IF_ERROR(bad(
            index,
            absl::InvalidArgumentError(Where(path, index, std::nullopt) + " (byte " +
                                       std::to_string(e.too_deep_at) + "): nesting deeper than " +
                                       std::to_string(options.max_depth) + " levels")));
      } else if (auto err = record_parser.parse(text.data(), text.size()).get(element);
                 err != simdjson::SUCCESS) {
        size_t at = e.begin;
        std::string what = std::string("not valid JSON (") + simdjson::error_message(err) + ")";
        if (const size_t bad_byte = FirstInvalidUtf8(text); bad_byte != std::string_view::npos) {
          at = e.begin + bad_byte;
          what = "invalid UTF-8";
        }
        COLLABGRAPH_RETURN_IF_ERROR(
            bad(index, absl::InvalidArgumentError(Where(path, index, std::nullopt) + " (byte " +
                                                  std::to_string(at) + "): " + what)));
      } else if (absl::Status st = handle(element, index); !st.ok()) {
        COLLABGRAPH_RETURN_IF_ERROR(bad(index, std::move(st)));
      }
      ++index;
    }
    if (!scan.error.empty()) {
      const std::string where =
          Where(path, index, std::nullopt) + " (byte " + std::to_string(scan.error_offset) + ")";
      if (!options.skip_bad) return absl::InvalidArgumentError(where + ": " + scan.error);
      file.warnings.push_back({index, "",
                               "skipped the rest of the file from byte " +
                                   std::to_string(scan.error_offset) + ": " + scan.error});
      ++file.skipped;
    } else if (file.skipped == 0) {
      // Every record parses alone, yet the whole did not: say what the parser said.
      simdjson::dom::element again;
      const auto err = parser.parse(json).get(again);
      return absl::InvalidArgumentError(path + ": not valid JSON (" +
                                        std::string(simdjson::error_message(err)) + ")");
    }
  }
  file.records = index;
  for (const auto& p : file.papers) {
    if (auto status = p.props.GetString("status"); status && model::IsRejectedStatus(*status)) {
      ++file.rejected;
    }
  }
  return file;
}

absl::StatusOr<ParsedFile> ReadPaperlistsFile(const std::string& path, const ReadOptions& options) {
  std::string truncated;
  COLLABGRAPH_ASSIGN_OR_RETURN(std::string text, ReadMaybeGzipFile(path, &truncated));
  if (!truncated.empty() && !options.skip_bad) {
    // Name the record the damage cuts through.
    const ArrayScan scan = ScanTopLevelArray(text, options.max_depth);
    return absl::DataLossError(path + ": record " + std::to_string(scan.elements.size()) +
                               " (byte " + std::to_string(text.size()) +
                               " of the decompressed text): " + truncated);
  }
  COLLABGRAPH_ASSIGN_OR_RETURN(ParsedFile file, ParsePaperlists(path, text, options));
  if (!truncated.empty()) {
    file.warnings.insert(file.warnings.begin(),
                         {0, "", truncated + "; reading the records before the damage"});
  }
  return file;
}

}  // namespace collabgraph::ingest
