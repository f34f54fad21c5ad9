#include "analytics/projection.h"

#include <algorithm>
#include <unordered_map>
#include <utility>

namespace collabgraph::analytics {

namespace {

// The distinct members of `paper` in the projection's row space, sorted.
void PaperMembers(const CollabTable& table, const PaperRow& paper, GraphKind kind, Regions regions,
                  std::vector<uint32_t>* out) {
  out->clear();
  switch (kind) {
    case GraphKind::kAuthor:
      out->assign(paper.authors.begin(), paper.authors.end());
      break;
    case GraphKind::kInstitution:
      for (const auto& insts : paper.authorships)
        out->insert(out->end(), insts.begin(), insts.end());
      break;
    case GraphKind::kCountry:
      for (const auto& insts : paper.authorships) {
        for (uint32_t inst : insts) {
          const int32_t c = CountryUnder(table, table.institutions[inst], regions);
          if (c >= 0) out->push_back(static_cast<uint32_t>(c));
        }
      }
      break;
  }
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
  out->erase(std::remove(out->begin(), out->end(), UINT32_MAX), out->end());
}

}  // namespace

Projection BuildProjection(const CollabTable& table, GraphKind kind, const Filters& filters,
                           Regions regions, size_t max_members) {
  Projection proj;
  proj.kind = kind;
  std::unordered_map<uint32_t, uint32_t> vertex_of;   // table row -> vertex
  std::unordered_map<uint64_t, EdgeWeights> weights;  // (u << 32 | v), u < v
  std::vector<uint32_t> members;
  std::vector<uint32_t> vertices;
  for (const PaperRow& paper : table.papers) {
    if (!table.Matches(paper, filters)) continue;
    PaperMembers(table, paper, kind, regions, &members);
    vertices.clear();
    for (uint32_t m : members) {
      auto [it, inserted] = vertex_of.emplace(m, static_cast<uint32_t>(proj.members.size()));
      if (inserted) proj.members.push_back(m);
      vertices.push_back(it->second);
    }
    if (vertices.size() < 2) continue;
    if (max_members > 0 && vertices.size() > max_members) {
      ++proj.capped_papers;
      proj.largest_capped = std::max<uint64_t>(proj.largest_capped, vertices.size());
      continue;
    }
    const double frac = 1.0 / static_cast<double>(vertices.size() - 1);
    for (size_t i = 0; i < vertices.size(); ++i) {
      for (size_t j = i + 1; j < vertices.size(); ++j) {
        const uint32_t u = std::min(vertices[i], vertices[j]);
        const uint32_t v = std::max(vertices[i], vertices[j]);
        EdgeWeights& w = weights[(uint64_t{u} << 32) | v];
        w.full += 1.0;
        w.fractional += frac;
      }
    }
  }
  std::vector<std::pair<uint32_t, uint32_t>> edges;
  std::vector<EdgeWeights> props;
  edges.reserve(weights.size() * 2);
  props.reserve(weights.size() * 2);
  for (const auto& [key, w] : weights) {
    const auto u = static_cast<uint32_t>(key >> 32);
    const auto v = static_cast<uint32_t>(key & 0xFFFFFFFFu);
    edges.emplace_back(u, v);
    props.push_back(w);
    edges.emplace_back(v, u);
    props.push_back(w);
  }
  proj.undirected_edges = weights.size();
  proj.graph = CsrGraph(boost::edges_are_unsorted_multi_pass, edges.begin(), edges.end(),
                        props.begin(), static_cast<uint32_t>(proj.members.size()));
  return proj;
}

}  // namespace collabgraph::analytics
