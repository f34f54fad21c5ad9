#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "collabgraph/filters.h"
#include "collabgraph/rules.h"

namespace collabgraph {

// Which collaboration graph to project from the stored graph (docs/methodology.md,
// "Projections"): authors, institutions or countries joined by the papers they share.
enum class GraphKind { kAuthor, kInstitution, kCountry };

// Which edge weight a weighted metric (strength, louvain) uses (docs/methodology.md,
// "Projections"): none (every edge 1), full (papers in common) or fractional (Newman: the sum
// over shared papers of 1/(n-1), n = the paper's members in the projection).
enum class EdgeWeight { kNone, kFull, kFractional };

// Edge weights that betweenness-type metrics turn into path lengths (docs/methodology.md,
// "Betweenness"): none (every edge has length 1), or length 1/weight with the full weight
// (papers in common) or the fractional one (Newman's sum of 1/(n-1) over shared papers).
enum class Weighting { kNone, kFull, kFractional };

struct CentralityOptions {
  GraphKind graph = GraphKind::kCountry;
  // One of (docs/methodology.md, "Centrality"; each as NetworkX computes it by default):
  //   "betweenness"  Brandes (exact, or sampled with `samples`), normalised by 2/((n-1)(n-2))
  //   "degree"       degree / (n-1)
  //   "pagerank"     damping 0.85, sums to 1
  //   "harmonic"     sum of 1/distance
  //   "closeness"    per component, scaled by its reach (wf_improved)
  //   "core"         core number
  //   "clustering"   local clustering coefficient
  //   "eigenvector"  power iteration on A + I, L2-normalised, unweighted
  //   "strength"     sum of the `weights` of a vertex's edges
  //   "components"   connected components: CentralityEntry::group and group_sizes
  //   "louvain"      Louvain communities under `weights`, resolution 1, seeded by `seed`:
  //                  CentralityEntry::group, group_sizes and modularity
  //   "bridge"       group betweenness: shortest paths from group_a to group_b, unnormalised
  //   "brokerage"    papers with both countries that each node appears on, with their share
  // InvalidArgument for an unknown metric or an option that does not apply to it.
  std::string metric = "betweenness";
  // Keep the `top` highest values; 0 keeps all. Default: 0.
  size_t top = 0;
  Filters filters;
  Regions regions = Regions::kSource;
  // A paper with more members (authors, institutions or countries) than this adds no edges to
  // the projection, only its members as vertices (rule `member_cap` says how many papers); 0 =
  // no cap. Default: 1000.
  size_t max_members = 1000;
  // Worker threads for betweenness, bridge, pagerank, eigenvector, harmonic and closeness;
  // 0 = every hardware thread. Results are bit-identical for every value. Default: 0.
  unsigned threads = 0;
  // Edge weight of "strength" and "louvain"; the other metrics ignore it. Default: kFull.
  EdgeWeight weights = EdgeWeight::kFull;
  // Path lengths of "betweenness" and "bridge": kNone = unweighted, else 1/weight (the other
  // metrics reject non-default values with InvalidArgument). Default: kNone.
  Weighting weighting = Weighting::kNone;
  // "betweenness" only: 0 = exact; K > 0 = estimate from K sources drawn uniformly without
  // replacement (seeded by `seed`, deterministic), scaled by n/K; the rules state the error
  // bound. K >= n is exact. Default: 0.
  uint64_t samples = 0;
  // Seed of the sampled sources of "betweenness" and of the vertex order of "louvain": the
  // same seed on the same data gives the same result. Default: 1.
  uint64_t seed = 1;

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
  // ISO code: of the country, or of an institution's country (under the regions view; empty
  // when unknown); empty for authors.
  std::string code;
  double value = 0;  // for "components" and "louvain": the size of the vertex's group
  // For "components" and "louvain": the id of the vertex's component or community (an index
  // into CentralityResult::group_sizes); -1 for the other metrics.
  int64_t group = -1;
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
  uint64_t capped_papers = 0;  // papers over CentralityOptions::max_members (no edges added)
  // Wall seconds of the three stages: reading the stored graph into memory under one snapshot,
  // building the projection, and computing the metric (to compare the metric alone with other
  // libraries, whose timings start from a built graph). Not part of the result proper.
  double load_seconds = 0;
  double projection_seconds = 0;
  double metric_seconds = 0;
  std::vector<CentralityEntry> results;  // highest value first; ties by group, then name
  // For "components" and "louvain" (empty otherwise): the size of each group by id. Ids are
  // 0..k-1, largest group first, ties by the smallest node id among the members, so they do
  // not depend on the order in which vertices were found.
  std::vector<uint64_t> group_sizes;
  // For "components" and "louvain": the modularity of the partition (resolution 1, under
  // CentralityOptions::weights; 0 for a graph without edges). NaN for the other metrics.
  double modularity = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace collabgraph
