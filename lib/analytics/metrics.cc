#include "analytics/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>

#include <boost/graph/core_numbers.hpp>
#include <boost/range/iterator_range.hpp>

#include "analytics/parallel.h"

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

// Vertices per block of the parallel loops. Fixed, so that the blocks, and the order in which
// per-block partial sums are added, depend on the graph only and never on the thread count.
constexpr size_t kVertexBlock = 1024;
// Sources per block of the all-sources BFS sweeps (each source writes only its own slot).
constexpr size_t kSourceBlock = 16;

size_t Blocks(size_t n, size_t block) { return (n + block - 1) / block; }

// Sum of `partial` in index order: the fixed-order reduction of per-block sums.
double SumInOrder(const std::vector<double>& partial) {
  double sum = 0.0;
  for (double p : partial) sum += p;
  return sum;
}

// Calls fn(source, distances, reached vertices in BFS order) for every vertex as source, on up
// to `threads` threads. fn may write only state that belongs to `source`.
template <typename Fn>
void ForEachSource(const CsrGraph& g, unsigned threads, Fn fn) {
  const size_t n = boost::num_vertices(g);
  ParallelFor(Blocks(n, kSourceBlock), threads, [&](size_t block) {
    std::vector<int32_t> dist(n);
    std::vector<uint32_t> queue;
    const size_t end = std::min(n, (block + 1) * kSourceBlock);
    for (size_t s = block * kSourceBlock; s < end; ++s) {
      Bfs(g, static_cast<uint32_t>(s), &dist, &queue);
      fn(static_cast<uint32_t>(s), dist, queue);
    }
  });
}

}  // namespace

std::vector<double> PageRank(const CsrGraph& g, unsigned threads, double alpha, double tolerance,
                             int max_iterations) {
  const size_t n = boost::num_vertices(g);
  if (n == 0) return {};
  const size_t blocks = Blocks(n, kVertexBlock);
  // A round over fewer than about 256k edge ends is shorter than starting a thread: small
  // graphs run on one (the result does not depend on the thread count).
  const unsigned workers =
      std::min<unsigned>(ResolveThreads(threads),
                         std::max<unsigned>(1, static_cast<unsigned>(boost::num_edges(g) >> 18)));
  std::vector<double> rank(n, 1.0 / static_cast<double>(n));
  std::vector<double> next(n);
  // alpha * rank / degree: what a vertex gives each neighbour; computed for the next round in
  // the same pass that computes the next ranks, so each round is one parallel pass.
  std::vector<double> share(n);
  std::vector<double> next_share(n);
  std::vector<double> dangling(blocks);  // per block: rank of the vertices without edges
  std::vector<double> change(blocks);    // per block: L1 change of the round
  // The CSR arrays themselves: the inner loop is the whole cost, and Boost's edge iterators
  // add a descriptor per edge.
  const std::vector<uint32_t>& row_start = g.m_forward.m_rowstart;
  const std::vector<uint32_t>& column = g.m_forward.m_column;
  auto give = [&](size_t b, const std::vector<double>& r, std::vector<double>* out) {
    double lost = 0.0;
    for (size_t u = b * kVertexBlock; u < std::min(n, (b + 1) * kVertexBlock); ++u) {
      const auto degree = boost::out_degree(static_cast<uint32_t>(u), g);
      if (degree == 0) {
        lost += r[u];
        (*out)[u] = 0.0;
      } else {
        (*out)[u] = alpha * r[u] / static_cast<double>(degree);
      }
    }
    dangling[b] = lost;
  };
  ParallelFor(blocks, workers, [&](size_t b) { give(b, rank, &share); });
  for (int it = 0; it < max_iterations; ++it) {
    const double base = (1.0 - alpha + alpha * SumInOrder(dangling)) / static_cast<double>(n);
    // Pull: the graph is symmetric, so a vertex's in-neighbours are its out-neighbours.
    ParallelFor(blocks, workers, [&](size_t b) {
      double delta = 0.0;
      for (size_t v = b * kVertexBlock; v < std::min(n, (b + 1) * kVertexBlock); ++v) {
        double sum = 0.0;
        for (uint32_t i = row_start[v]; i < row_start[v + 1]; ++i) sum += share[column[i]];
        next[v] = base + sum;
        delta += std::abs(next[v] - rank[v]);
      }
      change[b] = delta;
      give(b, next, &next_share);
    });
    rank.swap(next);
    share.swap(next_share);
    if (SumInOrder(change) < tolerance) break;
  }
  return rank;
}

std::vector<double> HarmonicCentrality(const CsrGraph& g, unsigned threads) {
  std::vector<double> out(boost::num_vertices(g), 0.0);
  ForEachSource(
      g, threads,
      [&](uint32_t s, const std::vector<int32_t>& dist, const std::vector<uint32_t>& reached) {
        double sum = 0.0;
        for (uint32_t v : reached) {
          if (v != s) sum += 1.0 / dist[v];
        }
        out[s] = sum;
      });
  return out;
}

std::vector<double> Closeness(const CsrGraph& g, unsigned threads) {
  const size_t n = boost::num_vertices(g);
  std::vector<double> out(n, 0.0);
  ForEachSource(
      g, threads,
      [&](uint32_t s, const std::vector<int32_t>& dist, const std::vector<uint32_t>& reached) {
        double total = 0.0;
        for (uint32_t v : reached) total += dist[v];
        const double others = static_cast<double>(reached.size() - 1);
        if (total > 0.0 && n > 1) {
          out[s] = (others / total) * (others / static_cast<double>(n - 1));
        }
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

std::vector<double> Strength(const CsrGraph& g, EdgeWeight kind) {
  const size_t n = boost::num_vertices(g);
  std::vector<double> out(n, 0.0);
  for (uint32_t u = 0; u < n; ++u) {
    double sum = 0.0;
    for (auto e : boost::make_iterator_range(boost::out_edges(u, g))) sum += WeightOf(g[e], kind);
    out[u] = sum;
  }
  return out;
}

EigenvectorResult EigenvectorCentrality(const CsrGraph& g, unsigned threads, double tolerance,
                                        int max_iterations) {
  EigenvectorResult result;
  const size_t n = boost::num_vertices(g);
  if (n == 0) {
    result.converged = true;
    return result;
  }
  const size_t blocks = Blocks(n, kVertexBlock);
  std::vector<double> x(n, 1.0 / static_cast<double>(n));
  std::vector<double> next(n);
  std::vector<double> partial(blocks);
  while (result.iterations < max_iterations) {
    ++result.iterations;
    ParallelFor(blocks, threads, [&](size_t b) {
      double squares = 0.0;
      for (size_t v = b * kVertexBlock; v < std::min(n, (b + 1) * kVertexBlock); ++v) {
        double sum = x[v];  // the +I of A + I
        for (auto e : boost::make_iterator_range(boost::out_edges(static_cast<uint32_t>(v), g))) {
          sum += x[boost::target(e, g)];
        }
        next[v] = sum;
        squares += sum * sum;
      }
      partial[b] = squares;
    });
    double norm = std::sqrt(SumInOrder(partial));
    if (norm == 0.0) norm = 1.0;
    ParallelFor(blocks, threads, [&](size_t b) {
      double change = 0.0;
      for (size_t v = b * kVertexBlock; v < std::min(n, (b + 1) * kVertexBlock); ++v) {
        next[v] /= norm;
        change += std::abs(next[v] - x[v]);
      }
      partial[b] = change;
    });
    x.swap(next);
    if (SumInOrder(partial) < static_cast<double>(n) * tolerance) {
      result.converged = true;
      break;
    }
  }
  result.values = std::move(x);
  return result;
}

}  // namespace collabgraph::analytics
