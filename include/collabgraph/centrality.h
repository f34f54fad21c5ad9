#pragma once

#include <cstdint>
#include <limits>
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

struct CentralityOptions {
  GraphKind graph = GraphKind::kCountry;
  // One of (docs/methodology.md, "Centrality"; each as NetworkX computes it by default):
  //   "betweenness"  Brandes, unweighted, normalised by 2/((n-1)(n-2))
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
  std::string metric = "betweenness";
  // Keep the `top` highest values; 0 keeps all. Default: 0.
  size_t top = 0;
  Filters filters;
  Regions regions = Regions::kSource;
  // Threads for pagerank, eigenvector, harmonic and closeness; 0 = every hardware thread.
  // Results are identical for every thread count. Default: 0.
  unsigned threads = 0;
  // Edge weight of "strength" and "louvain"; the other metrics are unweighted and ignore it.
  // Default: kFull.
  EdgeWeight weights = EdgeWeight::kFull;
  // Seed of the vertex order of "louvain": the same seed on the same data gives the same
  // partition. Default: 0.
  uint64_t seed = 0;
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
};

struct CentralityResult {
  Rules rules;
  std::string graph;  // "author", "institution" or "country"
  std::string metric;
  bool normalized = true;
  uint64_t nodes = 0;  // of the projection
  uint64_t edges = 0;
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
