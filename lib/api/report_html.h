#pragma once

// The rendering half of collabgraph/report.h, apart from the database so that it can be tested
// on hand-made results: ReportData holds every statistic the report shows, RenderHtml turns it
// into the HTML page.

#include <string>
#include <string_view>
#include <vector>

#include "collabgraph/centrality.h"
#include "collabgraph/report.h"
#include "collabgraph/stats.h"

namespace collabgraph::report {

struct ReportData {
  ReportOptions options;
  std::string a;  // ISO codes of the two countries
  std::string b;
  std::string name_a;  // their English names
  std::string name_b;
  StatsResult by_year;          // grouped by year
  StatsResult overall;          // one group "all"
  CentralityResult bridge;      // institution graph, metric "bridge", the top rows
  CentralityResult brokerage;   // institution graph, metric "brokerage", every institution
  std::string library_version;  // shown in the footer
};

// The whole page. Fills every field of `summary` that the data determine (not path, seconds).
std::string RenderHtml(const ReportData& data, ReportSummary* summary);

// `s` with &, <, >, " and ' as character references and the C0 control characters other than
// tab, line feed and carriage return dropped: safe as HTML text and as a quoted attribute.
std::string EscapeHtml(std::string_view s);

// A node of the network picture: its radius in, its centre out.
struct LayoutNode {
  double radius = 1;
  double x = 0;
  double y = 0;
};
struct LayoutLink {
  size_t a = 0;  // indices into the nodes
  size_t b = 0;
  double weight = 1;  // > 0
};

// Places the nodes in [0, width] x [0, height] (each circle inside, with `margin` to spare):
// a force-directed layout (Fruchterman and Reingold 1991, links pulling in proportion to the
// logarithm of their weight) from a fixed start, then overlaps pushed apart. Deterministic:
// the same input gives the same positions.
void ForceLayout(std::vector<LayoutNode>* nodes, const std::vector<LayoutLink>& links, double width,
                 double height, double margin);

}  // namespace collabgraph::report
