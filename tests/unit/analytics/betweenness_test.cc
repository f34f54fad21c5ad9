#include "analytics/betweenness.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <optional>

#include <boost/graph/betweenness_centrality.hpp>
#include <boost/range/iterator_range.hpp>
#include <catch2/catch.hpp>

#include "analytics/centrality.h"
#include "analytics/collab_table.h"
#include "analytics/group_metrics.h"
#include "analytics/projection.h"
#include "analytics/table_builder.h"
#include "collabgraph/database.h"
#include "model/graph.h"
#include "test_util.h"

using namespace collabgraph;
using analytics::BrandesDependencies;
using analytics::BrandesOptions;
using analytics::EdgeLength;
using collabgraph::testing::TableBuilder;

namespace {

analytics::Projection Authors(const analytics::CollabTable& t) {
  return analytics::BuildProjection(t, GraphKind::kAuthor, Filters{}, Regions::kSource);
}

// Unnormalised undirected betweenness by author name.
std::map<std::string, double> ByName(const analytics::CollabTable& t,
                                     const analytics::Projection& p,
                                     const std::vector<double>& values) {
  std::map<std::string, double> out;
  for (uint32_t v = 0; v < p.members.size(); ++v) out[t.authors[p.members[v]].name] = values[v];
  return out;
}

std::map<std::string, double> Undirected(const analytics::CollabTable& t, EdgeLength length) {
  const auto p = Authors(t);
  BrandesOptions options;
  options.length = length;
  auto values = BrandesDependencies(p.graph, options);
  for (double& v : values) v /= 2.0;
  return ByName(t, p, values);
}

double Length(const analytics::EdgeWeights& w, EdgeLength length) {
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

// Betweenness by definition, without Brandes' recurrence: all-pairs distances and path counts
// by an O(n^2) Dijkstra per source, then sum over (s, t) of [d(s,v) + d(v,t) = d(s,t)]
// sigma_sv sigma_vt / sigma_st, weighted by the source's weight and the target's flag.
std::vector<double> ByDefinition(const analytics::CsrGraph& g, EdgeLength length,
                                 const std::vector<double>& source_weight,
                                 const std::vector<uint8_t>& is_target) {
  const auto n = static_cast<uint32_t>(boost::num_vertices(g));
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<std::vector<double>> len(n, std::vector<double>(n, inf));
  for (uint32_t u = 0; u < n; ++u) {
    for (auto e : boost::make_iterator_range(boost::out_edges(u, g))) {
      len[u][boost::target(e, g)] = Length(g[e], length);
    }
  }
  const auto same = [](double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(a, b); };
  std::vector<std::vector<double>> dist(n, std::vector<double>(n, inf));
  std::vector<std::vector<double>> sigma(n, std::vector<double>(n, 0.0));
  for (uint32_t s = 0; s < n; ++s) {
    std::vector<bool> done(n, false);
    dist[s][s] = 0;
    sigma[s][s] = 1;
    for (uint32_t round = 0; round < n; ++round) {
      uint32_t best = n;
      for (uint32_t v = 0; v < n; ++v) {
        if (!done[v] && dist[s][v] < inf && (best == n || dist[s][v] < dist[s][best])) best = v;
      }
      if (best == n) break;
      done[best] = true;
      if (best != s) {
        for (uint32_t u = 0; u < n; ++u) {
          if (done[u] && u != best && len[u][best] < inf &&
              same(dist[s][u] + len[u][best], dist[s][best])) {
            sigma[s][best] += sigma[s][u];
          }
        }
      }
      for (uint32_t u = 0; u < n; ++u) {
        if (!done[u] && dist[s][best] + len[best][u] < dist[s][u]) {
          dist[s][u] = dist[s][best] + len[best][u];
        }
      }
    }
  }
  std::vector<double> out(n, 0.0);
  for (uint32_t s = 0; s < n; ++s) {
    for (uint32_t t = 0; t < n; ++t) {
      if (t == s || dist[s][t] == inf || !is_target[t]) continue;
      for (uint32_t v = 0; v < n; ++v) {
        if (v == s || v == t) continue;
        if (same(dist[s][v] + dist[v][t], dist[s][t])) {
          out[v] += source_weight[s] * sigma[s][v] * sigma[v][t] / sigma[s][t];
        }
      }
    }
  }
  return out;
}

// A random co-authorship table: `papers` papers of 1 to 5 authors from a pool of `pool`,
// some authors on many papers, many on one (closed twins), in a few separate groups.
analytics::CollabTable RandomTable(uint64_t seed, int papers, int pool) {
  TableBuilder b;
  std::vector<uint32_t> authors;
  for (int i = 0; i < pool; ++i) authors.push_back(b.Author("a" + std::to_string(i)));
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  const auto next = [&x](uint64_t range) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x % range;
  };
  for (int p = 0; p < papers; ++p) {
    const auto size = static_cast<int>(1 + next(5));
    std::vector<std::pair<uint32_t, std::vector<uint32_t>>> team;
    for (int k = 0; k < size; ++k) {
      // Half the picks from a small core, so that some authors are prolific.
      const uint64_t pick =
          next(2) == 0 ? next(static_cast<uint64_t>(pool / 5)) : next(static_cast<uint64_t>(pool));
      const uint32_t a = authors[pick];
      if (std::none_of(team.begin(), team.end(), [a](const auto& m) { return m.first == a; })) {
        team.push_back({a, {}});
      }
    }
    b.Paper(2020, team);
  }
  return b.table();
}

void CheckClose(const std::vector<double>& got, const std::vector<double>& want, double tol) {
  REQUIRE(got.size() == want.size());
  for (size_t v = 0; v < got.size(); ++v) {
    INFO("vertex " << v << ": " << got[v] << " vs " << want[v]);
    CHECK(std::abs(got[v] - want[v]) <= tol * std::max(1.0, std::abs(want[v])));
  }
}

}  // namespace

TEST_CASE("Betweenness of paths, stars and disconnected pieces equals hand-computed values",
          "[analytics][betweenness]") {
  TableBuilder b;
  // Path a-b-c-d-e: b and d carry 3 pairs each, c carries 4.
  std::vector<uint32_t> path;
  for (const char* name : {"a", "b", "c", "d", "e"}) path.push_back(b.Author(name));
  for (size_t i = 0; i + 1 < path.size(); ++i) b.Paper(2020, {{path[i], {}}, {path[i + 1], {}}});
  // Star: hub with 4 leaves carries C(4,2) = 6 pairs.
  const uint32_t hub = b.Author("hub");
  for (int i = 0; i < 4; ++i)
    b.Paper(2020, {{hub, {}}, {b.Author("leaf" + std::to_string(i)), {}}});
  // A triangle (one paper of three: closed twins) hanging on x by y: x-y, then y in {y, p, q}.
  const uint32_t x = b.Author("x"), y = b.Author("y");
  b.Paper(2020, {{x, {}}, {y, {}}});
  b.Paper(2020, {{y, {}}, {b.Author("p"), {}}, {b.Author("q"), {}}});
  b.Paper(2020, {{b.Author("alone"), {}}});
  const auto bc = Undirected(b.table(), EdgeLength::kUnit);
  CHECK(bc.at("a") == 0.0);
  CHECK(bc.at("b") == 3.0);
  CHECK(bc.at("c") == 4.0);
  CHECK(bc.at("d") == 3.0);
  CHECK(bc.at("hub") == 6.0);
  CHECK(bc.at("leaf3") == 0.0);
  CHECK(bc.at("y") == 2.0);  // x-p and x-q
  CHECK(bc.at("p") == 0.0);
  CHECK(bc.at("x") == 0.0);
  CHECK(bc.at("alone") == 0.0);
}

TEST_CASE("Weighted betweenness follows the shortest lengths 1/weight",
          "[analytics][betweenness]") {
  // Square a-b-c-d-a; a-b and b-c share two papers (length 1/2), c-d and d-a one (length 1).
  // a to c: via b (1) beats via d (2). b to d: b-a-d and b-c-d both 1.5, half each.
  TableBuilder b;
  const uint32_t a = b.Author("a"), bb = b.Author("b"), c = b.Author("c"), d = b.Author("d");
  for (int i = 0; i < 2; ++i) {
    b.Paper(2020, {{a, {}}, {bb, {}}});
    b.Paper(2020, {{bb, {}}, {c, {}}});
  }
  b.Paper(2020, {{c, {}}, {d, {}}});
  b.Paper(2020, {{d, {}}, {a, {}}});
  const auto unweighted = Undirected(b.table(), EdgeLength::kUnit);
  for (const char* v : {"a", "b", "c", "d"}) CHECK(unweighted.at(v) == 0.5);
  const auto full = Undirected(b.table(), EdgeLength::kInverseFull);
  CHECK(full.at("b") == 1.0);
  CHECK(full.at("a") == 0.5);
  CHECK(full.at("c") == 0.5);
  CHECK(full.at("d") == 0.0);
  // Fractional: two-author papers weigh 1 per paper, the same lengths here.
  const auto fractional = Undirected(b.table(), EdgeLength::kInverseFractional);
  CHECK(fractional == full);
}

TEST_CASE("Weighted twins closer through a neighbour than directly are not merged",
          "[analytics][betweenness]") {
  // u and v share one paper with x (same closed neighbourhood {u, v, x}), and five more each
  // with x: u-x and v-x have length 1/6, u-v length 1, so u-x-v (1/3) is the shortest path.
  TableBuilder b;
  const uint32_t u = b.Author("u"), v = b.Author("v"), x = b.Author("x");
  b.Paper(2020, {{u, {}}, {v, {}}, {x, {}}});
  for (int i = 0; i < 5; ++i) {
    b.Paper(2020, {{u, {}}, {x, {}}});
    b.Paper(2020, {{v, {}}, {x, {}}});
  }
  // A fourth author on x, so that the component has more than the class and its neighbour.
  b.Paper(2020, {{x, {}}, {b.Author("y"), {}}});
  const auto full = Undirected(b.table(), EdgeLength::kInverseFull);
  CHECK(full.at("x") == 3.0);  // u-v, u-y, v-y
  const auto unit = Undirected(b.table(), EdgeLength::kUnit);
  CHECK(unit.at("x") == 2.0);  // u-y, v-y
}

TEST_CASE("Reduced parallel Brandes equals betweenness by definition on random tables",
          "[analytics][betweenness]") {
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    const auto table = RandomTable(seed, 28, 30);
    const auto p = Authors(table);
    const auto n = static_cast<uint32_t>(p.members.size());
    for (EdgeLength length :
         {EdgeLength::kUnit, EdgeLength::kInverseFull, EdgeLength::kInverseFractional}) {
      INFO("seed " << seed << ", length " << static_cast<int>(length));
      BrandesOptions options;
      options.length = length;
      options.threads = 3;
      std::vector<double> all_sources(n, 1.0);
      std::vector<uint8_t> all_targets(n, 1);
      CheckClose(BrandesDependencies(p.graph, options),
                 ByDefinition(p.graph, length, all_sources, all_targets), 1e-12);
      // Groups and weighted sources: sources weigh 0, 1 or 2, half the vertices are targets.
      options.source_weight.resize(n);
      options.is_target.resize(n);
      for (uint32_t v = 0; v < n; ++v) {
        options.source_weight[v] = static_cast<double>((v * 7 + seed) % 3);
        options.is_target[v] = (v * 5 + seed) % 2;
      }
      CheckClose(BrandesDependencies(p.graph, options),
                 ByDefinition(p.graph, length, options.source_weight, options.is_target), 1e-12);
    }
  }
}

TEST_CASE("Group betweenness and brokerage on a hand-made institution graph",
          "[analytics][betweenness]") {
  // Institutions u1 (US) - k (DE) - c1 (CN) - c2 (CN), and u2 (US) - c2; one paper per edge.
  TableBuilder b;
  const int32_t us = b.Country("US"), cn = b.Country("CN"), de = b.Country("DE");
  const uint32_t u1 = b.Institution("u1", us), u2 = b.Institution("u2", us),
                 k = b.Institution("k", de), c1 = b.Institution("c1", cn),
                 c2 = b.Institution("c2", cn);
  const auto paper = [&](uint32_t i, uint32_t j) {
    b.Paper(2020,
            {{b.Author("x" + std::to_string(i)), {i}}, {b.Author("y" + std::to_string(j)), {j}}});
  };
  paper(u1, k);
  paper(k, c1);
  paper(c1, c2);
  paper(u2, c2);
  CentralityOptions options;
  options.graph = GraphKind::kInstitution;
  options.metric = "bridge";
  options.group_a = "US";
  options.group_b = "CN";  // the API resolves names (Database::Centrality)
  auto r = analytics::ComputeCentrality(b.table(), options);
  REQUIRE(r.ok());
  std::map<std::string, double> v;
  for (const auto& e : r->results) v[e.name] = e.value;
  // Pairs (u1,c1): u1-k-c1, k 1. (u1,c2): u1-k-c1-c2, k and c1 1 each. (u2,c1): u2-c2-c1,
  // c2 1. (u2,c2): direct.
  CHECK(v.at("k") == 2.0);
  CHECK(v.at("c1") == 1.0);
  CHECK(v.at("c2") == 1.0);
  CHECK(v.at("u1") == 0.0);
  CHECK(r->normalized == false);

  // Brokerage: papers with both US and CN: u2-c2, and a new one of u1, c1 and k.
  b.Paper(2021, {{b.Author("z1"), {u1}}, {b.Author("z2"), {c1, k}}});
  options.metric = "brokerage";
  r = analytics::ComputeCentrality(b.table(), options);
  REQUIRE(r.ok());
  std::map<std::string, std::pair<double, double>> brokers;
  for (const auto& e : r->results) brokers[e.name] = {e.value, e.share.value_or(-1)};
  CHECK(brokers.at("k") == std::make_pair(1.0, 0.5));
  CHECK(brokers.at("u1") == std::make_pair(1.0, 0.5));
  CHECK(brokers.at("c2") == std::make_pair(1.0, 0.5));
  CHECK(brokers.size() == 5);

  options.group_b.clear();
  CHECK(absl::IsInvalidArgument(analytics::ComputeCentrality(b.table(), options).status()));
  options.metric = "degree";
  options.samples = 10;
  CHECK(absl::IsInvalidArgument(analytics::ComputeCentrality(b.table(), options).status()));
}

TEST_CASE("An author belongs to the groups of all their institutions", "[analytics][betweenness]") {
  TableBuilder b;
  const int32_t us = b.Country("US"), cn = b.Country("CN");
  const uint32_t mit = b.Institution("MIT", us), pku = b.Institution("PKU", cn);
  const uint32_t both = b.Author("both"), only_us = b.Author("us");
  b.Paper(2020, {{both, {mit}}, {only_us, {mit}}});
  b.Paper(2020, {{both, {pku}}});
  const auto p = Authors(b.table());
  const auto groups = analytics::CountryGroups(b.table(), p, Filters{}, Regions::kSource, us, cn);
  std::map<std::string, uint8_t> g;
  for (uint32_t v = 0; v < p.members.size(); ++v)
    g[b.table().authors[p.members[v]].name] = groups[v];
  CHECK(g.at("both") == (analytics::kGroupA | analytics::kGroupB));
  CHECK(g.at("us") == analytics::kGroupA);
}

TEST_CASE("Sampling draws K distinct sources, reproducibly", "[analytics][betweenness]") {
  const auto a = analytics::SampleSources(1000, 100, 7);
  CHECK(std::count(a.begin(), a.end(), 1.0) == 100);
  CHECK(a == analytics::SampleSources(1000, 100, 7));
  CHECK(a != analytics::SampleSources(1000, 100, 8));
  const auto all = analytics::SampleSources(50, 50, 3);
  CHECK(std::count(all.begin(), all.end(), 1.0) == 50);
}

namespace {

// The tables of NeurIPS 2016 (author graph) and of every NeurIPS year (institution graph),
// ingested once; nullptr without the data directory.
struct NeuripsData {
  collabgraph::testing::TempDir dir;
  analytics::CollabTable year2016;
  analytics::CollabTable all_years;
};

const NeuripsData* Neurips() {
  static const std::unique_ptr<NeuripsData> data = []() -> std::unique_ptr<NeuripsData> {
    const std::filesystem::path nips =
        std::filesystem::path(COLLABGRAPH_DATA_DIR) / "paperlists" / "nips";
    if (!std::filesystem::exists(nips / "nips2016.json.gz")) return nullptr;
    auto d = std::make_unique<NeuripsData>();
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(nips)) {
      files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
    const auto load = [&](const std::string& name, const std::vector<std::string>& paths) {
      {
        auto db = Database::Open(d->dir.Sub(name));
        REQUIRE(db.ok());
        IngestOptions ingest;
        ingest.bulk = true;
        ingest.tag = false;
        REQUIRE((*db)->Ingest(paths, ingest).ok());
      }
      storage::StoreOptions so;
      so.create_if_missing = false;
      so.read_only = true;
      auto graph = model::Graph::Open(d->dir.Sub(name), so);
      REQUIRE(graph.ok());
      auto table = analytics::LoadCollabTable(*(*graph)->NewReadView(), /*with_authors=*/true);
      REQUIRE(table.ok());
      return std::move(*table);
    };
    d->year2016 = load("y2016", {(nips / "nips2016.json.gz").string()});
    d->all_years = load("all", files);
    return d;
  }();
  return data.get();
}

}  // namespace

TEST_CASE("Exact betweenness on NeurIPS graphs is bit-identical for 1, 2, 3 and 8 threads",
          "[analytics][betweenness][data]") {
  const NeuripsData* data = Neurips();
  if (data == nullptr) {
    WARN("no NeurIPS data under " COLLABGRAPH_DATA_DIR "; skipped");
    return;
  }
  for (GraphKind kind : {GraphKind::kAuthor, GraphKind::kInstitution}) {
    const auto& table = kind == GraphKind::kAuthor ? data->year2016 : data->all_years;
    const auto p = analytics::BuildProjection(table, kind, Filters{}, Regions::kSource);
    for (EdgeLength length : {EdgeLength::kUnit, EdgeLength::kInverseFractional}) {
      BrandesOptions options;
      options.length = length;
      options.threads = 1;
      const auto one = BrandesDependencies(p.graph, options);
      for (unsigned threads : {2u, 3u, 8u}) {
        options.threads = threads;
        CHECK(BrandesDependencies(p.graph, options) == one);
      }
    }
  }
}

TEST_CASE("Twin compression and leaf merging equal plain Brandes on NeurIPS graphs",
          "[analytics][betweenness][data]") {
  const NeuripsData* data = Neurips();
  if (data == nullptr) {
    WARN("no NeurIPS data under " COLLABGRAPH_DATA_DIR "; skipped");
    return;
  }
  for (GraphKind kind : {GraphKind::kAuthor, GraphKind::kInstitution}) {
    const auto& table = kind == GraphKind::kAuthor ? data->year2016 : data->all_years;
    const auto p = analytics::BuildProjection(table, kind, Filters{}, Regions::kSource);
    for (EdgeLength length :
         {EdgeLength::kUnit, EdgeLength::kInverseFull, EdgeLength::kInverseFractional}) {
      INFO("graph " << static_cast<int>(kind) << ", length " << static_cast<int>(length));
      BrandesOptions plain;
      plain.length = length;
      plain.compress_twins = false;
      plain.merge_leaf_sources = false;
      const auto want = BrandesDependencies(p.graph, plain);
      BrandesOptions reduced;
      reduced.length = length;
      CheckClose(BrandesDependencies(p.graph, reduced), want, 1e-12);
      reduced.merge_leaf_sources = false;
      CheckClose(BrandesDependencies(p.graph, reduced), want, 1e-12);
      reduced.merge_leaf_sources = true;
      reduced.compress_twins = false;
      CheckClose(BrandesDependencies(p.graph, reduced), want, 1e-12);
      const auto stats = analytics::CompressionStats(p.graph, length);
      CHECK(stats.classes < stats.vertices);
    }
    if (kind == GraphKind::kInstitution) {
      // Plain unweighted Brandes is also Boost's (the implementation this replaced).
      BrandesOptions plain;
      plain.compress_twins = false;
      plain.merge_leaf_sources = false;
      auto boost_values = std::vector<double>(p.members.size(), 0.0);
      boost::brandes_betweenness_centrality(
          p.graph, boost::make_iterator_property_map(boost_values.begin(),
                                                     boost::get(boost::vertex_index, p.graph)));
      CheckClose(BrandesDependencies(p.graph, plain), boost_values, 1e-12);
    }
  }
}

TEST_CASE("Sampled betweenness: K = n is exact, K < n stays within the stated bound",
          "[analytics][betweenness][data]") {
  const NeuripsData* data = Neurips();
  if (data == nullptr) {
    WARN("no NeurIPS data under " COLLABGRAPH_DATA_DIR "; skipped");
    return;
  }
  CentralityOptions options;
  options.graph = GraphKind::kAuthor;
  options.metric = "betweenness";
  const auto exact = analytics::ComputeCentrality(data->year2016, options);
  REQUIRE(exact.ok());
  const size_t n = exact->nodes;
  std::map<uint64_t, double> want;
  for (const auto& e : exact->results) want[e.id] = e.value;

  options.samples = n;
  auto sampled = analytics::ComputeCentrality(data->year2016, options);
  REQUIRE(sampled.ok());
  for (const auto& e : sampled->results) CHECK(e.value == want.at(e.id));

  for (uint64_t k : {n / 20, n / 4}) {
    options.samples = k;
    options.seed = 42;
    sampled = analytics::ComputeCentrality(data->year2016, options);
    REQUIRE(sampled.ok());
    const double nd = static_cast<double>(n);
    const double epsilon =
        nd / (nd - 1) * std::sqrt(std::log(2 * nd / 0.05) / (2 * static_cast<double>(k)));
    double worst = 0;
    for (const auto& e : sampled->results)
      worst = std::max(worst, std::abs(e.value - want.at(e.id)));
    INFO("K = " << k << " of " << n << ": largest error " << worst << ", bound " << epsilon);
    CHECK(worst <= epsilon);
    CHECK(worst > 0.0);
    bool stated = false;
    for (const auto& [name, value] : sampled->rules.entries) stated |= name == "error_bound";
    CHECK(stated);
  }
}
