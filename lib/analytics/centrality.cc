#include "analytics/centrality.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <exception>
#include <map>
#include <string>
#include <thread>
#include <tuple>
#include <utility>

#include <boost/range/iterator_range.hpp>
#include <fmt/format.h>

#include "analytics/betweenness.h"
#include "analytics/community.h"
#include "analytics/group_metrics.h"
#include "analytics/metrics.h"
#include "analytics/projection.h"
#include "analytics/statistics.h"

namespace collabgraph::analytics {

namespace {

// Probability that the sampled estimate breaks its stated bound somewhere.
constexpr double kSampleFailure = 0.05;

bool IsPathMetric(const std::string& metric) {
  return metric == "betweenness" || metric == "bridge";
}

EdgeLength LengthOf(Weighting weighting) {
  switch (weighting) {
    case Weighting::kNone:
      return EdgeLength::kUnit;
    case Weighting::kFull:
      return EdgeLength::kInverseFull;
    case Weighting::kFractional:
      return EdgeLength::kInverseFractional;
  }
  return EdgeLength::kUnit;
}

// The betweenness-specific options that do not fit `options.metric`; empty when all fit.
std::string MisplacedOption(const CentralityOptions& options) {
  const bool path = IsPathMetric(options.metric);
  const bool groups = options.metric == "bridge" || options.metric == "brokerage";
  const bool threaded = path || options.metric == "pagerank" || options.metric == "eigenvector" ||
                        options.metric == "harmonic" || options.metric == "closeness";
  if (!path && options.weighting != Weighting::kNone) {
    return "path lengths (--weighted) apply to betweenness and bridge";
  }
  if (!threaded && options.threads != 0) {
    return "threads apply to betweenness, bridge, pagerank, eigenvector, harmonic and closeness";
  }
  if (options.metric != "betweenness" && options.samples != 0) {
    return "samples apply to betweenness only";
  }
  if (groups && (options.group_a.empty() || options.group_b.empty())) {
    return options.metric + " needs two countries (--between A,B)";
  }
  if (!groups && (!options.group_a.empty() || !options.group_b.empty())) {
    return "two countries (--between) apply to bridge and brokerage only";
  }
  return "";
}

// Index into table.countries of the country with ISO code `code` (the API resolves names
// to codes); -1 when no institution of the table has it.
int32_t GroupCountry(const CollabTable& table, const std::string& code) {
  std::string upper = code;
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return table.CountryIndex(upper);
}

}  // namespace

std::vector<double> UndirectedBetweenness(const Projection& projection, unsigned threads) {
  BrandesOptions options;
  options.threads = threads;
  std::vector<double> centrality = BrandesDependencies(projection.graph, options);
  // Brandes sums over ordered pairs (s, t): every unordered pair counts twice.
  for (double& c : centrality) c /= 2.0;
  return centrality;
}

namespace {

const char* WeightRule(EdgeWeight kind) {
  switch (kind) {
    case EdgeWeight::kNone:
      return "none (every edge 1)";
    case EdgeWeight::kFull:
      return "full (papers in common)";
    case EdgeWeight::kFractional:
      return "fractional (Newman: sum over shared papers of 1/(n-1))";
  }
  return "";
}

// Eigenvector iterations before giving up (NetworkX gives up after 100).
constexpr int kEigenvectorMaxIterations = 1000;

}  // namespace

absl::StatusOr<CentralityResult> ComputeCentrality(const CollabTable& table,
                                                   const CentralityOptions& options) {
  static const std::map<std::string, std::string> kNormalisation = {
      {"betweenness", "2/((n-1)(n-2)), as NetworkX for undirected graphs"},
      {"degree", "1/(n-1), as NetworkX degree_centrality"},
      {"pagerank", "sums to 1; alpha 0.85, dangling mass spread uniformly, L1 tolerance 1e-12"},
      {"harmonic", "none (sum of 1/distance), as NetworkX harmonic_centrality"},
      {"closeness", "per component, scaled by (r-1)/(n-1), as NetworkX closeness_centrality"},
      {"core", "none (core number)"},
      {"clustering", "none (local clustering coefficient)"},
      {"eigenvector",
       "unit L2 norm; power iteration on A+I from 1/n until the L1 change < n*1e-6, as NetworkX "
       "eigenvector_centrality"},
      {"strength", "none (sum of edge weights), as NetworkX degree(weight=...)"},
      {"components", "value = size of the vertex's component; ids largest first"},
      {"louvain", "value = size of the vertex's community; ids largest first"},
      {"bridge", "none (sum over ordered pairs s in A, t in B of sigma_st(v)/sigma_st)"},
      {"brokerage", "none (papers); share = papers / all papers with both countries"}};
  const auto norm = kNormalisation.find(options.metric);
  if (norm == kNormalisation.end()) {
    return absl::InvalidArgumentError("unknown metric \"" + options.metric +
                                      "\" (supported: betweenness, degree, pagerank, harmonic, "
                                      "closeness, core, clustering, eigenvector, strength, "
                                      "components, louvain, bridge, brokerage)");
  }
  if (std::string misplaced = MisplacedOption(options); !misplaced.empty()) {
    return absl::InvalidArgumentError(misplaced);
  }
  const bool weighted = options.metric == "strength" || options.metric == "louvain";
  const bool partition = options.metric == "components" || options.metric == "louvain";
  const std::string& code_a = options.group_a;
  const std::string& code_b = options.group_b;
  const int32_t country_a = code_a.empty() ? -1 : GroupCountry(table, code_a);
  const int32_t country_b = code_b.empty() ? -1 : GroupCountry(table, code_b);
  CentralityResult result;
  result.metric = options.metric;
  result.normalized = true;
  switch (options.graph) {
    case GraphKind::kAuthor:
      result.graph = "author";
      break;
    case GraphKind::kInstitution:
      result.graph = "institution";
      break;
    case GraphKind::kCountry:
      result.graph = "country";
      break;
  }
  result.rules.Add("graph", result.graph);
  result.rules.Add("metric", options.metric);
  switch (options.weighting) {
    case Weighting::kNone:
      result.rules.Add("weights", weighted ? WeightRule(options.weights) : "none (unweighted)");
      break;
    case Weighting::kFull:
      result.rules.Add("weights", "full: edge length 1/(papers in common), Dijkstra");
      break;
    case Weighting::kFractional:
      result.rules.Add("weights",
                       "fractional: edge length 1/(sum over shared papers of 1/(n-1)), Dijkstra");
      break;
  }
  result.rules.Add("normalization", norm->second);
  if (options.metric == "louvain") {
    result.rules.Add("resolution", "1");
    result.rules.Add("seed", std::to_string(options.seed));
  }
  AddCommonRules(options.filters, options.regions, &result.rules);
  const unsigned threads =
      options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  if (IsPathMetric(options.metric)) {
    result.rules.Add("threads",
                     fmt::format("{} (results are bit-identical for any number)", threads));
    result.rules.Add("reductions",
                     "exact: per connected component; closed twins merged (same closed "
                     "neighbourhood and edge lengths); degree-1 classes not run as sources");
    if (options.weighting != Weighting::kNone) {
      result.rules.Add("ties", "path lengths within 1e-12 (relative) of each other are equal");
    }
  }
  if (!options.group_a.empty()) {
    const char* member = options.graph == GraphKind::kAuthor ? "authors with an affiliation in"
                         : options.graph == GraphKind::kInstitution ? "institutions in"
                                                                    : "the country";
    result.rules.Add("group_a", fmt::format("{} {}", member, code_a));
    result.rules.Add("group_b", fmt::format("{} {}", member, code_b));
    if (options.graph == GraphKind::kAuthor) {
      result.rules.Add("author_countries",
                       "every country of the author's institutions on the filtered papers; "
                       "an author with both countries is in both groups");
    }
    if (options.metric == "brokerage") {
      result.rules.Add("brokerage",
                       fmt::format("papers whose country set holds both {} and {} on which the "
                                   "node appears",
                                   code_a, code_b));
    }
  }

  Projection proj;
  std::vector<double> values;
  Partition groups;
  std::vector<double> shares;  // brokerage
  try {
    const auto started = std::chrono::steady_clock::now();
    proj = BuildProjection(table, options.graph, options.filters, options.regions,
                           options.max_members);
    const auto built = std::chrono::steady_clock::now();
    result.projection_seconds = std::chrono::duration<double>(built - started).count();
    result.capped_papers = proj.capped_papers;
    result.rules.Add(
        "member_cap",
        options.max_members == 0
            ? std::string("none")
            : fmt::format("{}: papers with more members add no edges ({} such papers{})",
                          options.max_members, proj.capped_papers,
                          proj.capped_papers > 0
                              ? fmt::format(", the largest with {}", proj.largest_capped)
                              : std::string()));
    const size_t n = proj.members.size();
    if (options.metric == "betweenness") {
      BrandesOptions brandes;
      brandes.length = LengthOf(options.weighting);
      brandes.threads = threads;
      // Brandes sums ordered pairs: half of it, times NetworkX's 2/((n-1)(n-2)).
      double scale = n > 2 ? 1.0 / (static_cast<double>(n - 1) * static_cast<double>(n - 2)) : 0.5;
      if (options.samples > 0) {
        const uint64_t k = std::min<uint64_t>(options.samples, n);
        brandes.source_weight = SampleSources(static_cast<uint32_t>(n), k, options.seed);
        if (k > 0) scale *= static_cast<double>(n) / static_cast<double>(k);
        const double nd = static_cast<double>(n);
        const double epsilon = k >= n || n < 3 ? 0.0
                                               : nd / (nd - 1.0) *
                                                     std::sqrt(std::log(2.0 * nd / kSampleFailure) /
                                                               (2.0 * static_cast<double>(k)));
        result.rules.Add("samples",
                         fmt::format("{} of {} sources, uniformly without replacement (seed {}); "
                                     "sums scaled by n/K",
                                     k, n, options.seed));
        result.rules.Add("error_bound",
                         k >= n ? std::string("0 (every vertex is a source: exact)")
                                : fmt::format("{:.6g}: with probability >= {} every normalised "
                                              "value is within this of the exact one "
                                              "(Hoeffding, union bound over n; "
                                              "n/(n-1)*sqrt(ln(2n/{})/(2K)))",
                                              epsilon, 1.0 - kSampleFailure, kSampleFailure));
      } else {
        result.rules.Add("samples", "exact (every vertex is a source)");
      }
      values = BrandesDependencies(proj.graph, brandes);
      for (double& v : values) v *= scale;
    } else if (options.metric == "bridge") {
      result.normalized = false;
      const std::vector<uint8_t> membership =
          CountryGroups(table, proj, options.filters, options.regions, country_a, country_b);
      BrandesOptions brandes;
      brandes.length = LengthOf(options.weighting);
      brandes.threads = threads;
      brandes.source_weight.resize(n);
      brandes.is_target.resize(n);
      for (size_t v = 0; v < n; ++v) {
        brandes.source_weight[v] = (membership[v] & kGroupA) != 0 ? 1.0 : 0.0;
        brandes.is_target[v] = (membership[v] & kGroupB) != 0 ? 1 : 0;
      }
      values = BrandesDependencies(proj.graph, brandes);
    } else if (options.metric == "brokerage") {
      result.normalized = false;
      uint64_t total = 0;
      values =
          Brokerage(table, proj, options.filters, options.regions, country_a, country_b, &total);
      result.rules.Add("papers_with_both", std::to_string(total));
      shares.resize(n);
      for (size_t v = 0; v < n; ++v) {
        shares[v] = total > 0 ? values[v] / static_cast<double>(total) : 0.0;
      }
    } else if (options.metric == "degree") {
      values.assign(n, 0.0);
      const double scale = n > 1 ? 1.0 / static_cast<double>(n - 1) : 1.0;
      for (uint32_t v = 0; v < n; ++v) {
        values[v] = static_cast<double>(boost::out_degree(v, proj.graph)) * scale;
      }
    } else if (options.metric == "pagerank") {
      values = PageRank(proj.graph, options.threads);
    } else if (options.metric == "harmonic") {
      values = HarmonicCentrality(proj.graph, options.threads);
    } else if (options.metric == "closeness") {
      values = Closeness(proj.graph, options.threads);
    } else if (options.metric == "core") {
      values = CoreNumbers(proj.graph);
    } else if (options.metric == "clustering") {
      values = Clustering(proj.graph);
    } else if (options.metric == "eigenvector") {
      EigenvectorResult eig =
          EigenvectorCentrality(proj.graph, options.threads, 1e-6, kEigenvectorMaxIterations);
      if (!eig.converged) {
        return absl::FailedPreconditionError("eigenvector centrality did not converge in " +
                                             std::to_string(kEigenvectorMaxIterations) +
                                             " iterations on the " + result.graph + " graph");
      }
      result.rules.Add("iterations", std::to_string(eig.iterations));
      values = std::move(eig.values);
    } else if (options.metric == "strength") {
      values = Strength(proj.graph, options.weights);
    } else {
      if (options.metric == "components") {
        groups = ConnectedComponents(proj.graph);
      } else {
        groups = Louvain(proj.graph, options.weights, options.seed);
        result.rules.Add("levels", std::to_string(groups.levels));
      }
      // Ids that follow the stored node ids, not the order of the projection's vertices.
      std::vector<uint64_t> key(n);
      for (uint32_t v = 0; v < n; ++v) {
        const uint32_t row = proj.members[v];
        switch (options.graph) {
          case GraphKind::kAuthor:
            key[v] = table.authors[row].id;
            break;
          case GraphKind::kInstitution:
            key[v] = table.institutions[row].id;
            break;
          case GraphKind::kCountry:
            key[v] = table.countries[row].id;
            break;
        }
      }
      CanonicalizeGroups(key, &groups);
      result.modularity =
          Modularity(proj.graph, groups.group,
                     options.metric == "louvain" ? options.weights : EdgeWeight::kNone);
      result.group_sizes = groups.sizes;
      values.resize(n);
      for (uint32_t v = 0; v < n; ++v) {
        values[v] = static_cast<double>(groups.sizes[groups.group[v]]);
      }
    }
    result.metric_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - built).count();
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError("out of memory computing " + options.metric + " on the " +
                                        result.graph + " graph");
  } catch (const std::exception& e) {
    return absl::InternalError(std::string("centrality: ") + e.what());
  }
  result.nodes = proj.members.size();
  result.edges = proj.undirected_edges;

  for (uint32_t v = 0; v < proj.members.size(); ++v) {
    CentralityEntry entry;
    const uint32_t row = proj.members[v];
    switch (options.graph) {
      case GraphKind::kAuthor:
        entry.id = table.authors[row].id;
        entry.name = table.authors[row].name;
        break;
      case GraphKind::kInstitution: {
        const InstitutionRow& inst = table.institutions[row];
        entry.id = inst.id;
        entry.name = inst.name;
        // The same name in two countries is two institutions (Google in US and in GB).
        const int32_t country = CountryUnder(table, inst, options.regions);
        if (country >= 0) entry.code = table.countries[country].code;
        break;
      }
      case GraphKind::kCountry:
        entry.id = table.countries[row].id;
        entry.name = table.countries[row].name;
        entry.code = table.countries[row].code;
        break;
    }
    entry.value = values[v];
    if (partition) entry.group = groups.group[v];
    if (!shares.empty()) entry.share = shares[v];
    result.results.push_back(std::move(entry));
  }
  std::sort(result.results.begin(), result.results.end(),
            [](const CentralityEntry& a, const CentralityEntry& b) {
              if (a.value != b.value) return a.value > b.value;
              if (a.group != b.group) return a.group < b.group;
              if (a.name != b.name) return a.name < b.name;
              return a.id < b.id;
            });
  if (options.top > 0 && result.results.size() > options.top) result.results.resize(options.top);
  return result;
}

GraphExport ProjectGraph(const CollabTable& table, const CentralityOptions& options) {
  GraphExport out;
  const Projection proj =
      BuildProjection(table, options.graph, options.filters, options.regions, options.max_members);
  switch (options.graph) {
    case GraphKind::kAuthor:
      out.graph = "author";
      break;
    case GraphKind::kInstitution:
      out.graph = "institution";
      break;
    case GraphKind::kCountry:
      out.graph = "country";
      break;
  }
  out.rules.Add("graph", out.graph);
  out.rules.Add("weights",
                "full = papers in common; fractional = sum over shared papers of "
                "1/(n-1), n = the paper's members");
  AddCommonRules(options.filters, options.regions, &out.rules);
  out.rules.Add("member_cap",
                options.max_members == 0
                    ? std::string("none")
                    : fmt::format("{}: papers with more members add no edges ({} such papers)",
                                  options.max_members, proj.capped_papers));
  const size_t n = proj.members.size();
  std::vector<GraphNode> nodes(n);
  for (uint32_t v = 0; v < n; ++v) {
    const uint32_t row = proj.members[v];
    switch (options.graph) {
      case GraphKind::kAuthor:
        nodes[v] = {table.authors[row].id, table.authors[row].name, ""};
        break;
      case GraphKind::kInstitution: {
        const InstitutionRow& inst = table.institutions[row];
        const int32_t country = CountryUnder(table, inst, options.regions);
        nodes[v] = {inst.id, inst.name, country >= 0 ? table.countries[country].code : ""};
        break;
      }
      case GraphKind::kCountry:
        nodes[v] = {table.countries[row].id, table.countries[row].name, table.countries[row].code};
        break;
    }
  }
  // Order by database id, so that the files do not depend on the scan order.
  std::vector<uint32_t> order(n);
  for (uint32_t v = 0; v < n; ++v) order[v] = v;
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return nodes[a].id < nodes[b].id; });
  std::vector<uint32_t> index_of(n);
  out.nodes.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    index_of[order[i]] = i;
    out.nodes.push_back(std::move(nodes[order[i]]));
  }
  for (uint32_t v = 0; v < n; ++v) {
    for (auto e : boost::make_iterator_range(boost::out_edges(v, proj.graph))) {
      const uint32_t u = boost::target(e, proj.graph);
      if (index_of[v] >= index_of[u]) continue;  // each undirected edge once
      const EdgeWeights& w = proj.graph[e];
      out.edges.push_back({index_of[v], index_of[u], w.full, w.fractional});
    }
  }
  std::sort(out.edges.begin(), out.edges.end(), [](const GraphEdge& a, const GraphEdge& b) {
    return std::tie(a.source, a.target) < std::tie(b.source, b.target);
  });
  return out;
}

}  // namespace collabgraph::analytics
