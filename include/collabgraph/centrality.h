#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "collabgraph/filters.h"
#include "collabgraph/rules.h"

namespace collabgraph {

// Which collaboration graph to project from the stored graph (docs/methodology.md,
// "Projections"): authors, institutions or countries joined by the papers they share.
enum class GraphKind { kAuthor, kInstitution, kCountry };

struct CentralityOptions {
  GraphKind graph = GraphKind::kCountry;
  // "betweenness" (Brandes, unweighted, normalised as NetworkX: 2/((n-1)(n-2)) for undirected
  // graphs), "degree" (degree / (n-1)), "pagerank" (sums to 1), "harmonic", "closeness" (per
  // component, as NetworkX), "core" (core number) or "clustering" (local coefficient); each
  // as NetworkX computes it by default on the unweighted graph (docs/methodology.md).
  std::string metric = "betweenness";
  // Keep the `top` highest values; 0 keeps all. Default: 0.
  size_t top = 0;
  Filters filters;
  Regions regions = Regions::kSource;
};

struct CentralityEntry {
  uint64_t id = 0;  // node id in the database
  std::string name;
  std::string code;  // ISO code, for countries only
  double value = 0;
};

struct CentralityResult {
  Rules rules;
  std::string graph;  // "author", "institution" or "country"
  std::string metric;
  bool normalized = true;
  uint64_t nodes = 0;  // of the projection
  uint64_t edges = 0;
  std::vector<CentralityEntry> results;  // highest value first; ties by name
};

}  // namespace collabgraph
