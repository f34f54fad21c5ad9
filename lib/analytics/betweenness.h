#pragma once

// Exact and sampled Brandes betweenness on an undirected CsrGraph, in parallel, with results
// that do not depend on the number of threads, and the exact reductions of co-authorship
// graphs (docs/methodology.md, "Betweenness"). Thread-safe: every call owns its state.

#include <cstdint>
#include <vector>

#include "analytics/projection.h"

namespace collabgraph::analytics {

// How long an edge is for shortest paths.
enum class EdgeLength {
  kUnit,               // every edge 1 (BFS)
  kInverseFull,        // 1 / papers in common (Dijkstra)
  kInverseFractional,  // 1 / Newman's fractional weight (Dijkstra)
};

struct BrandesOptions {
  // IN. Default: kUnit.
  EdgeLength length = EdgeLength::kUnit;
  // IN. Worker threads; 0 means std::thread::hardware_concurrency(). The result is
  // bit-identical for every value. Default: 0.
  unsigned threads = 0;
  // IN. Merge closed twins (vertices with the same closed neighbourhood and, for weighted
  // lengths, the same edge lengths) into one vertex with a multiplicity. Exact; false runs
  // plain Brandes on every vertex (for tests). Default: true.
  bool compress_twins = true;
  // IN. Do not run the vertices of degree 1 (after compression) as sources: their
  // dependencies follow from their neighbour's. Exact. Default: true.
  bool merge_leaf_sources = true;
  // IN. Weight of each vertex as a source (empty: 1 for every vertex). A vertex of weight 0
  // is never a source; a weight k counts its dependencies k times (sampling, groups).
  std::vector<double> source_weight;
  // IN. Whether each vertex counts as a target (empty: every vertex).
  std::vector<uint8_t> is_target;
};

// Returns, for every vertex v, sum over sources s of source_weight[s] * delta_s(v), where
// delta_s(v) = sum over targets t != s, v of sigma_st(v) / sigma_st (ordered pairs; plain
// undirected betweenness is half of it with the default options). O(n m) time for unit
// lengths and O(n m log n) for weighted ones on the graph after twin compression; O(n) memory
// per thread plus one vector per block of sources.
// Preconditions: the graph stores each undirected edge in both directions; edge weights used
// as lengths are positive; the option vectors are empty or of size num_vertices(g).
std::vector<double> BrandesDependencies(const CsrGraph& g, const BrandesOptions& options);

// K distinct vertices of [0, n) drawn uniformly without replacement, as a 0/1 vector; the same
// for the same (n, k, seed) on every platform (own SplitMix64 generator).
std::vector<double> SampleSources(uint32_t n, uint64_t k, uint64_t seed);

// Statistics of the twin compression, for tests and benchmarks.
struct TwinStats {
  uint32_t vertices = 0;
  uint32_t classes = 0;           // vertices of the compressed graph
  uint64_t compressed_edges = 0;  // undirected
};
TwinStats CompressionStats(const CsrGraph& g, EdgeLength length);

}  // namespace collabgraph::analytics
