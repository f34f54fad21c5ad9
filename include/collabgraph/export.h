#pragma once

// A collaboration graph projected from the database (Database::Project), and writers that hand
// it to other tools: GraphML and GEXF (Gephi, NetworkX), VOSviewer map and network files, a CSV
// edge list and JSON (docs/cli.md, "export").

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"

#include "collabgraph/centrality.h"
#include "collabgraph/rules.h"

namespace collabgraph {

struct GraphNode {
  uint64_t id = 0;  // node id in the database
  std::string name;
  std::string code;  // ISO code of a country, or of an institution's country; else empty
};

struct GraphEdge {
  uint32_t source = 0;  // indices into GraphExport::nodes, source < target
  uint32_t target = 0;
  double full = 0;        // papers in common
  double fractional = 0;  // Newman's sum over shared papers of 1/(n-1)
};

struct GraphExport {
  Rules rules;
  std::string graph;             // "author", "institution" or "country"
  std::vector<GraphNode> nodes;  // in node id order
  std::vector<GraphEdge> edges;  // by (source, target)
};

enum class ExportFormat { kGraphMl, kGexf, kVosviewer, kCsv, kJson };

// Parses "graphml", "gexf", "vosviewer", "csv" or "json"; InvalidArgument otherwise.
absl::Status ParseExportFormat(const std::string& name, ExportFormat* format);

// Writes `graph` to `path` in `format`. kVosviewer writes two files, `path` + "_map.txt" (id,
// label, weight<Links>, weight<Total link strength>) and `path` + "_network.txt" (id, id,
// papers in common); kCsv writes the edge list `path` (source_id, source, target_id, target,
// papers, fractional). The file is written next to `path` and renamed into place, so a failed
// export leaves no partial file. Errors name the path.
absl::Status WriteGraph(const GraphExport& graph, ExportFormat format, const std::string& path);

}  // namespace collabgraph
