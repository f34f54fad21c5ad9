#include "analytics/group_metrics.h"

#include <algorithm>

namespace collabgraph::analytics {

namespace {

// Vertex of each table row of the projection's kind, UINT32_MAX when not a vertex.
std::vector<uint32_t> VertexOfRow(const CollabTable& table, const Projection& projection) {
  size_t rows = 0;
  switch (projection.kind) {
    case GraphKind::kAuthor:
      rows = table.authors.size();
      break;
    case GraphKind::kInstitution:
      rows = table.institutions.size();
      break;
    case GraphKind::kCountry:
      rows = table.countries.size();
      break;
  }
  std::vector<uint32_t> vertex(rows, UINT32_MAX);
  for (uint32_t v = 0; v < projection.members.size(); ++v) vertex[projection.members[v]] = v;
  return vertex;
}

}  // namespace

std::vector<uint8_t> CountryGroups(const CollabTable& table, const Projection& projection,
                                   const Filters& filters, Regions regions, int32_t a, int32_t b) {
  const auto flag = [a, b](int32_t country) {
    return static_cast<uint8_t>((country == a && a >= 0 ? kGroupA : 0) |
                                (country == b && b >= 0 ? kGroupB : 0));
  };
  std::vector<uint8_t> groups(projection.members.size(), 0);
  switch (projection.kind) {
    case GraphKind::kInstitution:
      for (uint32_t v = 0; v < groups.size(); ++v) {
        groups[v] = flag(CountryUnder(table, table.institutions[projection.members[v]], regions));
      }
      break;
    case GraphKind::kCountry:
      for (uint32_t v = 0; v < groups.size(); ++v) {
        groups[v] = flag(static_cast<int32_t>(projection.members[v]));
      }
      break;
    case GraphKind::kAuthor: {
      const std::vector<uint32_t> vertex = VertexOfRow(table, projection);
      for (const PaperRow& paper : table.papers) {
        if (!table.Matches(paper, filters)) continue;
        for (size_t i = 0; i < paper.authors.size(); ++i) {
          const uint32_t v = vertex[paper.authors[i]];
          if (v == UINT32_MAX) continue;
          for (uint32_t inst : paper.authorships[i]) {
            groups[v] |= flag(CountryUnder(table, table.institutions[inst], regions));
          }
        }
      }
      break;
    }
  }
  return groups;
}

std::vector<double> Brokerage(const CollabTable& table, const Projection& projection,
                              const Filters& filters, Regions regions, int32_t a, int32_t b,
                              uint64_t* total) {
  const std::vector<uint32_t> vertex = VertexOfRow(table, projection);
  std::vector<double> count(projection.members.size(), 0.0);
  std::vector<uint32_t> members;
  *total = 0;
  for (const PaperRow& paper : table.papers) {
    if (!table.Matches(paper, filters)) continue;
    bool has_a = false;
    bool has_b = false;
    members.clear();
    for (size_t i = 0; i < paper.authorships.size(); ++i) {
      if (projection.kind == GraphKind::kAuthor) members.push_back(paper.authors[i]);
      for (uint32_t inst : paper.authorships[i]) {
        const int32_t c = CountryUnder(table, table.institutions[inst], regions);
        has_a = has_a || (c >= 0 && c == a);
        has_b = has_b || (c >= 0 && c == b);
        if (projection.kind == GraphKind::kInstitution) members.push_back(inst);
        if (projection.kind == GraphKind::kCountry && c >= 0) {
          members.push_back(static_cast<uint32_t>(c));
        }
      }
    }
    if (!has_a || !has_b) continue;
    ++*total;
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
    for (uint32_t row : members) {
      if (vertex[row] != UINT32_MAX) count[vertex[row]] += 1.0;
    }
  }
  return count;
}

}  // namespace collabgraph::analytics
