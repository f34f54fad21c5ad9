#include "analytics/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include <boost/graph/core_numbers.hpp>
#include <boost/range/iterator_range.hpp>

namespace collabgraph::analytics {

namespace {

// Distances from `source` by breadth-first search; -1 when unreachable.
void Bfs(const CsrGraph& g, uint32_t source, std::vector<int32_t>* dist,
         std::vector<uint32_t>* queue) {
  std::fill(dist->begin(), dist->end(), -1);
  queue->clear();
  (*dist)[source] = 0;
  queue->push_back(source);
  for (size_t head = 0; head < queue->size(); ++head) {
    const uint32_t u = (*queue)[head];
    for (auto e : boost::make_iterator_range(boost::out_edges(u, g))) {
      const uint32_t v = boost::target(e, g);
      if ((*dist)[v] < 0) {
        (*dist)[v] = (*dist)[u] + 1;
        queue->push_back(v);
      }
    }
  }
}

// Calls fn(source, distances, reached vertices in BFS order) for every vertex as source.
template <typename Fn>
void ForEachSource(const CsrGraph& g, Fn fn) {
  const size_t n = boost::num_vertices(g);
  std::vector<int32_t> dist(n);
  std::vector<uint32_t> queue;
  for (uint32_t s = 0; s < n; ++s) {
    Bfs(g, s, &dist, &queue);
    fn(s, dist, queue);
  }
}

}  // namespace

std::vector<double> PageRank(const CsrGraph& g, double alpha, double tolerance,
                             int max_iterations) {
  const size_t n = boost::num_vertices(g);
  if (n == 0) return {};
  std::vector<double> rank(n, 1.0 / static_cast<double>(n));
  std::vector<double> next(n);
  for (int it = 0; it < max_iterations; ++it) {
    double dangling = 0.0;
    for (uint32_t u = 0; u < n; ++u) {
      if (boost::out_degree(u, g) == 0) dangling += rank[u];
    }
    const double base = (1.0 - alpha + alpha * dangling) / static_cast<double>(n);
    std::fill(next.begin(), next.end(), base);
    for (uint32_t u = 0; u < n; ++u) {
      const auto degree = boost::out_degree(u, g);
      if (degree == 0) continue;
      const double share = alpha * rank[u] / static_cast<double>(degree);
      for (auto e : boost::make_iterator_range(boost::out_edges(u, g))) {
        next[boost::target(e, g)] += share;
      }
    }
    double change = 0.0;
    for (size_t v = 0; v < n; ++v) change += std::abs(next[v] - rank[v]);
    rank.swap(next);
    if (change < tolerance) break;
  }
  return rank;
}

std::vector<double> HarmonicCentrality(const CsrGraph& g) {
  std::vector<double> out(boost::num_vertices(g), 0.0);
  ForEachSource(
      g, [&](uint32_t s, const std::vector<int32_t>& dist, const std::vector<uint32_t>& reached) {
        for (uint32_t v : reached) {
          if (v != s) out[s] += 1.0 / dist[v];
        }
      });
  return out;
}

std::vector<double> Closeness(const CsrGraph& g) {
  const size_t n = boost::num_vertices(g);
  std::vector<double> out(n, 0.0);
  ForEachSource(
      g, [&](uint32_t s, const std::vector<int32_t>& dist, const std::vector<uint32_t>& reached) {
        double total = 0.0;
        for (uint32_t v : reached) total += dist[v];
        const double others = static_cast<double>(reached.size() - 1);
        if (total > 0.0 && n > 1) out[s] = (others / total) * (others / static_cast<double>(n - 1));
      });
  return out;
}

std::vector<double> CoreNumbers(const CsrGraph& g) {
  const size_t n = boost::num_vertices(g);
  std::vector<uint32_t> core(n, 0);
  boost::core_numbers(
      g, boost::make_iterator_property_map(core.begin(), boost::get(boost::vertex_index, g)));
  return {core.begin(), core.end()};
}

std::vector<double> Clustering(const CsrGraph& g) {
  const size_t n = boost::num_vertices(g);
  std::vector<std::vector<uint32_t>> adj(n);
  for (uint32_t u = 0; u < n; ++u) {
    for (auto e : boost::make_iterator_range(boost::out_edges(u, g))) {
      const uint32_t v = boost::target(e, g);
      if (v != u) adj[u].push_back(v);
    }
    std::sort(adj[u].begin(), adj[u].end());
    adj[u].erase(std::unique(adj[u].begin(), adj[u].end()), adj[u].end());
  }
  std::vector<double> out(n, 0.0);
  for (uint32_t u = 0; u < n; ++u) {
    const size_t k = adj[u].size();
    if (k < 2) continue;
    uint64_t links = 0;  // edges among u's neighbours, each counted twice
    for (uint32_t v : adj[u]) {
      const auto& a = adj[u];
      const auto& b = adj[v];
      size_t i = 0;
      size_t j = 0;
      while (i < a.size() && j < b.size()) {
        if (a[i] < b[j]) {
          ++i;
        } else if (b[j] < a[i]) {
          ++j;
        } else {
          ++links;
          ++i;
          ++j;
        }
      }
    }
    out[u] = static_cast<double>(links) / (static_cast<double>(k) * static_cast<double>(k - 1));
  }
  return out;
}

}  // namespace collabgraph::analytics
