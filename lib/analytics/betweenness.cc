// Brandes betweenness on a compressed, component-ordered copy of the graph.
//
// 1. Closed twins. Vertices u, v with N[u] = N[v] (closed neighbourhoods, so u and v are
//    adjacent) are interchangeable: a shortest path never uses both, and a path between two
//    other vertices that passes through the class may pass through any member. Each class
//    becomes one vertex X of multiplicity w(X). From a source s in class S, let sigma[X] be
//    the number of shortest paths from s to one fixed member of X; then
//      sigma[Y] = sum over predecessor classes X of sigma[X] * m(X), m(S) = 1, else w(X),
//    and the dependency of one member x of X on the targets beyond it is
//      delta[X] = sigma[X] * sum over successor classes Y of (b(Y) + w(Y) delta[Y]) / sigma[Y],
//    with b(Y) the number of members of Y that count as targets. Every member of S has the
//    same dependencies, so S is run once with weight a(S) = sum of its members' source
//    weights. Members of the source's own class are at distance 1 and carry nothing. For
//    weighted lengths a class also needs equal lengths from every member to each outside
//    vertex, and one common length inside that is shorter than any detour through a
//    neighbour (checked; a class that fails stays uncompressed).
// 2. Leaf sources. A class with a single neighbouring class is not run as a source; its
//    neighbour runs with its weight added (MergeLeafSources).
// 3. Components. A source reaches only its component, so the compressed graph is renumbered
//    with each component contiguous (breadth-first order within it, for locality) and every
//    source works on arrays the size of its component. Components of fewer than three
//    classes have no intermediate vertex and are skipped.
// 4. Determinism. The sources of a component are cut into blocks by a rule that depends only
//    on the graph (one block, or kBlocks blocks for a large component). Each block runs its
//    sources in order into its own vector; threads take blocks in any order; the vectors are
//    then summed in block order. The floating-point operations are therefore the same for
//    any number of threads, and so is every bit of the result.

#include "analytics/betweenness.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <numeric>
#include <thread>
#include <utility>

#include <boost/range/iterator_range.hpp>

namespace collabgraph::analytics {

namespace {

// Blocks of sources per large component, and what counts as large (compressed vertices).
constexpr uint32_t kBlocks = 64;
constexpr uint32_t kLargeComponent = 2048;
// Two weighted path lengths closer than this (relative) are one length: sums of the same
// inverse weights in a different order may differ in the last bits.
constexpr double kTieTolerance = 1e-12;

double Length(const EdgeWeights& w, EdgeLength length) {
  switch (length) {
    case EdgeLength::kUnit:
      return 1.0;
    case EdgeLength::kInverseFull:
      return 1.0 / w.full;
    case EdgeLength::kInverseFractional:
      return 1.0 / w.fractional;
  }
  return 1.0;
}

// Undirected graph as sorted adjacency arrays (neighbour ids ascending) with edge lengths.
struct Adjacency {
  std::vector<uint64_t> offsets;  // n + 1
  std::vector<uint32_t> targets;
  std::vector<double> lengths;
  uint32_t size() const { return static_cast<uint32_t>(offsets.size() - 1); }
};

Adjacency SortedAdjacency(const CsrGraph& g, EdgeLength length) {
  const auto n = static_cast<uint32_t>(boost::num_vertices(g));
  Adjacency adj;
  adj.offsets.assign(n + 1, 0);
  adj.targets.reserve(boost::num_edges(g));
  adj.lengths.reserve(boost::num_edges(g));
  std::vector<std::pair<uint32_t, double>> row;
  for (uint32_t u = 0; u < n; ++u) {
    row.clear();
    for (auto e : boost::make_iterator_range(boost::out_edges(u, g))) {
      const uint32_t v = boost::target(e, g);
      if (v != u) row.emplace_back(v, Length(g[e], length));
    }
    std::sort(row.begin(), row.end());
    for (const auto& [v, len] : row) {
      adj.targets.push_back(v);
      adj.lengths.push_back(len);
    }
    adj.offsets[u + 1] = adj.targets.size();
  }
  return adj;
}

// The closed neighbourhood of u, ascending.
void ClosedNeighbourhood(const Adjacency& adj, uint32_t u, std::vector<uint32_t>* out) {
  out->assign(adj.targets.begin() + static_cast<std::ptrdiff_t>(adj.offsets[u]),
              adj.targets.begin() + static_cast<std::ptrdiff_t>(adj.offsets[u + 1]));
  out->insert(std::upper_bound(out->begin(), out->end(), u), u);
}

uint64_t Mix(uint64_t h, uint64_t x) {
  h ^= x + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  h ^= h >> 31;
  h *= 0xBF58476D1CE4E5B9ull;
  return h;
}

// For weighted lengths: true when the members of `members` (one candidate class, sharing one
// closed neighbourhood, marked in `in_class`) have equal lengths to every outside vertex, one
// common length among themselves, and that length is below twice the shortest outside edge.
// Without the last condition two members could be closer through a common neighbour than
// directly, and that neighbour would lie between them.
bool SameLengths(const Adjacency& adj, const std::vector<uint32_t>& members,
                 const std::vector<uint8_t>& in_class) {
  const uint32_t r = members[0];
  double inner = -1.0;
  double shortest_outside = std::numeric_limits<double>::infinity();
  for (uint64_t e = adj.offsets[r]; e < adj.offsets[r + 1]; ++e) {
    if (in_class[adj.targets[e]]) {
      inner = adj.lengths[e];
    } else {
      shortest_outside = std::min(shortest_outside, adj.lengths[e]);
    }
  }
  if (!(inner * (1.0 + 1e-9) < 2.0 * shortest_outside)) return false;
  for (size_t i = 1; i < members.size(); ++i) {
    const uint32_t u = members[i];
    uint64_t er = adj.offsets[r];
    for (uint64_t e = adj.offsets[u]; e < adj.offsets[u + 1]; ++e) {
      const uint32_t x = adj.targets[e];
      if (in_class[x]) {
        if (adj.lengths[e] != inner) return false;
        continue;
      }
      while (er < adj.offsets[r + 1] && adj.targets[er] < x) ++er;
      if (er == adj.offsets[r + 1] || adj.targets[er] != x || adj.lengths[er] != adj.lengths[e]) {
        return false;
      }
    }
  }
  return true;
}

// Twin class of every vertex, classes numbered by their smallest member. Without
// compression every vertex is its own class.
std::vector<uint32_t> TwinClasses(const Adjacency& adj, EdgeLength length, bool compress,
                                  uint32_t* num_classes) {
  const uint32_t n = adj.size();
  std::vector<uint32_t> rep(n);
  std::iota(rep.begin(), rep.end(), 0);
  if (compress) {
    std::vector<uint64_t> hash(n);
    std::vector<uint32_t> closed;
    for (uint32_t u = 0; u < n; ++u) {
      ClosedNeighbourhood(adj, u, &closed);
      uint64_t h = closed.size();
      for (uint32_t x : closed) h = Mix(h, x);
      hash[u] = h;
    }
    std::vector<uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      return hash[a] != hash[b] ? hash[a] < hash[b] : a < b;
    });
    std::vector<uint32_t> other;
    std::vector<uint32_t> reps;  // representatives within one run of equal hashes
    std::vector<uint32_t> members;
    std::vector<uint8_t> in_class(length == EdgeLength::kUnit ? 0 : n, 0);
    for (size_t i = 0; i < n;) {
      size_t j = i;
      while (j < n && hash[order[j]] == hash[order[i]]) ++j;
      reps.clear();
      for (size_t k = i; k < j; ++k) {
        const uint32_t u = order[k];
        ClosedNeighbourhood(adj, u, &closed);
        for (uint32_t r : reps) {
          ClosedNeighbourhood(adj, r, &other);
          if (other == closed) {
            rep[u] = r;
            break;
          }
        }
        if (rep[u] == u) reps.push_back(u);
      }
      if (length != EdgeLength::kUnit) {
        for (uint32_t r : reps) {
          members.clear();
          for (size_t k = i; k < j; ++k) {
            if (rep[order[k]] == r) members.push_back(order[k]);
          }
          if (members.size() < 2) continue;
          for (uint32_t u : members) in_class[u] = 1;
          const bool same = SameLengths(adj, members, in_class);
          for (uint32_t u : members) {
            in_class[u] = 0;
            if (!same) rep[u] = u;
          }
        }
      }
      i = j;
    }
  }
  std::vector<uint32_t> class_of(n);
  uint32_t classes = 0;
  for (uint32_t u = 0; u < n; ++u) class_of[u] = rep[u] == u ? classes++ : class_of[rep[u]];
  *num_classes = classes;
  return class_of;
}

// The compressed graph, renumbered so that each component is a contiguous range of vertices
// in breadth-first order.
struct WorkGraph {
  std::vector<uint64_t> offsets;
  std::vector<uint32_t> targets;
  std::vector<double> lengths;
  std::vector<double> multiplicity;       // w: members of the class
  std::vector<double> source;             // a: sum of the members' source weights
  std::vector<double> target;             // b: members that count as targets
  std::vector<uint32_t> component_begin;  // components' first vertices, then the end
  std::vector<uint32_t> vertex_of_class;  // class -> vertex of this graph
};

WorkGraph BuildWorkGraph(const Adjacency& adj, const std::vector<uint32_t>& class_of,
                         uint32_t classes, const BrandesOptions& options) {
  const uint32_t n = adj.size();
  // Class adjacency, from each class's first member (all members have the same neighbours).
  std::vector<uint32_t> first(classes, UINT32_MAX);
  WorkGraph w;
  std::vector<double> mult(classes, 0.0);
  std::vector<double> src(classes, 0.0);
  std::vector<double> tgt(classes, 0.0);
  for (uint32_t u = 0; u < n; ++u) {
    const uint32_t c = class_of[u];
    if (first[c] == UINT32_MAX) first[c] = u;
    mult[c] += 1.0;
    src[c] += options.source_weight.empty() ? 1.0 : options.source_weight[u];
    tgt[c] += options.is_target.empty() || options.is_target[u] ? 1.0 : 0.0;
  }
  std::vector<uint64_t> coff(classes + 1, 0);
  std::vector<uint32_t> ctargets;
  std::vector<double> clengths;
  std::vector<uint32_t> seen(classes, UINT32_MAX);
  for (uint32_t c = 0; c < classes; ++c) {
    const uint32_t u = first[c];
    for (uint64_t e = adj.offsets[u]; e < adj.offsets[u + 1]; ++e) {
      const uint32_t d = class_of[adj.targets[e]];
      if (d == c || seen[d] == c) continue;
      seen[d] = c;
      ctargets.push_back(d);
      clengths.push_back(adj.lengths[e]);
    }
    coff[c + 1] = ctargets.size();
  }
  // Components in breadth-first order from their smallest class.
  w.vertex_of_class.assign(classes, UINT32_MAX);
  std::vector<uint32_t> order;
  order.reserve(classes);
  for (uint32_t c = 0; c < classes; ++c) {
    if (w.vertex_of_class[c] != UINT32_MAX) continue;
    w.component_begin.push_back(static_cast<uint32_t>(order.size()));
    w.vertex_of_class[c] = static_cast<uint32_t>(order.size());
    order.push_back(c);
    for (size_t head = w.component_begin.back(); head < order.size(); ++head) {
      const uint32_t x = order[head];
      for (uint64_t e = coff[x]; e < coff[x + 1]; ++e) {
        const uint32_t y = ctargets[e];
        if (w.vertex_of_class[y] == UINT32_MAX) {
          w.vertex_of_class[y] = static_cast<uint32_t>(order.size());
          order.push_back(y);
        }
      }
    }
  }
  w.component_begin.push_back(classes);
  w.offsets.assign(classes + 1, 0);
  w.targets.reserve(ctargets.size());
  w.lengths.reserve(ctargets.size());
  w.multiplicity.resize(classes);
  w.source.resize(classes);
  w.target.resize(classes);
  uint32_t component = 0;
  for (uint32_t v = 0; v < classes; ++v) {
    while (w.component_begin[component + 1] <= v) ++component;
    const uint32_t base = w.component_begin[component];
    const uint32_t c = order[v];
    w.multiplicity[v] = mult[c];
    w.source[v] = src[c];
    w.target[v] = tgt[c];
    for (uint64_t e = coff[c]; e < coff[c + 1]; ++e) {
      w.targets.push_back(w.vertex_of_class[ctargets[e]] - base);
      w.lengths.push_back(clengths[e]);
    }
    w.offsets[v + 1] = w.targets.size();
  }
  return w;
}

// Per-thread arrays, indexed by vertex minus the component's first vertex.
struct Scratch {
  // Unit lengths: hop count and one value, side by side so that a neighbour costs one cache
  // line: sigma in the forward pass, then (b + w delta) / sigma once the vertex is done
  // backwards (its predecessors read it; nothing reads its sigma any more).
  struct Hop {
    int32_t hops = -1;
    double value = 0.0;
  };
  std::vector<Hop> state;
  // Successors on shortest paths, recorded by the forward pass in breadth-first order: the
  // backward pass reads these instead of every edge.
  std::vector<uint32_t> successors;
  std::vector<uint64_t> successors_end;  // per position in `order`
  std::vector<double> dist;
  std::vector<uint8_t> settled;
  std::vector<double> sigma;
  std::vector<double> ratio;  // (b + w delta) / sigma of a vertex already done backwards
  std::vector<uint32_t> order;
  std::vector<std::pair<double, uint32_t>> heap;
  Scratch(uint32_t size, uint64_t edges, bool unit) : order(size) {
    if (unit) {
      state.resize(size);
      successors.resize(edges);
      successors_end.resize(size);
    } else {
      dist.assign(size, std::numeric_limits<double>::infinity());
      settled.assign(size, 0);
      sigma.assign(size, 0.0);
      ratio.assign(size, 0.0);
    }
  }
};

// One source, unit lengths: adds source weight * dependency of every vertex to out[].
// `s` and the arrays are component-local (vertex - base).
void BfsSource(const WorkGraph& g, uint32_t base, uint32_t s, Scratch* sc, double* out) {
  Scratch::Hop* st = sc->state.data();
  const uint64_t* offsets = g.offsets.data() + base;
  const uint32_t* targets = g.targets.data();
  const double* multiplicity = g.multiplicity.data() + base;
  const double* target = g.target.data() + base;
  uint32_t* order = sc->order.data();
  uint32_t* succ = sc->successors.data();
  uint64_t* succ_end = sc->successors_end.data();
  st[s] = {0, 1.0};
  order[0] = s;
  size_t reached = 1;
  uint64_t recorded = 0;
  for (size_t head = 0; head < reached; ++head) {
    const uint32_t v = order[head];
    const int32_t next = st[v].hops + 1;
    const double through = st[v].value * (head == 0 ? 1.0 : multiplicity[v]);
    for (uint64_t e = offsets[v]; e < offsets[v + 1]; ++e) {
      const uint32_t u = targets[e];
      Scratch::Hop& h = st[u];
      if (h.hops < 0) {
        h.hops = next;
        h.value = through;
        order[reached++] = u;
        succ[recorded++] = u;
      } else if (h.hops == next) {
        h.value += through;
        succ[recorded++] = u;
      }
    }
    succ_end[head] = recorded;
  }
  const double weight = g.source[base + s];
  for (size_t i = reached - 1; i > 0; --i) {
    const uint32_t x = order[i];
    double sum = 0.0;
    for (uint64_t k = succ_end[i - 1]; k < succ_end[i]; ++k) sum += st[succ[k]].value;
    const double sigma = st[x].value;
    const double delta = sigma * sum;
    out[x] += weight * delta;
    st[x].value = (target[x] + multiplicity[x] * delta) / sigma;
  }
  for (size_t i = 0; i < reached; ++i) st[order[i]].hops = -1;
}

// One source, weighted lengths (Dijkstra). Predecessors are decided on final distances by one
// predicate, in the forward and the backward pass alike.
void DijkstraSource(const WorkGraph& g, uint32_t base, uint32_t s, Scratch* sc, double* out) {
  auto& dist = sc->dist;
  auto& settled = sc->settled;
  auto& sigma = sc->sigma;
  auto& ratio = sc->ratio;
  auto& order = sc->order;
  order.clear();
  auto& heap = sc->heap;
  const auto on_path = [&](uint32_t from, uint64_t e, uint32_t to) {
    const double d = dist[from] + g.lengths[e];
    return std::abs(d - dist[to]) <= kTieTolerance * dist[to];
  };
  heap.clear();
  dist[s] = 0.0;
  heap.emplace_back(0.0, s);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), std::greater<>());
    const auto [d, v] = heap.back();
    heap.pop_back();
    if (settled[v] || d > dist[v]) continue;
    settled[v] = 1;
    order.push_back(v);
    double paths = v == s ? 1.0 : 0.0;
    for (uint64_t e = g.offsets[v + base]; e < g.offsets[v + base + 1]; ++e) {
      const uint32_t u = g.targets[e];
      if (settled[u]) {
        if (u != v && on_path(u, e, v)) {
          paths += sigma[u] * (u == s ? 1.0 : g.multiplicity[u + base]);
        }
      } else if (d + g.lengths[e] < dist[u]) {
        dist[u] = d + g.lengths[e];
        heap.emplace_back(dist[u], u);
        std::push_heap(heap.begin(), heap.end(), std::greater<>());
      }
    }
    sigma[v] = paths;
  }
  const double weight = g.source[base + s];
  for (size_t i = order.size() - 1; i > 0; --i) {
    const uint32_t x = order[i];
    double sum = 0.0;
    for (uint64_t e = g.offsets[x + base]; e < g.offsets[x + base + 1]; ++e) {
      const uint32_t y = g.targets[e];
      if (dist[y] > dist[x] && on_path(x, e, y)) sum += ratio[y];
    }
    const double delta = sigma[x] * sum;
    out[x] += weight * delta;
    ratio[x] = (g.target[x + base] + g.multiplicity[x + base] * delta) / sigma[x];
  }
  for (uint32_t v : order) {
    dist[v] = std::numeric_limits<double>::infinity();
    settled[v] = 0;
  }
}

// A class U with one neighbouring class V (a leaf of the compressed graph; its members'
// neighbourhood is a clique) reaches everything beyond V through V, with the same shares of
// shortest paths as a member of V: the dependencies of a source in U equal those of a source
// in V on every vertex outside U and V, nothing for the members of U, and for each member of
// V its share 1/w(V) of every target outside U and V. So U's source weight moves to V and V
// receives the rest directly; U is never run as a source. Returns what V receives, per
// vertex.
std::vector<double> MergeLeafSources(WorkGraph* g) {
  const auto n = static_cast<uint32_t>(g->multiplicity.size());
  std::vector<double> extra(n, 0.0);
  for (size_t c = 0; c + 1 < g->component_begin.size(); ++c) {
    const uint32_t begin = g->component_begin[c];
    const uint32_t end = g->component_begin[c + 1];
    if (end - begin < 3) continue;
    double targets = 0.0;
    for (uint32_t v = begin; v < end; ++v) targets += g->target[v];
    for (uint32_t u = begin; u < end; ++u) {
      if (g->offsets[u + 1] - g->offsets[u] != 1 || g->source[u] == 0.0) continue;
      const uint32_t v = begin + g->targets[g->offsets[u]];
      extra[v] += g->source[u] * (targets - g->target[u] - g->target[v]) / g->multiplicity[v];
      g->source[v] += g->source[u];
      g->source[u] = 0.0;
    }
  }
  return extra;
}

struct Block {
  uint32_t component;
  uint32_t begin;  // sources [begin, end) of the work graph
  uint32_t end;
  double cost;
};

}  // namespace

std::vector<double> BrandesDependencies(const CsrGraph& g, const BrandesOptions& options) {
  const Adjacency adj = SortedAdjacency(g, options.length);
  const uint32_t n = adj.size();
  uint32_t classes = 0;
  const std::vector<uint32_t> class_of =
      TwinClasses(adj, options.length, options.compress_twins, &classes);
  WorkGraph w = BuildWorkGraph(adj, class_of, classes, options);
  const std::vector<double> leaf_extra =
      options.merge_leaf_sources ? MergeLeafSources(&w) : std::vector<double>();

  std::vector<Block> blocks;
  uint32_t largest = 0;
  uint64_t largest_edges = 0;
  const size_t components = w.component_begin.size() - 1;
  for (uint32_t c = 0; c < components; ++c) {
    const uint32_t begin = w.component_begin[c];
    const uint32_t size = w.component_begin[c + 1] - begin;
    if (size < 3) continue;
    largest = std::max(largest, size);
    largest_edges = std::max<uint64_t>(largest_edges, w.offsets[begin + size] - w.offsets[begin]);
    const uint32_t parts = size >= kLargeComponent ? kBlocks : 1;
    const double edges = static_cast<double>(w.offsets[begin + size] - w.offsets[begin]);
    for (uint32_t p = 0; p < parts; ++p) {
      const auto lo = static_cast<uint32_t>(begin + uint64_t{size} * p / parts);
      const auto hi = static_cast<uint32_t>(begin + uint64_t{size} * (p + 1) / parts);
      blocks.push_back({c, lo, hi, static_cast<double>(hi - lo) * (edges + size)});
    }
  }
  // Costly blocks first, so that the last ones to finish are short.
  std::vector<uint32_t> schedule(blocks.size());
  std::iota(schedule.begin(), schedule.end(), 0);
  std::stable_sort(schedule.begin(), schedule.end(),
                   [&](uint32_t a, uint32_t b) { return blocks[a].cost > blocks[b].cost; });

  std::vector<std::vector<double>> partial(blocks.size());
  const bool unit = options.length == EdgeLength::kUnit;
  unsigned threads = options.threads != 0 ? options.threads : std::thread::hardware_concurrency();
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(blocks.size())));
  std::atomic<size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  const auto worker = [&] {
    try {
      Scratch scratch(largest, largest_edges, unit);
      for (size_t i = next++; i < schedule.size(); i = next++) {
        const Block& b = blocks[schedule[i]];
        const uint32_t base = w.component_begin[b.component];
        std::vector<double> out(w.component_begin[b.component + 1] - base, 0.0);
        for (uint32_t s = b.begin; s < b.end; ++s) {
          if (w.source[s] == 0.0) continue;
          if (unit) {
            BfsSource(w, base, s - base, &scratch, out.data());
          } else {
            DijkstraSource(w, base, s - base, &scratch, out.data());
          }
        }
        partial[schedule[i]] = std::move(out);
      }
    } catch (...) {
      const std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next = schedule.size();
    }
  };
  if (threads == 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
  }
  if (failure) std::rethrow_exception(failure);

  std::vector<double> by_vertex = leaf_extra;
  by_vertex.resize(classes, 0.0);
  for (size_t i = 0; i < blocks.size(); ++i) {
    const uint32_t base = w.component_begin[blocks[i].component];
    const std::vector<double>& part = partial[i];
    for (size_t k = 0; k < part.size(); ++k) by_vertex[base + k] += part[k];
  }
  std::vector<double> result(n);
  for (uint32_t u = 0; u < n; ++u) result[u] = by_vertex[w.vertex_of_class[class_of[u]]];
  return result;
}

std::vector<double> SampleSources(uint32_t n, uint64_t k, uint64_t seed) {
  uint64_t state = seed;
  const auto next = [&state] {  // SplitMix64
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  };
  const auto below = [&next](uint64_t range) {  // uniform in [0, range), by rejection
    const uint64_t rejected = (UINT64_MAX % range + 1) % range;  // 2^64 mod range
    uint64_t x = next();
    while (rejected != 0 && x > UINT64_MAX - rejected) x = next();
    return x % range;
  };
  std::vector<uint32_t> perm(n);
  std::iota(perm.begin(), perm.end(), 0);
  k = std::min<uint64_t>(k, n);
  std::vector<double> chosen(n, 0.0);
  for (uint64_t i = 0; i < k; ++i) {  // partial Fisher-Yates
    const uint64_t j = i + below(n - i);
    std::swap(perm[i], perm[j]);
    chosen[perm[i]] = 1.0;
  }
  return chosen;
}

TwinStats CompressionStats(const CsrGraph& g, EdgeLength length) {
  const Adjacency adj = SortedAdjacency(g, length);
  TwinStats stats;
  stats.vertices = adj.size();
  const std::vector<uint32_t> class_of = TwinClasses(adj, length, true, &stats.classes);
  BrandesOptions options;
  const WorkGraph w = BuildWorkGraph(adj, class_of, stats.classes, options);
  stats.compressed_edges = w.targets.size() / 2;
  return stats;
}

}  // namespace collabgraph::analytics
