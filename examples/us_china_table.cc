// Prints the per-year US-China collaboration table of a CollabGraph database, ingesting the
// given paper lists first. A small program to copy and adapt; it uses only the public API.
//
// usage: us_china_table DB [FILE...]
//   us_china_table neurips.db ../shared/data/paperlists/nips/*.json.gz

#include <cstdio>
#include <string>
#include <vector>

#include <collabgraph/collabgraph.h>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DB [FILE...]\n", argv[0]);
    return 1;
  }
  auto db = collabgraph::Database::Open(argv[1]);
  if (!db.ok()) {
    std::fprintf(stderr, "%s\n", std::string(db.status().message()).c_str());
    return 2;
  }
  const std::vector<std::string> files(argv + 2, argv + argc);
  if (!files.empty()) {
    auto report = (*db)->Ingest(files);
    if (!report.ok()) {
      std::fprintf(stderr, "%s\n", std::string(report.status().message()).c_str());
      return 2;
    }
  }

  collabgraph::StatsOptions options;
  options.group_by = collabgraph::GroupBy::kYear;
  auto stats = (*db)->Stats(options);
  if (!stats.ok()) {
    std::fprintf(stderr, "%s\n", std::string(stats.status().message()).c_str());
    return 2;
  }
  std::printf("%-6s %8s %14s %8s %8s\n", "year", "papers", "international", "US-CN", "share");
  for (const collabgraph::StatsGroup& g : stats->groups) {
    int64_t us_cn = 0;
    for (const collabgraph::PairStat& p : g.pairs) {
      if (p.a == "CN" && p.b == "US") us_cn = p.papers;  // codes are ordered a < b
    }
    const double share =
        g.papers > 0 ? 100.0 * static_cast<double>(us_cn) / static_cast<double>(g.papers) : 0.0;
    std::printf("%-6s %8lld %14lld %8lld %7.2f%%\n", g.key.c_str(),
                static_cast<long long>(g.papers), static_cast<long long>(g.international_papers),
                static_cast<long long>(us_cn), share);
  }
  std::printf("\nrules:");
  for (const auto& [name, value] : stats->rules.entries)
    std::printf(" %s=%s;", name.c_str(), value.c_str());
  std::printf("\n");
  return 0;
}
