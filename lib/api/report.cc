// The HTML report (collabgraph/report.h). RenderReport asks the database for four results —
// statistics per year, statistics over all years, and the bridge and brokerage rankings of the
// institution graph — and RenderHtml draws them. Everything is drawn here, in C++: the charts
// and the network are inline SVG with their coordinates computed below, so the page needs no
// script and renders the same in any browser, in print, or with scripts disabled. Numbers a
// test or a script may want to read back are also in data-* attributes, unformatted.

#include "collabgraph/report.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <vector>

#include <fmt/format.h>
#include <unistd.h>

#include "api/report_html.h"
#include "collabgraph/countries.h"
#include "util/json_writer.h"
#include "util/text.h"

namespace collabgraph {

namespace report {

std::string EscapeHtml(std::string_view s) { return util::EscapeMarkup(s); }

// The layout starts from a sunflower spiral (node i at radius ~ sqrt(i), golden angle apart),
// which needs no random numbers; nodes come sorted by size, so the largest start near the
// centre. Repulsion k^2/d acts between the circles' rims rather than their centres, so big
// circles keep their distance; attraction d^2/k is scaled by log(1 + w) / log(1 + w_max), so
// the strongest links are short without the weakest being ignored; a weak pull to the centre
// keeps nodes without links in view. The temperature (largest step) falls linearly.
void ForceLayout(std::vector<LayoutNode>* nodes, const std::vector<LayoutLink>& links, double width,
                 double height, double margin) {
  std::vector<LayoutNode>& v = *nodes;
  const size_t n = v.size();
  if (n == 0) return;
  const double cx = width / 2;
  const double cy = height / 2;
  if (n == 1) {
    v[0].x = cx;
    v[0].y = cy;
    return;
  }
  constexpr double kGoldenAngle = 2.399963229728653;
  const double k = std::sqrt(width * height / static_cast<double>(n)) * 0.55;
  const double spread = std::min(width, height) * 0.4;
  for (size_t i = 0; i < n; ++i) {
    const double r = spread * std::sqrt((static_cast<double>(i) + 0.5) / static_cast<double>(n));
    v[i].x = cx + r * std::cos(kGoldenAngle * static_cast<double>(i));
    v[i].y = cy + r * std::sin(kGoldenAngle * static_cast<double>(i));
  }
  double max_weight = 0;
  for (const LayoutLink& l : links) max_weight = std::max(max_weight, l.weight);
  const double log_max = std::log1p(std::max(max_weight, 1.0));
  // Pull to the centre, proportional to the distance: strong enough that a node without links,
  // pushed by the n - 1 others (about n k^2 / d), settles near the rim of the start spiral.
  const double gravity = 0.5 * static_cast<double>(n) * k * k / (spread * spread);
  constexpr int kIterations = 400;
  std::vector<double> dx(n);
  std::vector<double> dy(n);
  for (int it = 0; it < kIterations; ++it) {
    std::fill(dx.begin(), dx.end(), 0.0);
    std::fill(dy.begin(), dy.end(), 0.0);
    for (size_t i = 0; i < n; ++i) {
      for (size_t j = i + 1; j < n; ++j) {
        double ex = v[i].x - v[j].x;
        double ey = v[i].y - v[j].y;
        double d = std::hypot(ex, ey);
        if (d < 1e-6) {  // coincident: separate along a fixed direction
          ex = 1e-3 * static_cast<double>(j - i);
          ey = 1e-3;
          d = std::hypot(ex, ey);
        }
        const double gap = std::max(d - v[i].radius - v[j].radius, k * 0.05);
        const double f = k * k / gap / d;
        dx[i] += ex * f;
        dy[i] += ey * f;
        dx[j] -= ex * f;
        dy[j] -= ey * f;
      }
    }
    for (const LayoutLink& l : links) {
      const double ex = v[l.a].x - v[l.b].x;
      const double ey = v[l.a].y - v[l.b].y;
      const double d = std::hypot(ex, ey);
      const double f = d / k * std::log1p(l.weight) / log_max;
      dx[l.a] -= ex * f;
      dy[l.a] -= ey * f;
      dx[l.b] += ex * f;
      dy[l.b] += ey * f;
    }
    const double temperature =
        std::min(width, height) * 0.1 * (1.0 - static_cast<double>(it) / kIterations) + 0.5;
    for (size_t i = 0; i < n; ++i) {
      dx[i] -= (v[i].x - cx) * gravity;
      dy[i] -= (v[i].y - cy) * gravity;
      const double d = std::hypot(dx[i], dy[i]);
      if (d > 0) {
        const double step = std::min(d, temperature);
        v[i].x += dx[i] / d * step;
        v[i].y += dy[i] / d * step;
      }
    }
  }
  // Fit the drawing into the box: scale each axis so that every circle, with its margin, is
  // inside.
  double min_x = v[0].x;
  double max_x = v[0].x;
  double min_y = v[0].y;
  double max_y = v[0].y;
  double max_r = 0;
  for (const LayoutNode& p : v) {
    min_x = std::min(min_x, p.x);
    max_x = std::max(max_x, p.x);
    min_y = std::min(min_y, p.y);
    max_y = std::max(max_y, p.y);
    max_r = std::max(max_r, p.radius);
  }
  const double pad = max_r + margin;
  const double sx = max_x > min_x ? (width - 2 * pad) / (max_x - min_x) : 0;
  const double sy = max_y > min_y ? (height - 2 * pad) / (max_y - min_y) : 0;
  for (LayoutNode& p : v) {
    p.x = sx > 0 ? pad + (p.x - min_x) * sx : cx;
    p.y = sy > 0 ? pad + (p.y - min_y) * sy : cy;
  }
  // Push overlapping circles apart (the scaling may have squeezed one axis), staying inside.
  const double gap = std::max(margin * 0.5, 2.0);
  for (int round = 0; round < 200; ++round) {
    bool moved = false;
    for (size_t i = 0; i < n; ++i) {
      for (size_t j = i + 1; j < n; ++j) {
        double ex = v[j].x - v[i].x;
        double ey = v[j].y - v[i].y;
        double d = std::hypot(ex, ey);
        const double want = v[i].radius + v[j].radius + gap;
        if (d >= want) continue;
        if (d < 1e-6) {
          ex = 1;
          ey = 0;
          d = 1;
        }
        const double push = (want - d) / 2 + 0.01;
        v[i].x -= ex / d * push;
        v[i].y -= ey / d * push;
        v[j].x += ex / d * push;
        v[j].y += ey / d * push;
        moved = true;
      }
    }
    for (LayoutNode& p : v) {
      p.x = std::clamp(p.x, p.radius + margin,
                       std::max(p.radius + margin, width - p.radius - margin));
      p.y = std::clamp(p.y, p.radius + margin,
                       std::max(p.radius + margin, height - p.radius - margin));
    }
    if (!moved) break;
  }
}

namespace {

// Palette: the two countries in blue and red, their pair in purple, other international papers
// in teal, everything else in greys.
constexpr const char* kColorA = "#2563eb";
constexpr const char* kColorB = "#dc2626";
constexpr const char* kColorPair = "#7c3aed";
constexpr const char* kColorIntl = "#0d9488";
constexpr const char* kColorOther = "#cbd5e1";
constexpr const char* kColorNode = "#64748b";

// 1234567 -> "1,234,567".
std::string Int(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

// A number with `digits` decimals and thousands separators.
std::string Fixed(double value, int digits) {
  if (!std::isfinite(value)) return "–";
  std::string s = fmt::format("{:.{}f}", value, digits);
  const size_t dot = s.find('.');
  const size_t int_end = dot == std::string::npos ? s.size() : dot;
  const size_t int_begin = s[0] == '-' ? 1 : 0;
  // Built forwards rather than with insert(): g++ 12 at -O3 reports a false -Wrestrict
  // overlap inside std::string::insert here.
  std::string out(s, 0, int_begin);
  for (size_t i = int_begin; i < int_end; ++i) {
    if (i > int_begin && (int_end - i) % 3 == 0) out += ',';
    out += s[i];
  }
  out += std::string_view(s).substr(int_end);
  return out;
}

double Share(int64_t part, int64_t whole) {
  return whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

// A short number for an attribute: enough digits to compare, no thousands separators.
std::string Raw(double value) { return fmt::format("{:.6f}", value); }

std::string Coord(double value) { return fmt::format("{:.1f}", value); }

int64_t PairPapers(const StatsGroup& g, const std::string& a, const std::string& b) {
  const std::string& lo = std::min(a, b);
  const std::string& hi = std::max(a, b);
  for (const PairStat& p : g.pairs) {
    if (p.a == lo && p.b == hi) return p.papers;
  }
  return 0;
}

std::string RuleValue(const Rules& rules, const std::string& name) {
  for (const auto& [k, v] : rules.entries) {
    if (k == name) return v;
  }
  return "";
}

struct YearRow {
  int year = 0;
  int64_t papers = 0;
  int64_t international = 0;
  int64_t pair = 0;
};

std::vector<YearRow> YearRows(const ReportData& data) {
  std::vector<YearRow> rows;
  for (const StatsGroup& g : data.by_year.groups) {
    int year = 0;
    auto [ptr, ec] = std::from_chars(g.key.data(), g.key.data() + g.key.size(), year);
    if (ec != std::errc() || ptr != g.key.data() + g.key.size()) continue;
    rows.push_back({year, g.papers, g.international_papers, PairPapers(g, data.a, data.b)});
  }
  std::sort(rows.begin(), rows.end(),
            [](const YearRow& x, const YearRow& y) { return x.year < y.year; });
  return rows;
}

// A step of 1, 2, 2.5 or 5 times a power of ten giving about `target` ticks up to `max`.
double NiceStep(double max, int target) {
  const double raw = std::max(max, 1e-9) / target;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * magnitude >= raw) return m * magnitude;
  }
  return 10 * magnitude;
}

std::string TickLabel(double value, double step, const char* suffix) {
  const int digits = step >= 1 ? 0 : step >= 0.1 ? 1 : 2;
  return (digits == 0 ? Int(static_cast<int64_t>(std::llround(value))) : Fixed(value, digits)) +
         suffix;
}

// The horizontal geometry of a chart over the years first..last.
struct YearAxis {
  int first = 0;
  int last = 0;
  double left = 0;
  double right = 0;
  double X(double year) const {
    if (last == first) return (left + right) / 2;
    return left + (right - left) * (year - first) / (last - first);
  }
};

// Year labels every 1, 2, 5, 10, ... years (at most 8 labels), at multiples of the step.
std::string YearTicks(const YearAxis& axis, double baseline) {
  int step = 1;
  for (int s : {1, 2, 5, 10, 20, 25, 50, 100}) {
    step = s;
    if ((axis.last - axis.first) / s <= 8) break;
  }
  std::string out;
  for (int year = axis.first; year <= axis.last; ++year) {
    if (year % step != 0 && !(axis.first == axis.last)) continue;
    out += fmt::format(
        R"(<line class="tick" x1="{0}" y1="{1}" x2="{0}" y2="{2}"/>)"
        R"(<text class="axis-label" x="{0}" y="{3}" text-anchor="middle">{4}</text>)",
        Coord(axis.X(year)), Coord(baseline), Coord(baseline + 4), Coord(baseline + 17), year);
  }
  return out;
}

// Hatched bands over the years without papers between two years with papers.
std::string GapBands(const std::string& chart_id, const YearAxis& axis,
                     const std::vector<YearRow>& rows, double top, double baseline) {
  std::string out;
  for (size_t i = 1; i < rows.size(); ++i) {
    const int from = rows[i - 1].year + 1;
    const int to = rows[i].year - 1;
    if (from > to) continue;
    const double x0 = axis.X(from - 0.5);
    const double x1 = axis.X(to + 0.5);
    out += fmt::format(
        R"(<rect class="gap" data-from="{}" data-to="{}" x="{}" y="{}" width="{}" height="{}" )"
        R"svg(fill="url(#hatch-{})"><title>no papers in {}</title></rect>)svg",
        from, to, Coord(x0), Coord(top), Coord(x1 - x0), Coord(baseline - top), chart_id,
        from == to ? std::to_string(from) : fmt::format("{}–{}", from, to));
    if (x1 - x0 >= 34) {
      out += fmt::format(
          R"(<text class="gap-label" x="{}" y="{}" text-anchor="middle">no data</text>)",
          Coord((x0 + x1) / 2), Coord(top + 14));
    }
  }
  return out;
}

std::string SvgOpen(const std::string& id, double width, double height, const std::string& label) {
  return fmt::format(
      R"(<svg id="{}" class="chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" )"
      R"(aria-label="{}" preserveAspectRatio="xMidYMid meet">)",
      id, width, height, width, height, EscapeHtml(label));
}

// The hatch pattern of GapBands, one per chart so that ids stay unique in the page.
std::string Hatch(const std::string& chart_id) {
  return fmt::format(
      R"svg(<defs><pattern id="hatch-{}" width="6" height="6" patternUnits="userSpaceOnUse" )svg"
      R"svg(patternTransform="rotate(45)"><rect width="6" height="6" fill="#f8fafc"/>)svg"
      R"svg(<line x1="0" y1="0" x2="0" y2="6" stroke="#e2e8f0" stroke-width="3"/></pattern>)svg"
      R"svg(</defs>)svg",
      chart_id);
}

struct LineSeries {
  std::string key;  // data-series
  std::string name;
  std::string color;
  std::vector<std::pair<int, double>> points;  // (year, percent), ascending years
  std::vector<std::string> tips;               // a tooltip per point
};

// A line chart of percentages per year: one path per run of consecutive years (a missing year
// breaks the line), a dot per year, the last value written at the end of each line.
std::string LineChart(const std::string& id, const std::string& label,
                      const std::vector<YearRow>& rows, const std::vector<LineSeries>& series) {
  constexpr double kWidth = 560;
  constexpr double kHeight = 300;
  constexpr double kLeft = 52;
  constexpr double kRight = 58;
  constexpr double kTop = 34;
  constexpr double kBottom = 40;
  std::string svg = SvgOpen(id, kWidth, kHeight, label);
  if (rows.empty()) {
    return svg +
           R"(<text class="empty" x="280" y="150" text-anchor="middle">no papers</text></svg>)";
  }
  double max_value = 0;
  for (const LineSeries& s : series) {
    for (const auto& [year, value] : s.points) max_value = std::max(max_value, value);
  }
  const double step = NiceStep(max_value > 0 ? max_value * 1.08 : 1.0, 5);
  const double top_value = step * std::ceil((max_value > 0 ? max_value * 1.08 : 1.0) / step);
  const double baseline = kHeight - kBottom;
  auto y = [&](double value) { return baseline - (baseline - kTop) * value / top_value; };
  const YearAxis axis{rows.front().year, rows.back().year, kLeft + 8, kWidth - kRight};
  svg += Hatch(id);
  const int ticks = static_cast<int>(std::llround(top_value / step));
  for (int t = 0; t <= ticks; ++t) {
    const double v = step * t;
    svg += fmt::format(R"(<line class="grid" x1="{0}" y1="{1}" x2="{2}" y2="{1}"/>)"
                       R"(<text class="axis-label" x="{3}" y="{4}" text-anchor="end">{5}</text>)",
                       Coord(kLeft), Coord(y(v)), Coord(kWidth - kRight + 8), Coord(kLeft - 6),
                       Coord(y(v) + 4), TickLabel(v, step, "%"));
  }
  svg += GapBands(id, axis, rows, kTop, baseline);
  svg += fmt::format(R"(<line class="axis" x1="{0}" y1="{1}" x2="{2}" y2="{1}"/>)", Coord(kLeft),
                     Coord(baseline), Coord(kWidth - kRight + 8));
  svg += YearTicks(axis, baseline);
  double legend_x = kLeft;
  for (const LineSeries& s : series) {
    svg += fmt::format(
        R"(<g class="legend"><rect x="{}" y="10" width="14" height="4" rx="2" fill="{}"/>)"
        R"(<text x="{}" y="16">{}</text></g>)",
        Coord(legend_x), s.color, Coord(legend_x + 19), EscapeHtml(s.name));
    legend_x += 30 + 6.6 * static_cast<double>(s.name.size());
  }
  for (const LineSeries& s : series) {
    std::string path;
    int previous = 0;
    for (size_t i = 0; i < s.points.size(); ++i) {
      const auto& [year, value] = s.points[i];
      path += fmt::format("{}{} {} ", i > 0 && year == previous + 1 ? "L" : "M",
                          Coord(axis.X(year)), Coord(y(value)));
      previous = year;
    }
    if (!path.empty()) {
      path.pop_back();
      svg += fmt::format(R"(<path class="line" data-series="{}" d="{}" stroke="{}"/>)", s.key, path,
                         s.color);
    }
    for (size_t i = 0; i < s.points.size(); ++i) {
      const auto& [year, value] = s.points[i];
      svg += fmt::format(
          R"(<circle class="point" data-series="{}" data-year="{}" data-value="{}" cx="{}" )"
          R"(cy="{}" r="3.2" fill="{}"><title>{}</title></circle>)",
          s.key, year, Raw(value), Coord(axis.X(year)), Coord(y(value)), s.color,
          EscapeHtml(s.tips[i]));
    }
    if (!s.points.empty()) {
      const auto& [year, value] = s.points.back();
      svg += fmt::format(R"(<text class="end-label" x="{}" y="{}" fill="{}">{}%</text>)",
                         Coord(axis.X(year) + 7), Coord(y(value) + 4), s.color, Fixed(value, 1));
    }
  }
  return svg + "</svg>";
}

// Stacked bars of the papers per year: the pair's papers, the other international papers, the
// rest. Years without papers keep their slot, empty and hatched.
std::string PapersChart(const std::string& id, const std::string& pair_label,
                        const std::vector<YearRow>& rows) {
  constexpr double kWidth = 1120;
  constexpr double kHeight = 280;
  constexpr double kLeft = 60;
  constexpr double kRight = 20;
  constexpr double kTop = 34;
  constexpr double kBottom = 40;
  std::string svg = SvgOpen(id, kWidth, kHeight,
                            "Papers per year: " + pair_label + ", other international, the rest");
  if (rows.empty()) {
    return svg +
           R"(<text class="empty" x="560" y="140" text-anchor="middle">no papers</text></svg>)";
  }
  int64_t max_papers = 0;
  for (const YearRow& r : rows) max_papers = std::max(max_papers, r.papers);
  const double step = NiceStep(static_cast<double>(std::max<int64_t>(max_papers, 1)), 5);
  const double top_value =
      step * std::ceil(static_cast<double>(std::max<int64_t>(max_papers, 1)) / step);
  const double baseline = kHeight - kBottom;
  auto y = [&](double value) { return baseline - (baseline - kTop) * value / top_value; };
  const int first = rows.front().year;
  const int last = rows.back().year;
  const double slot = (kWidth - kLeft - kRight) / static_cast<double>(last - first + 1);
  const YearAxis axis{first, last, kLeft + slot / 2, kWidth - kRight - slot / 2};
  svg += Hatch(id);
  const int ticks = static_cast<int>(std::llround(top_value / step));
  for (int t = 0; t <= ticks; ++t) {
    const double v = step * t;
    svg += fmt::format(R"(<line class="grid" x1="{0}" y1="{1}" x2="{2}" y2="{1}"/>)"
                       R"(<text class="axis-label" x="{3}" y="{4}" text-anchor="end">{5}</text>)",
                       Coord(kLeft), Coord(y(v)), Coord(kWidth - kRight), Coord(kLeft - 6),
                       Coord(y(v) + 4), TickLabel(v, step, ""));
  }
  svg += GapBands(id, axis, rows, kTop, baseline);
  const double bar = std::max(slot * 0.72, 1.0);
  for (const YearRow& r : rows) {
    const int64_t intl_other = std::max<int64_t>(r.international - r.pair, 0);
    const int64_t rest = std::max<int64_t>(r.papers - r.international, 0);
    const double x = axis.X(r.year) - bar / 2;
    svg += fmt::format(
        R"(<g class="bar" data-year="{}" data-papers="{}" data-international="{}" data-pair="{}">)"
        R"(<title>{}: {} papers, {} international ({}%), {} {} ({}%)</title>)",
        r.year, r.papers, r.international, r.pair, r.year, Int(r.papers), Int(r.international),
        Fixed(Share(r.international, r.papers), 1), Int(r.pair), EscapeHtml(pair_label),
        Fixed(Share(r.pair, r.papers), 2));
    double bottom = 0;
    for (const auto& [count, color] :
         {std::pair{r.pair, kColorPair}, std::pair{intl_other, kColorIntl},
          std::pair{rest, kColorOther}}) {
      if (count <= 0) continue;
      const double top = bottom + static_cast<double>(count);
      svg += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>)", Coord(x),
                         Coord(y(top)), Coord(bar), Coord(y(bottom) - y(top)), color);
      bottom = top;
    }
    svg += "</g>";
  }
  svg += fmt::format(R"(<line class="axis" x1="{0}" y1="{1}" x2="{2}" y2="{1}"/>)", Coord(kLeft),
                     Coord(baseline), Coord(kWidth - kRight));
  svg += YearTicks(axis, baseline);
  double legend_x = kLeft;
  for (const auto& [name, color] :
       {std::pair{pair_label + " papers", kColorPair},
        std::pair{std::string("other international papers"), kColorIntl},
        std::pair{std::string("other papers"), kColorOther}}) {
    svg += fmt::format(
        R"(<g class="legend"><rect x="{}" y="6" width="12" height="12" rx="2" fill="{}"/>)"
        R"(<text x="{}" y="16">{}</text></g>)",
        Coord(legend_x), color, Coord(legend_x + 17), EscapeHtml(name));
    legend_x += 34 + 6.6 * static_cast<double>(name.size());
  }
  return svg + "</svg>";
}

struct NetworkPicture {
  std::string svg;
  size_t nodes = 0;
  size_t links = 0;
  size_t candidate_links = 0;  // links among the nodes before keeping the strongest
};

// The country network: the largest countries, the strongest links among them (always the
// link of the pair when it exists), laid out by ForceLayout.
NetworkPicture Network(const ReportData& data) {
  constexpr double kWidth = 1120;
  constexpr double kHeight = 640;
  NetworkPicture pic;
  pic.svg = SvgOpen("network", kWidth, kHeight,
                    "Country collaboration network: circles sized by papers, lines by joint "
                    "papers");
  if (data.overall.groups.empty() || data.overall.groups.front().countries.empty()) {
    pic.svg += R"(<text class="empty" x="560" y="320" text-anchor="middle">no papers with a )"
               R"(known country</text></svg>)";
    return pic;
  }
  const StatsGroup& g = data.overall.groups.front();
  std::vector<const CountryStat*> countries;
  for (const CountryStat& c : g.countries) countries.push_back(&c);
  std::stable_sort(
      countries.begin(), countries.end(),
      [](const CountryStat* x, const CountryStat* y) { return x->papers > y->papers; });
  if (countries.size() > data.options.network_countries) {
    countries.resize(data.options.network_countries);
  }
  // The two countries of the report are always drawn when they have papers.
  for (const std::string& code : {data.a, data.b}) {
    const bool drawn = std::any_of(countries.begin(), countries.end(),
                                   [&](const CountryStat* c) { return c->code == code; });
    if (drawn) continue;
    for (const CountryStat& c : g.countries) {
      if (c.code == code && c.papers > 0) countries.push_back(&c);
    }
  }
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < countries.size(); ++i) index[countries[i]->code] = i;
  std::vector<const PairStat*> pairs;
  for (const PairStat& p : g.pairs) {
    if (p.papers > 0 && index.count(p.a) > 0 && index.count(p.b) > 0) pairs.push_back(&p);
  }
  pic.candidate_links = pairs.size();
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const PairStat* x, const PairStat* y) { return x->papers > y->papers; });
  const std::string lo = std::min(data.a, data.b);
  const std::string hi = std::max(data.a, data.b);
  if (pairs.size() > data.options.network_links) {
    // The strongest links, and besides them the pair's link and each country's strongest link,
    // so that no drawn country floats alone when it has partners among the others.
    std::vector<bool> keep(pairs.size(), false);
    std::set<std::string> linked;
    for (size_t i = 0; i < pairs.size(); ++i) {
      const PairStat& p = *pairs[i];
      const bool strongest_of_a = linked.insert(p.a).second;
      const bool strongest_of_b = linked.insert(p.b).second;
      keep[i] = i < data.options.network_links || strongest_of_a || strongest_of_b ||
                (p.a == lo && p.b == hi);
    }
    std::vector<const PairStat*> kept;
    for (size_t i = 0; i < pairs.size(); ++i) {
      if (keep[i]) kept.push_back(pairs[i]);
    }
    pairs = std::move(kept);
  }
  const double max_papers = static_cast<double>(std::max<int64_t>(countries.front()->papers, 1));
  std::vector<LayoutNode> nodes(countries.size());
  for (size_t i = 0; i < countries.size(); ++i) {
    nodes[i].radius = 6 + 36 * std::sqrt(static_cast<double>(countries[i]->papers) / max_papers);
  }
  std::vector<LayoutLink> links;
  double max_link = 1;
  for (const PairStat* p : pairs) {
    links.push_back({index[p->a], index[p->b], static_cast<double>(p->papers)});
    max_link = std::max(max_link, static_cast<double>(p->papers));
  }
  ForceLayout(&nodes, links, kWidth, kHeight, 26);
  pic.nodes = nodes.size();
  pic.links = links.size();

  std::string& svg = pic.svg;
  // Links, weakest first so that strong ones are drawn on top.
  std::vector<size_t> order(links.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t x, size_t y) { return links[x].weight < links[y].weight; });
  svg += R"(<g class="links">)";
  for (size_t i : order) {
    const PairStat& p = *pairs[i];
    const LayoutLink& l = links[i];
    const double strength = std::sqrt(l.weight / max_link);
    const bool focus = p.a == lo && p.b == hi;
    const bool touches = p.a == data.a || p.b == data.a || p.a == data.b || p.b == data.b;
    const char* color = focus ? kColorPair : touches ? "#94a3b8" : "#cbd5e1";
    svg += fmt::format(
        R"(<line class="link{}" data-a="{}" data-b="{}" data-papers="{}" x1="{}" y1="{}" )"
        R"(x2="{}" y2="{}" stroke="{}" stroke-width="{}" stroke-opacity="{}">)"
        R"(<title>{} – {}: {} joint papers (Salton {})</title></line>)",
        focus ? " focus" : "", p.a, p.b, p.papers, Coord(nodes[l.a].x), Coord(nodes[l.a].y),
        Coord(nodes[l.b].x), Coord(nodes[l.b].y), color, fmt::format("{:.2f}", 0.8 + 11 * strength),
        focus ? "0.9" : Raw(0.35 + 0.5 * strength), EscapeHtml(countries[l.a]->name),
        EscapeHtml(countries[l.b]->name), Int(p.papers), Fixed(p.salton, 3));
  }
  svg += "</g><g class=\"nodes\">";
  for (size_t i = 0; i < countries.size(); ++i) {
    const CountryStat& c = *countries[i];
    const LayoutNode& n = nodes[i];
    const char* fill = c.code == data.a ? kColorA : c.code == data.b ? kColorB : kColorNode;
    svg += fmt::format(
        R"(<g class="node" data-code="{}" data-papers="{}"><circle cx="{}" cy="{}" r="{}" )"
        R"(fill="{}"/><title>{} ({}): {} papers</title>)",
        EscapeHtml(c.code), c.papers, Coord(n.x), Coord(n.y), Coord(n.radius), fill,
        EscapeHtml(c.name), EscapeHtml(c.code), Int(c.papers));
    if (n.radius >= 15) {
      svg += fmt::format(R"(<text class="node-label inside" x="{}" y="{}">{}</text>)", Coord(n.x),
                         Coord(n.y + 4.5), EscapeHtml(c.code));
    } else {
      // Beside the circle, on the side facing away from the centre of the picture.
      const bool left = n.x > kWidth / 2 + 1;
      svg += fmt::format(R"(<text class="node-label" x="{}" y="{}" text-anchor="{}">{}</text>)",
                         Coord(left ? n.x - n.radius - 4 : n.x + n.radius + 4), Coord(n.y + 4.5),
                         left ? "end" : "start", EscapeHtml(c.code));
    }
    svg += "</g>";
  }
  svg += "</g></svg>";
  return pic;
}

std::string RulesTable(const std::string& heading, const std::string& what, const Rules& rules) {
  std::string out = fmt::format(
      R"(<div class="rules-block"><h3>{}</h3><p class="muted">{}</p><table class="rules">)",
      EscapeHtml(heading), EscapeHtml(what));
  for (const auto& [name, value] : rules.entries) {
    out += fmt::format(R"(<tr><th scope="row"><code>{}</code></th><td>{}</td></tr>)",
                       EscapeHtml(name), EscapeHtml(value));
  }
  return out + "</table></div>";
}

std::string YearsText(const std::vector<YearRow>& rows) {
  if (rows.empty()) return "no years";
  if (rows.size() == 1) return std::to_string(rows.front().year);
  return fmt::format("{}–{}", rows.front().year, rows.back().year);
}

constexpr const char* kStyle = R"(
:root { --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --panel: #ffffff; --bg: #f1f5f9;
  --a: #2563eb; --b: #dc2626; --pair: #7c3aed; --intl: #0d9488; }
* { box-sizing: border-box; }
html { background: var(--bg); }
body { margin: 0; color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI",
  Roboto, "Noto Sans", "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 0 24px 40px; }
header.top { background: linear-gradient(120deg, #1e3a8a 0%, #4c1d95 55%, #7f1d1d 100%);
  color: #fff; padding: 36px 0 80px; }
header.top .inner { max-width: 1200px; margin: 0 auto; padding: 0 24px; }
header.top h1 { margin: 0 0 6px; font-size: 30px; line-height: 1.2; letter-spacing: -0.01em; }
header.top p { margin: 2px 0; color: #e0e7ff; }
.chips { margin-top: 14px; display: flex; flex-wrap: wrap; gap: 6px; }
.chip { background: rgba(255,255,255,0.14); border: 1px solid rgba(255,255,255,0.25);
  border-radius: 999px; padding: 2px 10px; font-size: 13px; color: #fff; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 16px; margin-top: -56px; }
.card { background: var(--panel); border-radius: 12px; padding: 16px 18px;
  box-shadow: 0 1px 3px rgba(15,23,42,0.08), 0 8px 24px rgba(15,23,42,0.06); }
.card .label { color: var(--muted); font-size: 13px; text-transform: uppercase;
  letter-spacing: 0.04em; }
.card .value { font-size: 30px; font-weight: 700; line-height: 1.25; margin: 4px 0 2px;
  font-variant-numeric: tabular-nums; }
.card .note { color: var(--muted); font-size: 13px; }
.card.pair .value { color: var(--pair); }
.card.intl .value { color: var(--intl); }
section { background: var(--panel); border-radius: 12px; padding: 22px 24px; margin-top: 20px;
  box-shadow: 0 1px 3px rgba(15,23,42,0.08); }
section h2 { margin: 0 0 4px; font-size: 20px; }
section > p.lead { margin: 0 0 14px; color: var(--muted); }
h3 { margin: 0 0 4px; font-size: 16px; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
.grid2 > * { min-width: 0; }
figure { margin: 0; }
figure.full { margin-top: 20px; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
svg.chart { width: 100%; height: auto; display: block; font-size: 12px; }
svg .grid { stroke: #eef2f7; stroke-width: 1; }
svg .axis { stroke: #94a3b8; stroke-width: 1; }
svg .tick { stroke: #94a3b8; }
svg .axis-label { fill: var(--muted); font-size: 11.5px; font-variant-numeric: tabular-nums; }
svg .gap-label { fill: #94a3b8; font-size: 11px; font-style: italic; }
svg .legend text { fill: #334155; font-size: 12.5px; }
svg .line { fill: none; stroke-width: 2.4; stroke-linejoin: round; stroke-linecap: round; }
svg .point { stroke: #fff; stroke-width: 1.2; }
svg .end-label { font-size: 12.5px; font-weight: 700; }
svg .empty { fill: var(--muted); font-size: 16px; }
svg .node circle { stroke: #fff; stroke-width: 1.5; }
svg .node-label { font-size: 12.5px; font-weight: 700; fill: #1e293b; paint-order: stroke;
  stroke: #fff; stroke-width: 3.5px; stroke-linejoin: round; }
svg .node-label.inside { fill: #fff; stroke: none; text-anchor: middle; }
svg .link { stroke-linecap: round; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 6px 8px; border-bottom: 1px solid var(--line); text-align: left;
  vertical-align: top; }
thead th { font-size: 12.5px; color: var(--muted); text-transform: uppercase;
  letter-spacing: 0.03em; border-bottom: 2px solid var(--line); white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.rank { color: var(--muted); width: 2.5em; }
tr.focus td { background: #f5f3ff; }
.code { display: inline-block; min-width: 2.2em; padding: 0 5px; margin-right: 6px;
  border-radius: 4px; background: #f1f5f9; color: #334155; font-size: 12px; font-weight: 700;
  text-align: center; }
.code.a { background: #dbeafe; color: #1d4ed8; }
.code.b { background: #fee2e2; color: #b91c1c; }
td.name { white-space: nowrap; }
th.barcell, td.barcell { width: 84px; padding-left: 4px; padding-right: 4px;
  vertical-align: middle; }
.bar { display: block; height: 9px; min-width: 2px; border-radius: 5px; background: #94a3b8; }
.bar.a { background: var(--a); }
.bar.b { background: var(--b); }
.muted { color: var(--muted); }
.rules-grid { display: grid; grid-template-columns: 1fr 1fr; gap: 18px 28px; }
table.rules th { width: 34%; font-weight: 400; }
table.rules td, table.rules th { font-size: 13px; padding: 4px 6px; }
table.rules code { font-size: 12.5px; color: #4c1d95; }
.legend-html { display: flex; gap: 18px; flex-wrap: wrap; color: #334155; font-size: 13px; }
.dot { display: inline-block; width: 11px; height: 11px; border-radius: 50%;
  margin-right: 6px; vertical-align: -1px; }
footer { color: var(--muted); font-size: 13px; margin-top: 24px; text-align: center; }
@media (max-width: 900px) { .cards { grid-template-columns: 1fr 1fr; }
  .grid2, .rules-grid { grid-template-columns: 1fr; } }
@media print { html { background: #fff; } header.top { background: none; color: var(--ink); }
  header.top p, .chip { color: var(--ink); } section { box-shadow: none; break-inside: avoid; } }
)";

std::string CodeBadge(const std::string& code, const ReportData& data) {
  const char* cls = code == data.a ? " a" : code == data.b ? " b" : "";
  return fmt::format(R"(<span class="code{}">{}</span>)", cls,
                     EscapeHtml(code.empty() ? "?" : code));
}

const char* BarClass(const std::string& code, const ReportData& data) {
  return code == data.a ? " a" : code == data.b ? " b" : "";
}

}  // namespace

std::string RenderHtml(const ReportData& data, ReportSummary* summary) {
  const ReportOptions& o = data.options;
  const std::vector<YearRow> rows = YearRows(data);
  const std::string pair_label = data.a + "–" + data.b;
  const std::string pair_names = data.name_a + " – " + data.name_b;
  const StatsGroup empty_group;
  const StatsGroup& all = data.overall.groups.empty() ? empty_group : data.overall.groups.front();
  const int64_t pair_papers = PairPapers(all, data.a, data.b);
  const std::string title =
      o.title.empty() ? "Collaboration between " + data.name_a + " and " + data.name_b : o.title;
  const std::string pair_rule = RuleValue(data.overall.rules, "pair_rule");
  const std::string pair_meaning =
      pair_rule == "bilateral"
          ? fmt::format("papers whose authors are all in {} or {}, with both present", data.name_a,
                        data.name_b)
          : fmt::format("papers with at least one author in {} and one in {}", data.name_a,
                        data.name_b);

  std::string h;
  h.reserve(size_t{256} << 10);
  h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += fmt::format("<meta name=\"generator\" content=\"collabgraph {}\">\n",
                   EscapeHtml(data.library_version));
  h += fmt::format("<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n", EscapeHtml(title),
                   kStyle);

  // Heading: title, source, and the choices that shape every number.
  h += "<header class=\"top\"><div class=\"inner\">";
  h += fmt::format("<h1>{}</h1>", EscapeHtml(title));
  if (!o.source.empty()) h += fmt::format("<p>{}</p>", EscapeHtml(o.source));
  h += fmt::format("<p>{} papers, {} ({} years with papers)</p>", Int(all.papers), YearsText(rows),
                   rows.size());
  h += "<div class=\"chips\">";
  for (const char* name : {"years", "venues", "tracks", "tags", "regions", "pair_rule",
                           "attribution", "counting", "rejected"}) {
    const std::string value = RuleValue(data.overall.rules, name);
    if (value.empty()) continue;
    h += fmt::format("<span class=\"chip\">{} = {}</span>", name,
                     EscapeHtml(value == ":" ? "all" : value));
  }
  h += "</div></div></header>\n<main>\n";

  // Summary cards.
  h += "<div class=\"cards\">";
  h += fmt::format(
      R"(<div class="card" data-stat="papers"><div class="label">Papers</div>)"
      R"(<div class="value">{}</div><div class="note">{} with a known country</div></div>)",
      Int(all.papers), Int(all.papers_with_country));
  h += fmt::format(
      R"(<div class="card intl" data-stat="international"><div class="label">International</div>)"
      R"(<div class="value">{}%</div><div class="note">{} papers with two or more )"
      R"(countries</div></div>)",
      Fixed(Share(all.international_papers, all.papers), 1), Int(all.international_papers));
  h += fmt::format(
      R"(<div class="card pair" data-stat="pair"><div class="label">{} papers</div>)"
      R"(<div class="value">{}%</div><div class="note">{} papers; {}% of international )"
      R"(papers</div></div>)",
      EscapeHtml(pair_label), Fixed(Share(pair_papers, all.papers), 2), Int(pair_papers),
      Fixed(Share(pair_papers, all.international_papers), 1));
  h += fmt::format(
      R"(<div class="card" data-stat="countries"><div class="label">Countries</div>)"
      R"(<div class="value">{}</div><div class="note">{} country pairs with joint papers</div>)"
      R"(</div>)",
      Int(static_cast<int64_t>(all.countries.size())), Int(static_cast<int64_t>(all.pairs.size())));
  h += "</div>\n";

  // Shares per year.
  LineSeries pair_series{"pair", pair_label + " papers", kColorPair, {}, {}};
  LineSeries intl_series{"international", "international papers", kColorIntl, {}, {}};
  for (const YearRow& r : rows) {
    pair_series.points.emplace_back(r.year, Share(r.pair, r.papers));
    pair_series.tips.push_back(fmt::format("{}: {} of {} papers ({}%)", r.year, Int(r.pair),
                                           Int(r.papers), Fixed(Share(r.pair, r.papers), 2)));
    intl_series.points.emplace_back(r.year, Share(r.international, r.papers));
    intl_series.tips.push_back(fmt::format("{}: {} of {} papers ({}%)", r.year,
                                           Int(r.international), Int(r.papers),
                                           Fixed(Share(r.international, r.papers), 1)));
  }
  h += "<section id=\"per-year\"><h2>Shares per year</h2>";
  h += fmt::format(
      "<p class=\"lead\">Percent of all papers counted each year (papers without a known "
      "country included). {} papers: {}. Hatched bands mark years without papers.</p>",
      EscapeHtml(pair_label), EscapeHtml(pair_meaning));
  h += "<div class=\"grid2\"><figure>";
  h += LineChart("chart-pair", pair_label + " papers, percent of all papers per year", rows,
                 {pair_series});
  h += fmt::format("<figcaption>{} papers, % of the year's papers.</figcaption></figure><figure>",
                   EscapeHtml(pair_names));
  h += LineChart("chart-international", "International papers, percent of all papers per year",
                 rows, {intl_series});
  h += "<figcaption>International papers (two or more countries), % of the year's "
       "papers.</figcaption></figure></div>";
  h += "<figure class=\"full\">";
  h += PapersChart("chart-papers", pair_label, rows);
  h += "<figcaption>Papers per year: the pair's papers, the other international papers and the "
       "rest.</figcaption></figure></section>\n";

  // The network.
  const NetworkPicture net = Network(data);
  h += "<section id=\"network\"><h2>Country collaboration network</h2>";
  h += fmt::format(
      "<p class=\"lead\">The {} countries with most papers and {} of the {} links among them "
      "(the strongest, and the strongest of each country). Circle area is proportional to "
      "papers, line width to joint papers; the layout is force-directed: strongly linked "
      "countries sit close. Hover for names and counts.</p>",
      net.nodes, net.links, net.candidate_links);
  h += "<div class=\"legend-html\">";
  h += fmt::format(R"(<span><span class="dot" style="background:{}"></span>{}</span>)", kColorA,
                   EscapeHtml(data.name_a));
  h += fmt::format(R"(<span><span class="dot" style="background:{}"></span>{}</span>)", kColorB,
                   EscapeHtml(data.name_b));
  h += fmt::format(R"(<span><span class="dot" style="background:{}"></span>other countries</span>)",
                   kColorNode);
  h += fmt::format(R"(<span><span class="dot" style="background:{}"></span>{} link</span></div>)",
                   kColorPair, EscapeHtml(pair_label));
  h += "<figure>" + net.svg + "</figure></section>\n";

  // Tables: countries and pairs.
  h += "<section id=\"tables\"><div class=\"grid2\"><div>";
  h += fmt::format(
      "<h2>Top countries</h2><p class=\"lead\">Papers with at least one author in the country "
      "(full counting) and the country's fractional share; ordered by {} counting.</p>",
      EscapeHtml(RuleValue(data.overall.rules, "counting")));
  h += "<table id=\"countries\"><thead><tr><th></th><th>Country</th><th class=\"num\">Papers"
       "</th><th class=\"barcell\"></th><th class=\"num\">Share</th><th class=\"num\">"
       "Fractional</th></tr></thead><tbody>";
  const size_t n_countries = std::min(o.top, all.countries.size());
  const double top_share =
      all.countries.empty() ? 1.0 : std::max(Share(all.countries.front().papers, all.papers), 1e-9);
  for (size_t i = 0; i < n_countries; ++i) {
    const CountryStat& c = all.countries[i];
    const double share = Share(c.papers, all.papers);
    h += fmt::format(
        R"(<tr data-code="{}" data-papers="{}" data-fractional="{}"{}><td class="rank">{}</td>)"
        R"(<td class="name">{}{}</td><td class="num">{}</td><td class="barcell"><span class="bar{}" )"
        R"(style="width:{}%"></span></td><td class="num">{}%</td><td class="num">{}</td></tr>)",
        EscapeHtml(c.code), c.papers, Raw(c.fractional),
        c.code == data.a || c.code == data.b ? " class=\"focus\"" : "", i + 1,
        CodeBadge(c.code, data), EscapeHtml(c.name), Int(c.papers), BarClass(c.code, data),
        fmt::format("{:.1f}", 100.0 * share / top_share), Fixed(share, 1), Fixed(c.fractional, 1));
  }
  if (n_countries == 0) h += "<tr><td colspan=\"6\" class=\"muted\">no countries</td></tr>";
  h += "</tbody></table></div><div>";
  h += "<h2>Top country pairs</h2><p class=\"lead\">Joint papers (under the pair rule), the "
       "fractional pair count, Salton's cosine, Jaccard and the probabilistic affinity index "
       "(PAI; 1 = as often as expected).</p>";
  h += "<table id=\"pairs\"><thead><tr><th></th><th>Pair</th><th class=\"num\">Papers</th>"
       "<th class=\"num\">Fractional</th><th class=\"num\">Salton</th><th class=\"num\">Jaccard"
       "</th><th class=\"num\">PAI</th></tr></thead><tbody>";
  const size_t n_pairs = std::min(o.top, all.pairs.size());
  for (size_t i = 0; i < n_pairs; ++i) {
    const PairStat& p = all.pairs[i];
    const bool focus = (p.a == data.a && p.b == data.b) || (p.a == data.b && p.b == data.a);
    h += fmt::format(
        R"(<tr data-a="{}" data-b="{}" data-papers="{}" data-salton="{}" data-pai="{}"{}>)"
        R"(<td class="rank">{}</td><td>{}{}</td><td class="num">{}</td><td class="num">{}</td>)"
        R"(<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>)",
        EscapeHtml(p.a), EscapeHtml(p.b), p.papers, Raw(p.salton), Raw(p.probabilistic_affinity),
        focus ? " class=\"focus\"" : "", i + 1, CodeBadge(p.a, data), CodeBadge(p.b, data),
        Int(p.papers), Fixed(p.fractional, 1), Fixed(p.salton, 3), Fixed(p.jaccard, 3),
        Fixed(p.probabilistic_affinity, 2));
  }
  if (n_pairs == 0) h += "<tr><td colspan=\"7\" class=\"muted\">no international papers</td></tr>";
  h += "</tbody></table></div></div></section>\n";

  // Bridging institutions.
  std::map<uint64_t, const CentralityEntry*> brokerage;
  for (const CentralityEntry& e : data.brokerage.results) brokerage[e.id] = &e;
  const std::string papers_with_both = RuleValue(data.brokerage.rules, "papers_with_both");
  h += "<section id=\"bridging\"><h2>Bridging institutions</h2>";
  h += fmt::format(
      "<p class=\"lead\">Institutions ranked by <b>bridge</b> score on the institution "
      "collaboration graph ({} institutions, {} links): of the shortest paths from every "
      "institution in {} to every institution in {}, how many run through this one (group "
      "betweenness, unnormalised). <b>{} papers</b>: the papers with both countries this "
      "institution is on (brokerage), and their share of all {} such papers.</p>",
      Int(static_cast<int64_t>(data.bridge.nodes)), Int(static_cast<int64_t>(data.bridge.edges)),
      EscapeHtml(data.name_a), EscapeHtml(data.name_b), EscapeHtml(pair_label),
      EscapeHtml(papers_with_both.empty() ? "0" : papers_with_both));
  h += fmt::format(
      "<table id=\"institutions\"><thead><tr><th></th><th>Institution</th><th>Country</th>"
      "<th class=\"num\">Bridge</th><th class=\"barcell\"></th><th class=\"num\">{} papers"
      "</th><th class=\"num\">Share</th></tr></thead><tbody>",
      EscapeHtml(pair_label));
  // Institutions no shortest path between the two countries runs through bridge nothing.
  size_t n_institutions = 0;
  while (n_institutions < std::min(o.top, data.bridge.results.size()) &&
         data.bridge.results[n_institutions].value > 0) {
    ++n_institutions;
  }
  const double top_bridge =
      data.bridge.results.empty() ? 1.0 : std::max(data.bridge.results.front().value, 1e-9);
  for (size_t i = 0; i < n_institutions; ++i) {
    const CentralityEntry& e = data.bridge.results[i];
    const auto it = brokerage.find(e.id);
    const double papers = it == brokerage.end() ? 0.0 : it->second->value;
    const double share = it == brokerage.end() ? 0.0 : it->second->share.value_or(0.0);
    h += fmt::format(
        R"(<tr data-id="{}" data-bridge="{}" data-brokerage="{}"><td class="rank">{}</td>)"
        R"(<td>{}</td><td>{}</td><td class="num">{}</td><td class="barcell"><span )"
        R"(class="bar{}" style="width:{}%"></span></td><td class="num">{}</td>)"
        R"(<td class="num">{}%</td></tr>)",
        e.id, Raw(e.value), Raw(papers), i + 1, EscapeHtml(e.name), CodeBadge(e.code, data),
        Fixed(e.value, 1), BarClass(e.code, data),
        fmt::format("{:.1f}", 100.0 * e.value / top_bridge), Int(std::llround(papers)),
        Fixed(100.0 * share, 1));
  }
  if (n_institutions == 0) {
    h += "<tr><td colspan=\"7\" class=\"muted\">no institution lies between the two "
         "countries</td></tr>";
  }
  h += "</tbody></table></section>\n";

  // Rules.
  h += "<section id=\"rules\"><h2>Counting rules</h2><p class=\"lead\">Every number above comes "
       "with the rules that produced it, as the library reports them (<code>rules</code> in "
       "the CLI's <code>--json</code>); docs/methodology.md defines each name and value.</p>"
       "<div class=\"rules-grid\">";
  h += RulesTable("Per year", "The charts: statistics grouped by year.", data.by_year.rules);
  h += RulesTable("All years", "Summary figures, country and pair tables, network.",
                  data.overall.rules);
  h += RulesTable("Bridge", "Bridging institutions: ranking.", data.bridge.rules);
  h += RulesTable("Brokerage", "Bridging institutions: pair papers and share.",
                  data.brokerage.rules);
  h += "</div></section>\n";

  h += fmt::format(
      "<footer>Made with collabgraph {} (<code>collabgraph report</code>). One self-contained "
      "file: no scripts, nothing loaded from the network.</footer>\n",
      EscapeHtml(data.library_version));
  h += "</main>\n</body>\n</html>\n";

  if (summary != nullptr) {
    summary->bytes = h.size();
    summary->country_a = data.a;
    summary->country_b = data.b;
    summary->papers = all.papers;
    summary->international_papers = all.international_papers;
    summary->pair_papers = pair_papers;
    summary->years.clear();
    for (const YearRow& r : rows) summary->years.push_back(std::to_string(r.year));
    summary->countries = all.countries.size();
    summary->network_nodes = net.nodes;
    summary->network_links = net.links;
    summary->table_countries = n_countries;
    summary->table_pairs = n_pairs;
    summary->table_institutions = n_institutions;
    summary->rules = {{"per_year", data.by_year.rules},
                      {"overall", data.overall.rules},
                      {"bridge", data.bridge.rules},
                      {"brokerage", data.brokerage.rules}};
  }
  return h;
}

}  // namespace report

absl::StatusOr<std::string> RenderReport(const Database& db, const ReportOptions& options,
                                         ReportSummary* summary) {
  const auto started = std::chrono::steady_clock::now();
  report::ReportData data;
  data.options = options;
  data.library_version = LibraryVersion();
  for (const auto& [input, code, name] : {std::tuple{&options.country_a, &data.a, &data.name_a},
                                          std::tuple{&options.country_b, &data.b, &data.name_b}}) {
    auto c = CountryCode(*input);
    if (!c.ok()) return absl::InvalidArgumentError(c.status().message());
    *code = *c;
    auto n = CountryName(*c);
    *name = n.ok() ? *n : *c;
  }
  if (data.a == data.b) {
    return absl::InvalidArgumentError("the report needs two different countries, not " + data.a +
                                      " twice");
  }
  StatsOptions stats = options.stats;
  stats.group_by = GroupBy::kYear;
  auto by_year = db.Stats(stats);
  if (!by_year.ok()) return by_year.status();
  data.by_year = *std::move(by_year);
  stats.group_by = GroupBy::kNone;
  auto overall = db.Stats(stats);
  if (!overall.ok()) return overall.status();
  data.overall = *std::move(overall);

  CentralityOptions centrality;
  centrality.graph = GraphKind::kInstitution;
  centrality.filters = options.stats.filters;
  centrality.regions = options.stats.regions;
  centrality.max_members = options.max_members;
  centrality.threads = options.threads;
  centrality.group_a = data.a;
  centrality.group_b = data.b;
  centrality.metric = "bridge";
  centrality.top = options.top;
  auto bridge = db.Centrality(centrality);
  if (!bridge.ok()) return bridge.status();
  data.bridge = *std::move(bridge);
  centrality.metric = "brokerage";
  centrality.top = 0;
  auto brokerage = db.Centrality(centrality);
  if (!brokerage.ok()) return brokerage.status();
  data.brokerage = *std::move(brokerage);

  std::string html = report::RenderHtml(data, summary);
  if (summary != nullptr) {
    summary->path.clear();
    summary->seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  }
  return html;
}

absl::StatusOr<ReportSummary> WriteReport(const Database& db, const ReportOptions& options,
                                          const std::string& path) {
  const auto started = std::chrono::steady_clock::now();
  ReportSummary summary;
  auto html = RenderReport(db, options, &summary);
  if (!html.ok()) return html.status();
  // A temporary name in the same directory, so that the rename is atomic; it names this
  // process so that two reports written to one path at once do not share it.
  const std::string tmp = fmt::format("{}.tmp{}", path, static_cast<int64_t>(getpid()));
  std::error_code ec;
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << *html;
    out.close();
    if (!out) {
      std::filesystem::remove(tmp, ec);
      return absl::UnavailableError("cannot write the report " + path);
    }
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    return absl::UnavailableError("cannot write the report " + path + ": " + ec.message());
  }
  summary.path = path;
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

std::string ToJson(const ReportSummary& summary) {
  util::JsonWriter w;
  w.BeginObject();
  w.Key("path").String(summary.path);
  w.Key("bytes").Int(static_cast<int64_t>(summary.bytes));
  w.Key("seconds").Double(summary.seconds);
  w.Key("papers").Int(summary.papers);
  w.Key("international_papers").Int(summary.international_papers);
  w.Key("pair").BeginObject();
  w.Key("a").String(summary.country_a);
  w.Key("b").String(summary.country_b);
  w.Key("papers").Int(summary.pair_papers);
  w.EndObject();
  w.Key("years").BeginArray();
  for (const std::string& y : summary.years) w.String(y);
  w.EndArray();
  w.Key("countries").Int(static_cast<int64_t>(summary.countries));
  w.Key("network").BeginObject();
  w.Key("nodes").Int(static_cast<int64_t>(summary.network_nodes));
  w.Key("links").Int(static_cast<int64_t>(summary.network_links));
  w.EndObject();
  w.Key("tables").BeginObject();
  w.Key("countries").Int(static_cast<int64_t>(summary.table_countries));
  w.Key("pairs").Int(static_cast<int64_t>(summary.table_pairs));
  w.Key("institutions").Int(static_cast<int64_t>(summary.table_institutions));
  w.EndObject();
  w.Key("rules").BeginObject();
  for (const auto& [section, rules] : summary.rules) {
    w.Key(section).BeginObject();
    for (const auto& [name, value] : rules.entries) w.Key(name).String(value);
    w.EndObject();
  }
  w.EndObject();
  w.EndObject();
  return w.str();
}

}  // namespace collabgraph
