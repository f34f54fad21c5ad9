#include "generate.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "args.h"
#include "collabgraph/countries.h"

namespace collabgraph::cli {

namespace {

constexpr const char* kGenerateHelp =
    R"(usage: collabgraph generate OUT_DIR [--papers N] [--seed S] [--intl F] [--json]

Writes realistic synthetic collaboration data, for scale tests and benchmarks, as the seven
CSV tables `ingest` reads (papers, authors, institutions, countries, authored, affiliated,
located_in; docs/methodology.md, "Reading CSV tables"). The model (docs/methodology.md,
"Synthetic data"): countries of Zipf-distributed size; institutions clustered by country, of
Zipf-distributed activity; authors at a home institution, with heavy-tailed productivity;
team sizes from a truncated power law (mean 4, up to 30); co-authors from the lead author's
institution or country, and on international papers from another country; about a fifth of
papers international. The same seed writes the same files.

options:
  --papers N   papers (default 100000); authors N/2, institutions N/50 (at least 50),
               countries up to 200
  --seed S     random seed (default 1)
  --intl F     share of papers made international (default 0.2)
  --json       print the summary as JSON
)";

int Usage(const std::string& message) {
  std::fprintf(stderr, "collabgraph generate: %s\n\n%s", message.c_str(), kGenerateHelp);
  return 1;
}

// Samples an index in [lo, hi) with probability proportional to weights given as the
// cumulative sums `cum` (cum[i + 1] - cum[i] = weight of i).
size_t SampleRange(const std::vector<double>& cum, size_t lo, size_t hi, std::mt19937_64* rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const double x = cum[lo] + u(*rng) * (cum[hi] - cum[lo]);
  auto it = std::upper_bound(cum.begin() + static_cast<std::ptrdiff_t>(lo),
                             cum.begin() + static_cast<std::ptrdiff_t>(hi) + 1, x);
  const size_t i = static_cast<size_t>(it - cum.begin()) - 1;
  return std::clamp(i, lo, hi - 1);
}

// The country names the tables use: the 20 largest ML countries first, then every other ISO
// code, so that the CSV reader resolves all of them.
std::vector<std::string> CountryNames(size_t n) {
  std::vector<std::string> names = {"United States", "China",       "United Kingdom", "Germany",
                                    "Canada",        "France",      "Korea",          "Japan",
                                    "Switzerland",   "Singapore",   "India",          "Australia",
                                    "Israel",        "Netherlands", "Italy",          "Hong Kong",
                                    "Spain",         "Sweden",      "Taiwan",         "Denmark"};
  std::vector<std::string> codes;
  codes.reserve(names.size());
  for (const std::string& name : names) codes.push_back(*CountryCode(name));
  for (char a = 'A'; a <= 'Z' && names.size() < n; ++a) {
    for (char b = 'A'; b <= 'Z' && names.size() < n; ++b) {
      const std::string code{a, b};
      if (std::find(codes.begin(), codes.end(), code) != codes.end()) continue;
      if (auto name = CountryName(code); name.ok()) {
        codes.push_back(code);
        names.push_back(*name);
      }
    }
  }
  names.resize(std::min(n, names.size()));
  return names;
}

// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

struct Table {
  std::FILE* file = nullptr;
  std::string buffer;
  explicit Table(const std::string& path) : file(std::fopen(path.c_str(), "w")) {}
  ~Table() {
    Flush();
    if (file != nullptr) std::fclose(file);
  }
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;
  void Flush() {
    if (file != nullptr && !buffer.empty()) std::fwrite(buffer.data(), 1, buffer.size(), file);
    buffer.clear();
  }
  template <typename... T>
  void Row(fmt::format_string<T...> format, T&&... args) {
    fmt::format_to(std::back_inserter(buffer), format, std::forward<T>(args)...);
    buffer += '\n';
    if (buffer.size() > (1 << 20)) Flush();
  }
};

}  // namespace

int Generate(const std::vector<std::string>& argv) {
  ArgSpec spec{{"papers", "seed", "intl"}, {"json", "help"}};
  Args args;
  if (std::string err = args.Parse(argv, spec); !err.empty()) return Usage(err);
  if (args.Flag("help")) return std::fputs(kGenerateHelp, stdout), 0;
  if (args.positional().size() != 1) return Usage("needs exactly one OUT_DIR");
  size_t papers = 100000;
  uint64_t seed = 1;
  double intl = 0.2;
  try {
    if (auto v = args.Value("papers")) papers = std::stoul(*v);
    if (auto v = args.Value("seed")) seed = std::stoull(*v);
    if (auto v = args.Value("intl")) intl = std::stod(*v);
  } catch (const std::exception&) {
    return Usage("--papers, --seed and --intl take numbers");
  }
  if (papers < 10 || papers > 100000000 || intl < 0 || intl > 1) {
    return Usage("--papers must be 10..100000000 and --intl 0..1");
  }
  const std::string dir = args.positional()[0];
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::fprintf(stderr, "collabgraph generate: cannot create %s: %s\n", dir.c_str(),
                 ec.message().c_str());
    return 2;
  }

  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const std::vector<std::string> country_names = CountryNames(200);
  const size_t n_countries = country_names.size();
  const size_t n_institutions = std::max<size_t>(50, papers / 50);
  const size_t n_authors = std::max<size_t>(20, papers / 2);

  // Countries: Zipf(1.1) size; institutions clustered by country, activity Zipf(1).
  std::vector<double> country_w(n_countries);
  for (size_t c = 0; c < n_countries; ++c) {
    country_w[c] = 1.0 / std::pow(static_cast<double>(c + 1), 1.1);
  }
  std::discrete_distribution<size_t> pick_country(country_w.begin(), country_w.end());
  std::vector<uint32_t> inst_country(n_institutions);
  for (auto& c : inst_country) c = static_cast<uint32_t>(pick_country(rng));
  std::vector<double> inst_w(n_institutions);
  for (size_t i = 0; i < n_institutions; ++i) inst_w[i] = 1.0 / static_cast<double>(i + 1);
  std::shuffle(inst_w.begin(), inst_w.end(), rng);
  std::discrete_distribution<size_t> pick_inst(inst_w.begin(), inst_w.end());

  // Authors: a home institution by activity; productivity (rank + 300)^-1.
  std::vector<uint32_t> author_inst(n_authors);
  for (auto& i : author_inst) i = static_cast<uint32_t>(pick_inst(rng));
  std::vector<double> productivity(n_authors);
  for (size_t a = 0; a < n_authors; ++a) productivity[a] = 1.0 / (static_cast<double>(a) + 300.0);
  std::shuffle(productivity.begin(), productivity.end(), rng);
  // Authors ordered by (country, institution), so that each institution's and each country's
  // authors are one contiguous range to sample from.
  std::vector<uint32_t> order(n_authors);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    const auto kx = std::pair(inst_country[author_inst[x]], author_inst[x]);
    const auto ky = std::pair(inst_country[author_inst[y]], author_inst[y]);
    return kx != ky ? kx < ky : x < y;
  });
  std::vector<double> cum(n_authors + 1, 0.0);
  for (size_t k = 0; k < n_authors; ++k) cum[k + 1] = cum[k] + productivity[order[k]];
  std::vector<size_t> inst_lo(n_institutions, 0);
  std::vector<size_t> inst_hi(n_institutions, 0);
  std::vector<size_t> ctry_lo(n_countries, 0);
  std::vector<size_t> ctry_hi(n_countries, 0);
  for (size_t k = 0; k < n_authors; ++k) {
    const uint32_t inst = author_inst[order[k]];
    const uint32_t ctry = inst_country[inst];
    if (inst_hi[inst] == 0) inst_lo[inst] = k;
    inst_hi[inst] = k + 1;
    if (ctry_hi[ctry] == 0) ctry_lo[ctry] = k;
    ctry_hi[ctry] = k + 1;
  }
  std::vector<std::vector<uint32_t>> country_insts(n_countries);
  for (size_t i = 0; i < n_institutions; ++i) {
    country_insts[inst_country[i]].push_back(static_cast<uint32_t>(i));
  }
  std::vector<uint32_t> populated;  // countries with authors
  std::vector<double> populated_w;
  for (size_t c = 0; c < n_countries; ++c) {
    if (ctry_hi[c] > ctry_lo[c]) {
      populated.push_back(static_cast<uint32_t>(c));
      populated_w.push_back(country_w[c]);
    }
  }
  std::discrete_distribution<size_t> pick_populated(populated_w.begin(), populated_w.end());

  // Team sizes: p(k) ~ k^-alpha on 1..30 with mean 4 (alpha by bisection).
  constexpr int kMaxTeam = 30;
  double alpha = 2.0;
  std::vector<double> team_w(kMaxTeam);
  double lo = 0.5;
  double hi = 4.0;
  for (int it = 0; it < 60; ++it) {
    alpha = (lo + hi) / 2;
    double sum = 0;
    double mean = 0;
    for (int k = 1; k <= kMaxTeam; ++k) {
      team_w[static_cast<size_t>(k - 1)] = std::pow(k, -alpha);
      sum += team_w[static_cast<size_t>(k - 1)];
      mean += k * team_w[static_cast<size_t>(k - 1)];
    }
    (mean / sum > 4.0 ? lo : hi) = alpha;
  }
  std::discrete_distribution<int> pick_team(team_w.begin(), team_w.end());
  const double multi_share = 1.0 - team_w[0] / std::accumulate(team_w.begin(), team_w.end(), 0.0);
  const double p_intl = std::min(1.0, intl / multi_share);

  // Years 2000..2025 growing 12% a year, sorted; 20 venues of Zipf size.
  std::vector<double> year_w;
  for (int y = 2000; y <= 2025; ++y) year_w.push_back(std::pow(1.12, y - 2000));
  std::discrete_distribution<int> pick_year(year_w.begin(), year_w.end());
  std::vector<int> years(papers);
  for (int& y : years) y = 2000 + pick_year(rng);
  std::sort(years.begin(), years.end());
  std::vector<double> venue_w;
  for (int v = 1; v <= 20; ++v) venue_w.push_back(1.0 / v);
  std::discrete_distribution<int> pick_venue(venue_w.begin(), venue_w.end());

  Table papers_csv(dir + "/papers.csv");
  Table authored_csv(dir + "/authored.csv");
  Table affiliated_csv(dir + "/affiliated.csv");
  if (papers_csv.file == nullptr || authored_csv.file == nullptr ||
      affiliated_csv.file == nullptr) {
    std::fprintf(stderr, "collabgraph generate: cannot write in %s\n", dir.c_str());
    return 2;
  }
  papers_csv.Row("id,title,venue,year");
  authored_csv.Row("author,paper,position");
  affiliated_csv.Row("author,paper,institution");
  std::vector<uint32_t> paper_count(n_authors, 0);
  uint64_t authorships = 0;
  uint64_t international = 0;
  std::vector<uint32_t> team;
  std::vector<uint32_t> countries;
  for (size_t p = 0; p < papers; ++p) {
    papers_csv.Row("{},Synthetic paper {},venue{:02d},{}", p, p, pick_venue(rng), years[p]);
    const int size = 1 + pick_team(rng);
    const bool is_intl = size >= 2 && unit(rng) < p_intl;
    const size_t lead = SampleRange(cum, 0, n_authors, &rng);
    const uint32_t lead_inst = author_inst[order[lead]];
    const uint32_t lead_ctry = inst_country[lead_inst];
    uint32_t foreign = lead_ctry;
    if (is_intl) {
      while (foreign == lead_ctry && populated.size() > 1) {
        foreign = populated[pick_populated(rng)];
      }
    }
    team.assign(1, order[lead]);
    for (int pos = 1; pos < size; ++pos) {
      size_t k = 0;
      if (is_intl && (pos == 1 || unit(rng) < 0.3)) {
        k = SampleRange(cum, ctry_lo[foreign], ctry_hi[foreign], &rng);
      } else if (unit(rng) < 0.5) {
        k = SampleRange(cum, inst_lo[lead_inst], inst_hi[lead_inst], &rng);
      } else {
        k = SampleRange(cum, ctry_lo[lead_ctry], ctry_hi[lead_ctry], &rng);
      }
      const uint32_t author = order[k];
      if (std::find(team.begin(), team.end(), author) == team.end()) team.push_back(author);
    }
    countries.clear();
    for (size_t pos = 0; pos < team.size(); ++pos) {
      const uint32_t author = team[pos];
      authored_csv.Row("{},{},{}", author, p, pos);
      ++paper_count[author];
      ++authorships;
      const uint32_t home = author_inst[author];
      affiliated_csv.Row("{},{},{}", author, p, home);
      countries.push_back(inst_country[home]);
      // 5% of authorships add a second institution of the same country.
      if (unit(rng) < 0.05) {
        const auto& same = country_insts[inst_country[home]];
        const uint32_t second =
            same[static_cast<size_t>(unit(rng) * static_cast<double>(same.size()))];
        if (second != home) affiliated_csv.Row("{},{},{}", author, p, second);
      }
    }
    std::sort(countries.begin(), countries.end());
    if (std::unique(countries.begin(), countries.end()) - countries.begin() >= 2) ++international;
  }
  {
    Table authors_csv(dir + "/authors.csv");
    authors_csv.Row("id,name");
    for (size_t a = 0; a < n_authors; ++a) authors_csv.Row("{},Author {}", a, a);
    Table institutions_csv(dir + "/institutions.csv");
    institutions_csv.Row("id,name");
    for (size_t i = 0; i < n_institutions; ++i) institutions_csv.Row("{},Institution {}", i, i);
    Table countries_csv(dir + "/countries.csv");
    countries_csv.Row("id,name");
    for (size_t c = 0; c < n_countries; ++c) {
      countries_csv.Row("{},{}", c, CsvField(country_names[c]));
    }
    Table located_csv(dir + "/located_in.csv");
    located_csv.Row("institution,country");
    for (size_t i = 0; i < n_institutions; ++i) located_csv.Row("{},{}", i, inst_country[i]);
  }
  const uint32_t most = *std::max_element(paper_count.begin(), paper_count.end());
  const size_t active = static_cast<size_t>(
      std::count_if(paper_count.begin(), paper_count.end(), [](uint32_t n) { return n > 0; }));
  const double mean_team = static_cast<double>(authorships) / static_cast<double>(papers);
  const double intl_share = static_cast<double>(international) / static_cast<double>(papers);
  if (args.Flag("json")) {
    fmt::print(
        "{{\"papers\":{},\"authors\":{},\"authors_with_papers\":{},\"institutions\":{},"
        "\"countries\":{},\"authorships\":{},\"mean_team\":{:.3f},\"team_alpha\":{:.3f},"
        "\"max_author_papers\":{},\"intl_share\":{:.4f},\"seed\":{}}}\n",
        papers, n_authors, active, n_institutions, n_countries, authorships, mean_team, alpha, most,
        intl_share, seed);
  } else {
    fmt::print(
        "{}: {} papers, {} authorships (mean team {:.2f}), {} of {} authors with papers (most "
        "productive: {} papers), {} institutions, {} countries, {:.1f}% international\n",
        dir, papers, authorships, mean_team, active, n_authors, most, n_institutions, n_countries,
        100.0 * intl_share);
  }
  return 0;
}

}  // namespace collabgraph::cli
