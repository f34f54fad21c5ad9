#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "collabgraph/filters.h"
#include "collabgraph/rules.h"

namespace collabgraph {

// Which collaboration graph to project from the stored graph (docs/methodology.md,
// "Projections"): authors, institutions or countries joined by the papers they share.
enum class GraphKind { kAuthor, kInstitution, kCountry };

// Edge weights that betweenness-type metrics turn into path lengths (docs/methodology.md,
// "Betweenness"): none (every edge has length 1), or length 1/weight with the full weight
// (papers in common) or the fractional one (Newman's sum of 1/(n-1) over shared papers).
enum class Weighting { kNone, kFull, kFractional };

struct CentralityOptions {
  GraphKind graph = GraphKind::kCountry;
  // "betweenness" (exact Brandes, or sampled; normalised as NetworkX: 2/((n-1)(n-2)) for
  // undirected graphs), "degree" (degree / (n-1)), "pagerank" (sums to 1), "harmonic",
  // "closeness" (per component, as NetworkX), "core" (core number) or "clustering" (local
  // coefficient); each as NetworkX computes it by default on the unweighted graph. "bridge"
  // (group betweenness from group_a to group_b, unnormalised) and "brokerage" (papers with
  // both countries per node, with their share). docs/methodology.md defines them all.
  // InvalidArgument for an unknown metric or an option that does not apply to it.
  std::string metric = "betweenness";
  // Keep the `top` highest values; 0 keeps all. Default: 0.
  size_t top = 0;
  Filters filters;
  Regions regions = Regions::kSource;

  // Options of "betweenness" and "bridge" (the other metrics reject non-default values with
  // InvalidArgument).
  // Path lengths: kNone = unweighted, else 1/weight. Default: kNone.
  Weighting weighting = Weighting::kNone;
  // Worker threads; 0 = all cores (std::thread::hardware_concurrency()). Results are
  // bit-identical for every value. Default: 0.
  unsigned threads = 0;
  // "betweenness" only: 0 = exact; K > 0 = estimate from K sources drawn uniformly without
  // replacement (seeded by `seed`, deterministic), scaled by n/K; the rules state the error
  // bound. K >= n is exact. Default: 0.
  uint64_t samples = 0;
  uint64_t seed = 1;  // Default: 1.

  // "bridge" (group betweenness: shortest paths from group A to group B, unnormalised) and
  // "brokerage" (papers with both countries that each node appears on) need both: a country
  // as ISO code or English name (Database::Centrality resolves names; InvalidArgument for an
  // unknown one), grouped under `regions`. Default: empty.
  std::string group_a;
  std::string group_b;
};

struct CentralityEntry {
  uint64_t id = 0;  // node id in the database
  std::string name;
  std::string code;  // ISO code, for countries only
  double value = 0;
  // "brokerage" only: value / all papers with both countries.
  std::optional<double> share;
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
