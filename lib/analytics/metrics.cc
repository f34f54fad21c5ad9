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
  // With the mass of dangling vertices spread uniformly, the ranks solve x = alpha P^T x + c/n
  // for the scalar c = 1 - alpha + alpha * (rank of the dangling vertices). So x = y / sum(y)
  // for the solution y of y = alpha A D^-1 y + 1 (A the adjacency, D the degrees; a vertex
  // without edges has y = 1), which no longer couples every vertex through c.
  //
  // The Jacobi step J(y) = 1 + alpha A D^-1 y has an iteration matrix similar to the symmetric
  // alpha D^-1/2 A D^-1/2, whose eigenvalues lie in [-alpha, alpha]. That bound is all the
  // Chebyshev semi-iterative method needs (Golub and Varga 1961):
  //   y_k+1 = y_k-1 + w_k+1 (J(y_k) - y_k-1),  w_1 = 1, w_2 = 1 / (1 - alpha^2 / 2),
  //   w_k+1 = 1 / (1 - alpha^2 w_k / 4),
  // whose error shrinks by about sqrt(w_opt - 1) = 0.56 per step for alpha 0.85 (w_opt =
  // 2 / (1 + sqrt(1 - alpha^2)), the optimal SOR factor), against 0.85 for the power
  // iteration, while every step stays one parallel pass over the CSR arrays: about 50 passes
  // to an L1 change of 1e-12 instead of 170.
  const size_t blocks = Blocks(n, kVertexBlock);
  // A pass over fewer than about 256k edge ends is shorter than starting a thread: small
  // graphs run on one (the result does not depend on the thread count).
  const unsigned workers =
      std::min<unsigned>(ResolveThreads(threads),
                         std::max<unsigned>(1, static_cast<unsigned>(boost::num_edges(g) >> 18)));
  // The CSR arrays themselves: the inner loop is the whole cost, and Boost's edge iterators
  // add a descriptor per edge.
  const std::vector<uint32_t>& row_start = g.m_forward.m_rowstart;
  const std::vector<uint32_t>& column = g.m_forward.m_column;
  std::vector<double> before(n, 1.0);   // y_k-1
  std::vector<double> current(n, 1.0);  // y_k
  std::vector<double> next(n);          // y_k+1
  // y_k / degree: what a vertex gives each neighbour before the damping (0 without edges);
  // computed for the next step in the pass that computes the step.
  std::vector<double> share(n);
  std::vector<double> next_share(n);
  std::vector<double> change(blocks);  // per block: L1 change of the step
  std::vector<double> totals(blocks);  // per block: sum of y_k+1
  auto block_end = [&](size_t b) { return std::min(n, (b + 1) * kVertexBlock); };
  ParallelFor(blocks, workers, [&](size_t b) {
    for (size_t v = b * kVertexBlock; v < block_end(b); ++v) {
      const uint32_t degree = row_start[v + 1] - row_start[v];
      share[v] = degree == 0 ? 0.0 : 1.0 / static_cast<double>(degree);
    }
  });
  const double alpha2 = alpha * alpha;
  double weight = 1.0;
  double total = static_cast<double>(n);
  for (int it = 0; it < max_iterations; ++it) {
    weight = it == 0   ? 1.0
             : it == 1 ? 1.0 / (1.0 - alpha2 / 2.0)
                       : 1.0 / (1.0 - alpha2 * weight / 4.0);
    ParallelFor(blocks, workers, [&](size_t b) {
      double delta = 0.0;
      double sum_y = 0.0;
      for (size_t v = b * kVertexBlock; v < block_end(b); ++v) {
        const uint32_t begin = row_start[v];
        const uint32_t end = row_start[v + 1];
        double value = 1.0;
        if (begin != end) {
          double sum = 0.0;
          for (uint32_t i = begin; i < end; ++i) sum += share[column[i]];
          value = before[v] + weight * (1.0 + alpha * sum - before[v]);
          next_share[v] = value / static_cast<double>(end - begin);
        } else {
          next_share[v] = 0.0;
        }
        next[v] = value;
        delta += std::abs(value - current[v]);
        sum_y += value;
      }
      change[b] = delta;
      totals[b] = sum_y;
    });
    before.swap(current);
    current.swap(next);
    share.swap(next_share);
    total = SumInOrder(totals);
    if (SumInOrder(change) / total < tolerance) break;
  }
  for (double& value : current) value /= total;
  return current;
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
