#pragma once

// An HTML report on the collaboration between two countries (by default the United States and
// China), to share with people who will not run the tool: one self-contained file — inline CSS
// and inline SVG, no script, font, image or style sheet fetched from anywhere — with
//
//   - summary figures: papers, years, international papers, papers of the pair;
//   - per year: the pair's share and the international share of all papers (line charts with
//     gaps where a year has no papers) and the papers per year (stacked bars);
//   - the country collaboration network of the largest countries: circles sized by papers,
//     links weighted by joint papers, in a deterministic force-directed layout;
//   - tables: the top countries, the top country pairs (Salton's cosine, Jaccard, probabilistic
//     affinity index) and the institutions that bridge the two countries (group betweenness
//     "bridge" and "brokerage", collabgraph/centrality.h);
//   - the counting rules of every statistic in it (docs/methodology.md names them).
//
//   collabgraph::OpenOptions open;
//   open.read_only = true;
//   auto db = collabgraph::Database::Open("neurips.db", open);
//   collabgraph::ReportOptions options;
//   options.stats.regions = collabgraph::Regions::kMerge;
//   auto summary = collabgraph::WriteReport(**db, options, "report.html");
//   if (!summary.ok()) { /* summary.status().message() names the path or the problem */ }
//
// The same database and options give the same bytes (no timestamps), so reports can be
// compared with diff. All text from the data (names of countries and institutions, the title)
// is escaped for HTML.
//
// Thread-safety: the functions only call const methods of Database, so they may run beside
// each other and beside a writer (each statistic is read from its own snapshot).

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

#include "collabgraph/database.h"
#include "collabgraph/rules.h"
#include "collabgraph/stats.h"

namespace collabgraph {

struct ReportOptions {
  // Which papers (filters), the regions view, pair rule, attribution and counting (the order of
  // the country and pair tables) of every statistic in the report. `group_by` is ignored: the
  // report asks for its own groups. Default: StatsOptions defaults (all papers, regions source,
  // full counting, pair rule any, all authors).
  StatsOptions stats;
  // The two countries the report is about: ISO 3166-1 alpha-2 codes or English names
  // (InvalidArgument for an unknown one or twice the same). Default: "US" and "CN".
  std::string country_a = "US";
  std::string country_b = "CN";
  // Rows of the country, pair and bridging-institution tables. Default: 15.
  size_t top = 15;
  // The network picture shows the `network_countries` countries with most papers and the
  // `network_links` strongest links among them (joint papers). Default: 25 and 80.
  size_t network_countries = 25;
  size_t network_links = 80;
  // Of the institution projection behind the bridging table (CentralityOptions::max_members,
  // ::threads). Defaults: 1000 and 0 (all cores); results do not depend on `threads`.
  size_t max_members = 1000;
  unsigned threads = 0;
  // The heading; empty: "Collaboration between <name A> and <name B>". Plain text.
  std::string title;
  // A line under the heading saying where the data come from, e.g. the database path; empty:
  // none. Plain text.
  std::string source;
};

// What a report holds, for a caller to print (the CLI's `report --json`).
struct ReportSummary {
  std::string path;       // the file written (WriteReport); empty from RenderReport
  uint64_t bytes = 0;     // size of the HTML
  std::string country_a;  // ISO codes
  std::string country_b;
  int64_t papers = 0;  // papers counted, after the filters
  int64_t international_papers = 0;
  int64_t pair_papers = 0;         // papers of the pair, under the pair rule
  std::vector<std::string> years;  // years with papers, ascending
  uint64_t countries = 0;          // countries with at least one paper
  uint64_t network_nodes = 0;      // countries and links drawn in the network picture
  uint64_t network_links = 0;
  uint64_t table_countries = 0;  // rows of the three tables
  uint64_t table_pairs = 0;
  uint64_t table_institutions = 0;
  // The rules of each statistic, by section: "per_year" (charts), "overall" (summary, tables,
  // network), "bridge" and "brokerage" (bridging institutions).
  std::vector<std::pair<std::string, Rules>> rules;
  double seconds = 0;  // wall time to compute and render
};

// Computes every statistic of the report from `db` and renders the HTML. Fills `summary` when
// it is not null. Errors: InvalidArgument for an unknown country or bad options; the errors of
// Database::Stats and Database::Centrality.
absl::StatusOr<std::string> RenderReport(const Database& db, const ReportOptions& options,
                                         ReportSummary* summary = nullptr);

// RenderReport, then writes the HTML to `path` through a temporary file beside it that is
// renamed into place: `path` is either left as it was or holds the whole report. Errors as
// RenderReport, and Unavailable naming the path when it cannot be written.
absl::StatusOr<ReportSummary> WriteReport(const Database& db, const ReportOptions& options,
                                          const std::string& path);

// {"path", "bytes", "seconds", "papers", "international_papers", "pair": {"a", "b", "papers"},
//  "years": [...], "countries", "network": {"nodes", "links"}, "tables": {"countries",
//  "pairs", "institutions"}, "rules": {"per_year": {...}, "overall": {...}, ...}}
std::string ToJson(const ReportSummary& summary);

}  // namespace collabgraph
