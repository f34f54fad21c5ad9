// US-China collaboration at NeurIPS: the question CollabGraph was started for, answered with
// its public API only. Ingests the given paper lists (if any), then prints
//   1. per year: papers, international share, US-CN papers and share under the default pair
//      rule (any US and any CN author) and under the bilateral rule (only US and CN authors);
//   2. the 15 institutions on most US-CN papers;
//   3. the 10 country pairs with most co-authored papers;
//   4. the tag cross-tab: per tag, papers with US but not CN, CN but not US, both, neither;
// and writes an SVG chart of the US-CN share per year under both pair rules.
//
// Hong Kong, Macao and Taiwan count as China (--regions merge): the Paper Copilot labels of
// 1987-2016 say "China" for them, while resolved affiliations (nips2021) give HK/MO/TW, so
// only the merged (or the split) view counts every year the same way.
//
// usage: us_china_neurips DB [--svg OUT.svg] [--universities LIST.json.gz] [FILE...]
//   us_china_neurips neurips.db --svg share.svg ../shared/data/paperlists/nips/*.json.gz

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <collabgraph/collabgraph.h>

namespace {

using collabgraph::PairRule;
using collabgraph::StatsGroup;
using collabgraph::StatsOptions;

struct YearRow {
  std::string year;
  int64_t papers = 0;
  int64_t international = 0;
  int64_t us_cn_any = 0;
  int64_t us_cn_bilateral = 0;
};

int64_t PairPapers(const StatsGroup& g) {
  for (const collabgraph::PairStat& p : g.pairs) {
    if (p.a == "CN" && p.b == "US") return p.papers;  // codes are ordered a < b
  }
  return 0;
}

double Percent(int64_t part, int64_t whole) {
  return whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

std::string XmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// A line chart of the two shares per year; years without data leave a gap in the lines.
std::string ShareChart(const std::vector<YearRow>& rows, const std::string& rules) {
  constexpr double kWidth = 760;
  constexpr double kHeight = 380;
  constexpr double kLeft = 60;
  constexpr double kRight = 20;
  constexpr double kTop = 40;
  constexpr double kBottom = 50;
  int first = 9999;
  int last = 0;
  double max_share = 1.0;
  for (const YearRow& r : rows) {
    first = std::min(first, std::stoi(r.year));
    last = std::max(last, std::stoi(r.year));
    max_share = std::max(max_share, Percent(r.us_cn_any, r.papers));
  }
  max_share = static_cast<double>(static_cast<int>(max_share) + 1);
  const double span = last > first ? static_cast<double>(last - first) : 1.0;
  auto x = [&](int year) {
    return kLeft + (kWidth - kLeft - kRight) * static_cast<double>(year - first) / span;
  };
  auto y = [&](double share) {
    return kHeight - kBottom - (kHeight - kTop - kBottom) * share / max_share;
  };
  std::string svg;
  auto add = [&svg](const std::string& s) { svg += s + "\n"; };
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">",
                kWidth, kHeight, kWidth, kHeight);
  add(buf);
  add("<title>US-China co-authored papers at NeurIPS, share of all papers per year</title>");
  add("<desc>" + XmlEscape(rules) + "</desc>");
  add("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
  std::snprintf(buf, sizeof buf,
                "<text x=\"%.0f\" y=\"22\" font-size=\"15\">US-China papers at NeurIPS, %% of "
                "all papers (Hong Kong, Macao, Taiwan as China)</text>",
                kLeft);
  add(buf);
  for (int tick = 0; tick <= static_cast<int>(max_share); ++tick) {
    if (max_share > 10 && tick % 2 != 0) continue;
    std::snprintf(buf, sizeof buf,
                  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                  "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%d%%</text>",
                  kLeft, y(tick), kWidth - kRight, y(tick), kLeft - 6, y(tick) + 4, tick);
    add(buf);
  }
  for (int year = first; year <= last; ++year) {
    if ((year - first) % 5 != 0 && year != last) continue;
    std::snprintf(buf, sizeof buf, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d</text>",
                  x(year), kHeight - kBottom + 18, year);
    add(buf);
  }
  struct Series {
    const char* name;
    const char* color;
    int64_t YearRow::*count;
  };
  const Series series[] = {
      {"any US and CN author (default)", "#c0392b", &YearRow::us_cn_any},
      {"only US and CN authors (bilateral)", "#2471a3", &YearRow::us_cn_bilateral}};
  int legend = 0;
  for (const Series& s : series) {
    std::string path;
    int previous = -1;
    for (const YearRow& r : rows) {
      const int year = std::stoi(r.year);
      const double share = Percent(r.*s.count, r.papers);
      std::snprintf(buf, sizeof buf, "%s%.1f %.1f", previous == year - 1 ? " L" : " M", x(year),
                    y(share));
      path += buf;
      previous = year;
      std::snprintf(buf, sizeof buf,
                    "<circle class=\"point\" data-series=\"%s\" data-year=\"%d\" "
                    "data-share=\"%.6f\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>",
                    s.name, year, share, x(year), y(share), s.color);
      add(buf);
    }
    add(std::string("<path d=\"") + path.substr(1) + "\" fill=\"none\" stroke=\"" + s.color +
        "\" stroke-width=\"1.8\"/>");
    std::snprintf(buf, sizeof buf,
                  "<rect x=\"%.0f\" y=\"%d\" width=\"12\" height=\"3\" fill=\"%s\"/>"
                  "<text x=\"%.0f\" y=\"%d\">%s</text>",
                  kLeft + 10, 52 + 16 * legend, s.color, kLeft + 28, 57 + 16 * legend, s.name);
    add(buf);
    ++legend;
  }
  std::snprintf(buf, sizeof buf,
                "<text x=\"%.0f\" y=\"%.0f\" fill=\"#555\">Gaps: years without data. Rules: "
                "docs/methodology.md (desc of this file lists them).</text>",
                kLeft, kHeight - 12);
  add(buf);
  add("</svg>");
  return svg;
}

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "us_china_neurips: %s\n", std::string(status.message()).c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string db_path;
  std::string svg_path;
  collabgraph::IngestOptions ingest;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--svg" || arg == "--universities") && i + 1 < argc) {
      (arg == "--svg" ? svg_path : ingest.universities_path) = argv[++i];
    } else if (arg.starts_with("--")) {
      db_path.clear();
      break;
    } else if (db_path.empty()) {
      db_path = arg;
    } else {
      files.push_back(arg);
    }
  }
  if (db_path.empty()) {
    std::fprintf(stderr, "usage: %s DB [--svg OUT.svg] [--universities LIST.json.gz] [FILE...]\n",
                 argv[0]);
    return 1;
  }
  auto db = collabgraph::Database::Open(db_path);
  if (!db.ok()) return Fail(db.status());
  if (!files.empty()) {
    auto report = (*db)->Ingest(files, ingest);
    if (!report.ok()) return Fail(report.status());
  }

  StatsOptions base;
  base.regions = collabgraph::Regions::kMerge;

  // 1. Per year, under both pair rules.
  StatsOptions by_year = base;
  by_year.group_by = collabgraph::GroupBy::kYear;
  auto any = (*db)->Stats(by_year);
  if (!any.ok()) return Fail(any.status());
  StatsOptions by_year_bilateral = by_year;
  by_year_bilateral.pair_rule = PairRule::kBilateral;
  auto bilateral = (*db)->Stats(by_year_bilateral);
  if (!bilateral.ok()) return Fail(bilateral.status());
  std::vector<YearRow> rows;
  for (size_t i = 0; i < any->groups.size(); ++i) {
    const StatsGroup& g = any->groups[i];
    if (i >= bilateral->groups.size() || bilateral->groups[i].key != g.key) {
      return Fail(absl::InternalError("the two per-year results have different years"));
    }
    rows.push_back(
        {g.key, g.papers, g.international_papers, PairPapers(g), PairPapers(bilateral->groups[i])});
  }
  std::printf("US-China collaboration at NeurIPS, per year (Hong Kong, Macao, Taiwan as CN)\n");
  std::printf("%-6s %7s %7s %8s %8s %10s %8s\n", "year", "papers", "intl%", "US-CN", "share%",
              "bilateral", "share%");
  YearRow total{"all"};
  for (const YearRow& r : rows) {
    std::printf("%-6s %7lld %6.1f%% %8lld %7.2f%% %10lld %7.2f%%\n", r.year.c_str(),
                static_cast<long long>(r.papers), Percent(r.international, r.papers),
                static_cast<long long>(r.us_cn_any), Percent(r.us_cn_any, r.papers),
                static_cast<long long>(r.us_cn_bilateral), Percent(r.us_cn_bilateral, r.papers));
    total.papers += r.papers;
    total.international += r.international;
    total.us_cn_any += r.us_cn_any;
    total.us_cn_bilateral += r.us_cn_bilateral;
  }
  std::printf("%-6s %7lld %6.1f%% %8lld %7.2f%% %10lld %7.2f%%\n", "all",
              static_cast<long long>(total.papers), Percent(total.international, total.papers),
              static_cast<long long>(total.us_cn_any), Percent(total.us_cn_any, total.papers),
              static_cast<long long>(total.us_cn_bilateral),
              Percent(total.us_cn_bilateral, total.papers));

  // 2 and 4. Institutions on US-CN papers and the tag cross-tab.
  auto detail = (*db)->DescribePair(base, "US", "CN", 15);
  if (!detail.ok()) return Fail(detail.status());
  std::printf("\nThe 15 institutions on most US-CN papers\n%6s  %s\n", "papers", "institution");
  for (const auto& c : detail->institutions) {
    std::printf("%6lld  %s (%s)\n", static_cast<long long>(c.papers), c.name.c_str(),
                c.code.empty() ? "?" : c.code.c_str());
  }

  // 3. The most frequent country pairs over all years.
  auto all = (*db)->Stats(base);
  if (!all.ok()) return Fail(all.status());
  std::printf("\nThe 10 country pairs with most co-authored papers\n");
  std::printf("%-8s %7s %8s %8s\n", "pair", "papers", "salton", "pai");
  const auto& pairs = all->groups.front().pairs;
  for (size_t i = 0; i < pairs.size() && i < 10; ++i) {
    std::printf("%-8s %7lld %8.4f %8.3f\n", (pairs[i].a + "-" + pairs[i].b).c_str(),
                static_cast<long long>(pairs[i].papers), pairs[i].salton,
                pairs[i].probabilistic_affinity);
  }

  std::printf("\nPapers per tag and country combination (US only: a US author, no CN one)\n");
  std::printf("%-24s %8s %8s %8s %8s\n", "tag", "US only", "CN only", "US-CN", "other");
  for (const auto& t : detail->tags) {
    std::printf("%-24s %8lld %8lld %8lld %8lld\n", t.tag.c_str(), static_cast<long long>(t.only_a),
                static_cast<long long>(t.only_b), static_cast<long long>(t.both),
                static_cast<long long>(t.other));
  }

  std::string rules;
  for (const auto& [name, value] : any->rules.entries) {
    rules += name;
    rules += "=";
    rules += value;
    rules += "; ";
  }
  std::printf("\nrules: %s\n", rules.c_str());
  if (!svg_path.empty()) {
    std::ofstream out(svg_path);
    out << ShareChart(rows, rules);
    out.close();
    if (!out) {
      std::fprintf(stderr, "us_china_neurips: cannot write %s\n", svg_path.c_str());
      return 2;
    }
    std::printf("chart: %s\n", svg_path.c_str());
  }
  return 0;
}
