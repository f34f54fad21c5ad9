#include "analytics/centrality.h"

#include <algorithm>
#include <exception>
#include <map>
#include <string>

#include <boost/graph/betweenness_centrality.hpp>

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

absl::StatusOr<CentralityResult> ComputeCentrality(const CollabTable& table,
                                                   const CentralityOptions& options) {
  static const std::map<std::string, std::string> kNormalisation = {
      {"betweenness", "2/((n-1)(n-2)), as NetworkX for undirected graphs"},
      {"degree", "1/(n-1), as NetworkX degree_centrality"},
      {"pagerank", "sums to 1; alpha 0.85, dangling mass spread uniformly, L1 tolerance 1e-12"},
      {"harmonic", "none (sum of 1/distance), as NetworkX harmonic_centrality"},
      {"closeness", "per component, scaled by (r-1)/(n-1), as NetworkX closeness_centrality"},
      {"core", "none (core number)"},
      {"clustering", "none (local clustering coefficient)"}};
  const auto norm = kNormalisation.find(options.metric);
  if (norm == kNormalisation.end()) {
    return absl::InvalidArgumentError(
        "unknown metric \"" + options.metric +
        "\" (supported: betweenness, degree, pagerank, harmonic, closeness, core, clustering)");
  }
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
  result.rules.Add("weights", "none (unweighted)");
  result.rules.Add("normalization", norm->second);
  AddCommonRules(options.filters, options.regions, &result.rules);

  Projection proj;
  std::vector<double> values;
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
      values = PageRank(proj.graph);
    } else if (options.metric == "harmonic") {
      values = HarmonicCentrality(proj.graph);
    } else if (options.metric == "closeness") {
      values = Closeness(proj.graph);
    } else if (options.metric == "core") {
      values = CoreNumbers(proj.graph);
    } else {
      values = Clustering(proj.graph);
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
      case GraphKind::kInstitution:
        entry.id = table.institutions[row].id;
        entry.name = table.institutions[row].name;
        break;
      case GraphKind::kCountry:
        entry.id = table.countries[row].id;
        entry.name = table.countries[row].name;
        entry.code = table.countries[row].code;
        break;
    }
    entry.value = values[v];
    result.results.push_back(std::move(entry));
  }
  std::sort(result.results.begin(), result.results.end(),
            [](const CentralityEntry& a, const CentralityEntry& b) {
              if (a.value != b.value) return a.value > b.value;
              if (a.name != b.name) return a.name < b.name;
              return a.id < b.id;
            });
  if (options.top > 0 && result.results.size() > options.top) result.results.resize(options.top);
  return result;
}

}  // namespace collabgraph::analytics
