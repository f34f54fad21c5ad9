#include "analytics/community.h"

// Louvain, as implemented here. Each level works on a weighted graph with self-loops
// (LevelGraph; level 0 is the projection, a loop of weight w adds w to m and 2w to the
// weighted degree, as in NetworkX). Local moving: every vertex, in the level's shuffled order,
// leaves its community and joins the neighbouring community c (or its own) that maximises
// w(v, c) - gamma * tot(c) * k(v) / 2m, which is proportional to the modularity gain; passes
// repeat until one moves nothing. Aggregation: communities become vertices (numbered by first
// appearance in vertex order), the weight between two communities becomes an edge and the
// weight inside one a loop. Everything is sequential and every sum runs in a fixed order, so
// the result depends on the graph, the weights and the seed only.

#include <algorithm>
#include <numeric>
#include <random>
#include <utility>

#include <boost/range/iterator_range.hpp>

#include "analytics/metrics.h"

namespace collabgraph::analytics {

namespace {

constexpr uint32_t kNone = UINT32_MAX;
// Local-moving passes per level. Every move strictly raises modularity, so passes end on their
// own; the cap only bounds the damage of floating-point ties on pathological inputs.
constexpr int kMaxPasses = 1000;

struct LevelGraph {
  std::vector<uint64_t> offsets{0};  // n + 1
  std::vector<uint32_t> targets;     // no self-loops here: they are in `loops`
  std::vector<double> weights;
  std::vector<double> loops;  // weight of each vertex's self-loop (counted once in m)

  size_t size() const { return loops.size(); }
};

LevelGraph FromCsr(const CsrGraph& g, EdgeWeight kind) {
  LevelGraph lg;
  const size_t n = boost::num_vertices(g);
  lg.loops.assign(n, 0.0);
  lg.offsets.reserve(n + 1);
  for (uint32_t u = 0; u < n; ++u) {
    for (auto e : boost::make_iterator_range(boost::out_edges(u, g))) {
      const uint32_t v = boost::target(e, g);
      const double w = WeightOf(g[e], kind);
      if (v == u) {
        lg.loops[u] += w / 2.0;  // a loop is stored once per direction
      } else {
        lg.targets.push_back(v);
        lg.weights.push_back(w);
      }
    }
    lg.offsets.push_back(lg.targets.size());
  }
  return lg;
}

// Weighted degrees (loops twice) and their total 2m.
std::vector<double> Degrees(const LevelGraph& lg, double* two_m) {
  std::vector<double> k(lg.size());
  *two_m = 0.0;
  for (size_t v = 0; v < lg.size(); ++v) {
    double sum = 2.0 * lg.loops[v];
    for (uint64_t i = lg.offsets[v]; i < lg.offsets[v + 1]; ++i) sum += lg.weights[i];
    k[v] = sum;
    *two_m += sum;
  }
  return k;
}

// The Fisher-Yates shuffle of 0..n-1 drawn from `rng` (fully specified, unlike std::shuffle).
std::vector<uint32_t> ShuffledOrder(size_t n, std::mt19937_64* rng) {
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  for (size_t i = n; i > 1; --i) {
    const size_t j = (*rng)() % i;
    std::swap(order[i - 1], order[j]);
  }
  return order;
}

// Local moving on `lg`; comm[v] is each vertex's community (a vertex id of lg). Returns the
// number of moves.
uint64_t MoveVertices(const LevelGraph& lg, double resolution, std::mt19937_64* rng,
                      std::vector<uint32_t>* comm) {
  const size_t n = lg.size();
  double two_m = 0.0;
  const std::vector<double> k = Degrees(lg, &two_m);
  comm->resize(n);
  std::iota(comm->begin(), comm->end(), 0u);
  if (two_m <= 0.0) return 0;
  std::vector<double> tot(k);      // weighted degree of each community
  std::vector<double> to(n, 0.0);  // weight from the current vertex to each community
  std::vector<bool> seen(n, false);
  std::vector<uint32_t> touched;
  const std::vector<uint32_t> order = ShuffledOrder(n, rng);
  uint64_t moves = 0;
  for (int pass = 0; pass < kMaxPasses; ++pass) {
    uint64_t pass_moves = 0;
    for (uint32_t v : order) {
      const uint32_t own = (*comm)[v];
      touched.assign(1, own);
      seen[own] = true;
      for (uint64_t i = lg.offsets[v]; i < lg.offsets[v + 1]; ++i) {
        const uint32_t c = (*comm)[lg.targets[i]];
        if (!seen[c]) {
          seen[c] = true;
          touched.push_back(c);
        }
        to[c] += lg.weights[i];
      }
      tot[own] -= k[v];
      const double scale = resolution * k[v] / two_m;
      uint32_t best = own;
      double best_gain = to[own] - tot[own] * scale;
      for (uint32_t c : touched) {
        const double gain = to[c] - tot[c] * scale;
        if (gain > best_gain) {
          best_gain = gain;
          best = c;
        }
      }
      tot[best] += k[v];
      if (best != own) {
        (*comm)[v] = best;
        ++pass_moves;
      }
      for (uint32_t c : touched) {
        to[c] = 0.0;
        seen[c] = false;
      }
    }
    moves += pass_moves;
    if (pass_moves == 0) break;
  }
  return moves;
}

// Renumbers comm by first appearance in vertex order; returns the number of communities.
uint32_t Renumber(std::vector<uint32_t>* comm) {
  std::vector<uint32_t> id(comm->size(), kNone);
  uint32_t next = 0;
  for (uint32_t& c : *comm) {
    if (id[c] == kNone) id[c] = next++;
    c = id[c];
  }
  return next;
}

// The graph of the communities of `lg` (comm renumbered to 0..count-1).
LevelGraph Aggregate(const LevelGraph& lg, const std::vector<uint32_t>& comm, uint32_t count) {
  std::vector<uint64_t> start(count + 1, 0);
  for (uint32_t c : comm) ++start[c + 1];
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<uint32_t> members(lg.size());
  {
    std::vector<uint64_t> fill(start.begin(), start.end() - 1);
    for (uint32_t v = 0; v < lg.size(); ++v) members[fill[comm[v]]++] = v;
  }
  LevelGraph out;
  out.loops.assign(count, 0.0);
  out.offsets.reserve(count + 1);
  std::vector<double> acc(count, 0.0);
  std::vector<bool> seen(count, false);
  std::vector<uint32_t> touched;
  for (uint32_t c = 0; c < count; ++c) {
    double inside = 0.0;  // each internal edge seen from both ends
    touched.clear();
    for (uint64_t p = start[c]; p < start[c + 1]; ++p) {
      const uint32_t v = members[p];
      out.loops[c] += lg.loops[v];
      for (uint64_t i = lg.offsets[v]; i < lg.offsets[v + 1]; ++i) {
        const uint32_t d = comm[lg.targets[i]];
        if (d == c) {
          inside += lg.weights[i];
        } else {
          if (!seen[d]) {
            seen[d] = true;
            touched.push_back(d);
          }
          acc[d] += lg.weights[i];
        }
      }
    }
    out.loops[c] += inside / 2.0;
    std::sort(touched.begin(), touched.end());
    for (uint32_t d : touched) {
      out.targets.push_back(d);
      out.weights.push_back(acc[d]);
      acc[d] = 0.0;
      seen[d] = false;
    }
    out.offsets.push_back(out.targets.size());
  }
  return out;
}

}  // namespace

void CanonicalizeGroups(const std::vector<uint64_t>& key, Partition* partition) {
  const size_t k = partition->sizes.size();
  std::vector<uint64_t> smallest(k, UINT64_MAX);
  for (size_t v = 0; v < partition->group.size(); ++v) {
    uint64_t& s = smallest[partition->group[v]];
    s = std::min(s, key[v]);
  }
  std::vector<uint32_t> order(k);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    if (partition->sizes[a] != partition->sizes[b]) {
      return partition->sizes[a] > partition->sizes[b];
    }
    return smallest[a] < smallest[b];
  });
  std::vector<uint32_t> new_id(k);
  std::vector<uint64_t> sizes(k);
  for (uint32_t i = 0; i < k; ++i) {
    new_id[order[i]] = i;
    sizes[i] = partition->sizes[order[i]];
  }
  for (uint32_t& g : partition->group) g = new_id[g];
  partition->sizes = std::move(sizes);
}

Partition ConnectedComponents(const CsrGraph& g) {
  const size_t n = boost::num_vertices(g);
  Partition p;
  p.group.assign(n, kNone);
  std::vector<uint32_t> queue;
  for (uint32_t s = 0; s < n; ++s) {
    if (p.group[s] != kNone) continue;
    const auto id = static_cast<uint32_t>(p.sizes.size());
    queue.assign(1, s);
    p.group[s] = id;
    for (size_t head = 0; head < queue.size(); ++head) {
      for (auto e : boost::make_iterator_range(boost::out_edges(queue[head], g))) {
        const uint32_t v = boost::target(e, g);
        if (p.group[v] == kNone) {
          p.group[v] = id;
          queue.push_back(v);
        }
      }
    }
    p.sizes.push_back(queue.size());
  }
  std::vector<uint64_t> key(n);
  std::iota(key.begin(), key.end(), uint64_t{0});
  CanonicalizeGroups(key, &p);
  return p;
}

double Modularity(const CsrGraph& g, const std::vector<uint32_t>& group, EdgeWeight kind,
                  double resolution) {
  const size_t n = boost::num_vertices(g);
  const uint32_t k = group.empty() ? 0 : *std::max_element(group.begin(), group.end()) + 1;
  std::vector<double> inside(k, 0.0);  // twice the weight inside each group
  std::vector<double> degree(k, 0.0);
  double two_m = 0.0;
  for (uint32_t u = 0; u < n; ++u) {
    for (auto e : boost::make_iterator_range(boost::out_edges(u, g))) {
      const double w = WeightOf(g[e], kind);
      degree[group[u]] += w;
      two_m += w;
      if (group[boost::target(e, g)] == group[u]) inside[group[u]] += w;
    }
  }
  if (two_m <= 0.0) return 0.0;
  double q = 0.0;
  for (uint32_t c = 0; c < k; ++c) {
    const double share = degree[c] / two_m;
    q += inside[c] / two_m - resolution * share * share;
  }
  return q;
}

Partition Louvain(const CsrGraph& g, EdgeWeight kind, uint64_t seed, double resolution) {
  const size_t n = boost::num_vertices(g);
  std::mt19937_64 rng(seed);
  Partition p;
  p.group.resize(n);
  std::iota(p.group.begin(), p.group.end(), 0u);
  LevelGraph level = FromCsr(g, kind);
  std::vector<uint32_t> comm;
  while (true) {
    if (MoveVertices(level, resolution, &rng, &comm) == 0) break;
    ++p.levels;
    const uint32_t count = Renumber(&comm);
    for (uint32_t& c : p.group) c = comm[c];
    if (count == level.size()) break;
    level = Aggregate(level, comm, count);
  }
  const uint32_t k = n == 0 ? 0 : *std::max_element(p.group.begin(), p.group.end()) + 1;
  p.sizes.assign(k, 0);
  for (uint32_t c : p.group) ++p.sizes[c];
  std::vector<uint64_t> key(n);
  std::iota(key.begin(), key.end(), uint64_t{0});
  CanonicalizeGroups(key, &p);
  return p;
}

}  // namespace collabgraph::analytics
