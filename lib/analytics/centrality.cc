#include "analytics/centrality.h"

#include <algorithm>
#include <exception>
#include <map>
#include <string>
#include <utility>

#include <boost/graph/betweenness_centrality.hpp>

#include "analytics/community.h"
#include "analytics/metrics.h"
#include "analytics/projection.h"
#include "analytics/statistics.h"

namespace collabgraph::analytics {

std::vector<double> UndirectedBetweenness(const Projection& projection) {
  const CsrGraph& g = projection.graph;
  std::vector<double> centrality(boost::num_vertices(g), 0.0);
  boost::brandes_betweenness_centrality(
      g, boost::make_iterator_property_map(centrality.begin(), boost::get(boost::vertex_index, g)));
  // Each undirected edge is stored in both directions, so Brandes counts every unordered pair
  // (s, t) twice, once from each end.
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
      {"louvain", "value = size of the vertex's community; ids largest first"}};
  const auto norm = kNormalisation.find(options.metric);
  if (norm == kNormalisation.end()) {
    return absl::InvalidArgumentError("unknown metric \"" + options.metric +
                                      "\" (supported: betweenness, degree, pagerank, harmonic, "
                                      "closeness, core, clustering, eigenvector, strength, "
                                      "components, louvain)");
  }
  const bool weighted = options.metric == "strength" || options.metric == "louvain";
  const bool partition = options.metric == "components" || options.metric == "louvain";
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
  result.rules.Add("weights", weighted ? WeightRule(options.weights) : "none (unweighted)");
  result.rules.Add("normalization", norm->second);
  if (options.metric == "louvain") {
    result.rules.Add("resolution", "1");
    result.rules.Add("seed", std::to_string(options.seed));
  }
  AddCommonRules(options.filters, options.regions, &result.rules);

  Projection proj;
  std::vector<double> values;
  Partition groups;
  try {
    proj = BuildProjection(table, options.graph, options.filters, options.regions);
    const size_t n = proj.members.size();
    if (options.metric == "betweenness") {
      values = UndirectedBetweenness(proj);
      const double scale =
          n > 2 ? 2.0 / (static_cast<double>(n - 1) * static_cast<double>(n - 2)) : 1.0;
      for (double& v : values) v *= scale;
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

}  // namespace collabgraph::analytics
