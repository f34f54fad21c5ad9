#include "analytics/collab_table.h"

#include <algorithm>
#include <unordered_map>

#include "model/paper_status.h"
#include "util/status_macros.h"
#include "util/text.h"

namespace collabgraph::analytics {

namespace {

// Maps node ids to dense row indexes. Ids are allocated densely from 1, so a vector works.
class IdMap {
 public:
  void Add(model::NodeId id, uint32_t row) {
    if (id >= rows_.size()) rows_.resize(id + 1, kNone);
    rows_[id] = row;
  }
  // kNone when unknown.
  uint32_t Find(model::NodeId id) const { return id < rows_.size() ? rows_[id] : kNone; }
  static constexpr uint32_t kNone = UINT32_MAX;

 private:
  std::vector<uint32_t> rows_;
};

absl::Status Malformed(std::string_view what, model::NodeId id) {
  return absl::DataLossError(std::string(what) + " " + std::to_string(id) +
                             " has a malformed value");
}

}  // namespace

int32_t CollabTable::CountryIndex(std::string_view code) const {
  for (size_t i = 0; i < countries.size(); ++i) {
    if (countries[i].code == code) return static_cast<int32_t>(i);
  }
  return -1;
}

bool CollabTable::Matches(const PaperRow& paper, const Filters& filters) const {
  if (paper.rejected && !filters.include_rejected) return false;
  if (filters.year_from && paper.year < *filters.year_from) return false;
  if (filters.year_to && paper.year > *filters.year_to) return false;
  if (!filters.venues.empty() && std::find(filters.venues.begin(), filters.venues.end(),
                                           venues[paper.venue]) == filters.venues.end()) {
    return false;
  }
  if (!filters.tags.empty()) {
    const bool any = std::any_of(paper.tags.begin(), paper.tags.end(), [&](uint32_t t) {
      return std::find(filters.tags.begin(), filters.tags.end(), tags[t]) != filters.tags.end();
    });
    if (!any) return false;
  }
  if (!filters.tracks.empty()) {
    const std::string track = util::AsciiLower(paper.track);
    if (std::none_of(filters.tracks.begin(), filters.tracks.end(),
                     [&](const std::string& t) { return util::AsciiLower(t) == track; })) {
      return false;
    }
  }
  return true;
}

int32_t CountryUnder(const CollabTable& table, const InstitutionRow& institution, Regions regions) {
  const int32_t country = institution.country;
  if (regions == Regions::kSplit && institution.region >= 0) return institution.region;
  if (country < 0 || regions != Regions::kMerge) return country;
  const std::string& code = table.countries[static_cast<size_t>(country)].code;
  if (code == "HK" || code == "MO" || code == "TW") {
    const int32_t cn = table.CountryIndex("CN");
    return cn >= 0 ? cn : country;
  }
  return country;
}

absl::StatusOr<CollabTable> LoadCollabTable(const model::ReadView& view, bool with_authors) {
  using model::Label;
  CollabTable t;
  IdMap country_rows;
  IdMap inst_rows;
  IdMap author_rows;
  IdMap paper_rows;
  absl::Status decode_error;
  model::Properties props;

  COLLABGRAPH_RETURN_IF_ERROR(
      view.ScanNodes(Label::kCountry, [&](model::NodeId id, std::string_view v) {
        if (!model::DecodeProperties(v, &props)) {
          decode_error = Malformed("Country", id);
          return;
        }
        country_rows.Add(id, static_cast<uint32_t>(t.countries.size()));
        t.countries.push_back({id, std::string(props.GetString("code").value_or("")),
                               std::string(props.GetString("name").value_or(""))});
      }));
  COLLABGRAPH_RETURN_IF_ERROR(decode_error);

  COLLABGRAPH_RETURN_IF_ERROR(
      view.ScanNodes(Label::kInstitution, [&](model::NodeId id, std::string_view v) {
        if (!model::DecodeProperties(v, &props)) {
          decode_error = Malformed("Institution", id);
          return;
        }
        inst_rows.Add(id, static_cast<uint32_t>(t.institutions.size()));
        t.institutions.push_back({id, std::string(props.GetString("name").value_or("")), -1, -1});
        if (auto code = props.GetString("region_code")) {
          int32_t row = t.CountryIndex(*code);
          if (row < 0) {  // a region without a Country node of its own: add a row for it
            t.countries.push_back({0, std::string(*code),
                                   std::string(props.GetString("region_name").value_or(*code))});
            row = static_cast<int32_t>(t.countries.size() - 1);
          }
          t.institutions.back().region = row;
        }
      }));
  COLLABGRAPH_RETURN_IF_ERROR(decode_error);

  COLLABGRAPH_RETURN_IF_ERROR(view.ScanEdges(
      model::EdgeType::kLocatedIn, model::Direction::kOut, std::nullopt,
      [&](const model::EdgeKeyParts& e, std::string_view) {
        const uint32_t inst = inst_rows.Find(e.a);
        const uint32_t country = country_rows.Find(e.b);
        if (inst == IdMap::kNone || country == IdMap::kNone) {
          decode_error = absl::DataLossError("LOCATED_IN edge with a missing endpoint");
          return;
        }
        t.institutions[inst].country = static_cast<int32_t>(country);
      }));
  COLLABGRAPH_RETURN_IF_ERROR(decode_error);

  if (with_authors) {
    COLLABGRAPH_RETURN_IF_ERROR(
        view.ScanNodes(Label::kAuthor, [&](model::NodeId id, std::string_view v) {
          if (!model::DecodeProperties(v, &props)) {
            decode_error = Malformed("Author", id);
            return;
          }
          author_rows.Add(id, static_cast<uint32_t>(t.authors.size()));
          t.authors.push_back({id, std::string(props.GetString("name").value_or(""))});
        }));
    COLLABGRAPH_RETURN_IF_ERROR(decode_error);
  }

  std::unordered_map<std::string, uint32_t> venue_index;
  COLLABGRAPH_RETURN_IF_ERROR(
      view.ScanNodes(Label::kPaper, [&](model::NodeId id, std::string_view v) {
        if (!model::DecodeProperties(v, &props)) {
          decode_error = Malformed("Paper", id);
          return;
        }
        PaperRow row;
        row.id = id;
        row.year = static_cast<int>(props.GetInt("year").value_or(0));
        const std::string venue(props.GetString("venue").value_or(""));
        auto [it, inserted] = venue_index.emplace(venue, static_cast<uint32_t>(t.venues.size()));
        if (inserted) t.venues.push_back(venue);
        row.venue = it->second;
        row.track = std::string(props.GetString("track").value_or(""));
        row.rejected = model::IsRejectedStatus(props.GetString("status").value_or(""));
        paper_rows.Add(id, static_cast<uint32_t>(t.papers.size()));
        t.papers.push_back(std::move(row));
      }));
  COLLABGRAPH_RETURN_IF_ERROR(decode_error);

  // Authorships: AUTHORED edges keyed by paper give the positions and authors.
  COLLABGRAPH_RETURN_IF_ERROR(view.ScanEdges(
      model::EdgeType::kAuthored, model::Direction::kIn, std::nullopt,
      [&](const model::EdgeKeyParts& e, std::string_view) {
        const uint32_t p = paper_rows.Find(e.a);
        if (p == IdMap::kNone) {
          decode_error =
              absl::DataLossError("AUTHORED edge to missing paper " + std::to_string(e.a));
          return;
        }
        PaperRow& row = t.papers[p];
        if (row.authorships.size() <= e.rank) {
          row.authorships.resize(e.rank + 1);
          row.authors.resize(e.rank + 1, IdMap::kNone);
        }
        row.authors[e.rank] = with_authors ? author_rows.Find(e.b) : 0;
      }));
  COLLABGRAPH_RETURN_IF_ERROR(decode_error);

  COLLABGRAPH_RETURN_IF_ERROR(view.ScanEdges(
      model::EdgeType::kAffiliated, model::Direction::kOut, std::nullopt,
      [&](const model::EdgeKeyParts& e, std::string_view) {
        const uint32_t p = paper_rows.Find(e.a);
        const uint32_t inst = inst_rows.Find(e.b);
        if (p == IdMap::kNone || inst == IdMap::kNone || t.papers[p].authorships.size() <= e.rank) {
          decode_error = absl::DataLossError("AFFILIATED edge of paper " + std::to_string(e.a) +
                                             " has a missing endpoint or authorship");
          return;
        }
        t.papers[p].authorships[e.rank].push_back(inst);
      }));
  COLLABGRAPH_RETURN_IF_ERROR(decode_error);
  // Tags: TAGGED edges, keyed by paper.
  IdMap tag_rows;
  COLLABGRAPH_RETURN_IF_ERROR(
      view.ScanNodes(Label::kTag, [&](model::NodeId id, std::string_view v) {
        if (!model::DecodeProperties(v, &props)) {
          decode_error = Malformed("Tag", id);
          return;
        }
        tag_rows.Add(id, static_cast<uint32_t>(t.tags.size()));
        t.tags.emplace_back(props.GetString("name").value_or(""));
      }));
  COLLABGRAPH_RETURN_IF_ERROR(decode_error);
  COLLABGRAPH_RETURN_IF_ERROR(
      view.ScanEdges(model::EdgeType::kTagged, model::Direction::kOut, std::nullopt,
                     [&](const model::EdgeKeyParts& e, std::string_view) {
                       const uint32_t p = paper_rows.Find(e.a);
                       const uint32_t tag = tag_rows.Find(e.b);
                       if (p == IdMap::kNone || tag == IdMap::kNone) {
                         decode_error = absl::DataLossError("TAGGED edge with a missing endpoint");
                         return;
                       }
                       t.papers[p].tags.push_back(tag);
                     }));
  COLLABGRAPH_RETURN_IF_ERROR(decode_error);
  return t;
}

}  // namespace collabgraph::analytics
