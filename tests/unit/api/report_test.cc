#include "collabgraph/report.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "api/report_html.h"
#include "test_util.h"

using namespace collabgraph;
using collabgraph::testing::TempDir;

namespace {

size_t Occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

StatsGroup Group(const std::string& key, int64_t papers, int64_t international, int64_t us_cn) {
  StatsGroup g;
  g.key = key;
  g.papers = papers;
  g.papers_with_country = papers;
  g.international_papers = international;
  g.countries = {{"US", "United States", papers, 0}, {"CN", "China", us_cn + 1, 0}};
  g.pairs = {{"CN", "US", us_cn}};
  return g;
}

// Data as RenderHtml gets it: two years with a gap between them, and an institution whose name
// is markup.
report::ReportData HandMade() {
  report::ReportData data;
  data.a = "US";
  data.b = "CN";
  data.name_a = "United States";
  data.name_b = "China";
  data.library_version = "0.0.0";
  data.by_year.grouped = true;
  data.by_year.groups = {Group("2014", 100, 20, 4), Group("2015", 120, 30, 6),
                         Group("2018", 200, 50, 10)};
  data.overall.groups = {Group("all", 420, 100, 20)};
  data.overall.rules.Add("pair_rule", "any");
  data.overall.rules.Add("regions", "<merge>");
  CentralityEntry e;
  e.id = 7;
  e.name = "<script>alert('x')</script> & \"Co\"";
  e.code = "US";
  e.value = 12.5;
  data.bridge.results = {e};
  e.value = 3;
  e.share = 0.15;
  data.brokerage.results = {e};
  return data;
}

}  // namespace

TEST_CASE("EscapeHtml escapes markup characters and drops control characters", "[api][report]") {
  CHECK(report::EscapeHtml("a<b>&\"c\"'d'") == "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
  CHECK(report::EscapeHtml(std::string("x\x01y\tz\n", 6)) == "xy\tz\n");
  CHECK(report::EscapeHtml("Zürich") == "Zürich");
}

TEST_CASE("RenderHtml escapes data text, breaks lines at missing years and fills the summary",
          "[api][report]") {
  const report::ReportData data = HandMade();
  ReportSummary summary;
  const std::string html = report::RenderHtml(data, &summary);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot;") !=
        std::string::npos);
  CHECK(html.find("&lt;merge&gt;") != std::string::npos);
  // One point per year and series; 2016 and 2017 are a hatched gap, and each line restarts
  // after it (two "M" moves per path).
  CHECK(Occurrences(html, "class=\"point\" data-series=\"pair\"") == 3);
  CHECK(Occurrences(html, "class=\"point\" data-series=\"international\"") == 3);
  CHECK(html.find("data-series=\"pair\" data-year=\"2015\" data-value=\"5.000000\"") !=
        std::string::npos);
  CHECK(Occurrences(html, "class=\"gap\" data-from=\"2016\" data-to=\"2017\"") == 3);  // 3 charts
  const size_t path = html.find("class=\"line\" data-series=\"pair\" d=\"");
  REQUIRE(path != std::string::npos);
  const std::string d = html.substr(path, html.find('"', path + 40) - path);
  CHECK(Occurrences(d, "M") == 2);
  CHECK(Occurrences(d, "L") == 1);
  CHECK(Occurrences(html, "class=\"bar\" data-year=") == 3);
  CHECK(summary.years == std::vector<std::string>{"2014", "2015", "2018"});
  CHECK(summary.papers == 420);
  CHECK(summary.pair_papers == 20);
  CHECK(summary.table_institutions == 1);
  CHECK(summary.bytes == html.size());
  // Self-contained: nothing refers to another file or address.
  for (const char* external : {"http:", "https:", "src=", "<link", "@import", "<script"}) {
    CHECK(html.find(external) == std::string::npos);
  }
}

TEST_CASE("ForceLayout is deterministic, keeps circles inside and apart", "[api][report]") {
  std::vector<report::LayoutNode> nodes;
  for (int i = 0; i < 30; ++i) nodes.push_back({4.0 + 30.0 / (1 + i)});
  std::vector<report::LayoutLink> links;
  for (size_t i = 1; i < 25; ++i) links.push_back({0, i, 100.0 / static_cast<double>(i)});
  links.push_back({3, 4, 5});
  auto first = nodes;
  report::ForceLayout(&first, links, 800, 500, 10);
  auto second = nodes;
  report::ForceLayout(&second, links, 800, 500, 10);
  for (size_t i = 0; i < nodes.size(); ++i) {
    CHECK(first[i].x == second[i].x);
    CHECK(first[i].y == second[i].y);
    CHECK(first[i].x - first[i].radius >= 10 - 1e-9);
    CHECK(first[i].x + first[i].radius <= 790 + 1e-9);
    CHECK(first[i].y - first[i].radius >= 10 - 1e-9);
    CHECK(first[i].y + first[i].radius <= 490 + 1e-9);
    for (size_t j = i + 1; j < nodes.size(); ++j) {
      CHECK(std::hypot(first[i].x - first[j].x, first[i].y - first[j].y) >=
            first[i].radius + first[j].radius);
    }
  }
}

TEST_CASE("WriteReport writes the whole file or nothing, and bad countries are InvalidArgument",
          "[api][report]") {
  TempDir dir;
  const std::string list = dir.Write("conf2020.json", R"json([
    {"id": "p1", "title": "One", "author": "Ann Lee; Bo Chen", "aff_unique_index": "0;1",
     "aff_unique_norm": "MIT;Peking University", "aff_country_unique_index": "0;1",
     "aff_country_unique": "United States;China"},
    {"id": "p2", "title": "Two", "author": "Cy Dee", "aff_unique_index": "0",
     "aff_unique_norm": "ETH <Zurich>", "aff_country_unique_index": "0",
     "aff_country_unique": "Switzerland"}])json");
  auto db = Database::Open(dir.Sub("db"));
  REQUIRE(db.ok());
  REQUIRE((*db)->Ingest({list}).ok());

  ReportOptions options;
  auto summary = WriteReport(**db, options, dir.Sub("report.html"));
  REQUIRE(summary.ok());
  CHECK(summary->papers == 2);
  CHECK(summary->pair_papers == 1);
  CHECK(summary->years == std::vector<std::string>{"2020"});
  CHECK(summary->network_nodes == 3);
  CHECK(summary->network_links == 1);
  std::ifstream in(dir.Sub("report.html"));
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str().size() == summary->bytes);
  CHECK(text.str().find("ETH <Zurich>") == std::string::npos);
  CHECK(summary->table_institutions == 0);  // no path between US and CN runs through a third
  CHECK(text.str().find("class=\"node\" data-code=\"CN\" data-papers=\"1\"") != std::string::npos);
  CHECK(ToJson(*summary).find("\"pair\":{\"a\":\"US\",\"b\":\"CN\",\"papers\":1}") !=
        std::string::npos);

  // The same database gives the same bytes.
  auto again = RenderReport(**db, options);
  REQUIRE(again.ok());
  CHECK(*again == text.str());

  // A path that cannot be written: an error naming it, and no file.
  auto failed = WriteReport(**db, options, dir.Sub("missing/report.html"));
  CHECK(absl::IsUnavailable(failed.status()));
  CHECK(failed.status().message().find(dir.Sub("missing/report.html")) != std::string_view::npos);
  CHECK_FALSE(std::filesystem::exists(dir.Sub("missing")));

  options.country_b = "Atlantis";
  CHECK(absl::IsInvalidArgument(RenderReport(**db, options).status()));
  options.country_b = "united states";
  CHECK(absl::IsInvalidArgument(RenderReport(**db, options).status()));
}
