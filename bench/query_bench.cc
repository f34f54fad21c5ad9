// query_bench: point-lookup and 2-hop latency, and the three questions of
// ../shared/bench-anchors (US-China papers per year, top-20 country pairs, 2-hop neighbourhood
// of the most prolific author), timed through the public API on an open database, the way the
// peers' harness times its queries on an open connection.
//
// usage: query_bench DB [--lookups N] [--traversals N] [--repeat R] [--seed S] [--questions Q]
//   --questions: which of the three questions to time, e.g. "13" for Q1 and Q3 (default 123)
// Prints one JSON object per line: {"op", "secs": [...], "median", "p99"?, "rows", "check"}.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "collabgraph/collabgraph.h"

namespace {

using collabgraph::Snapshot;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

double Quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())));
  return v[i];
}

void Emit(const std::string& op, const std::vector<double>& secs, bool latency, uint64_t rows,
          const std::string& check) {
  std::printf("{\"op\":\"%s\",\"n\":%zu,\"median\":%.7f,", op.c_str(), secs.size(),
              Quantile(secs, 0.5));
  if (latency) {
    std::printf("\"p99\":%.7f,", Quantile(secs, 0.99));
  } else {
    std::printf("\"secs\":[");
    for (size_t i = 0; i < secs.size(); ++i) std::printf("%s%.4f", i ? "," : "", secs[i]);
    std::printf("],");
  }
  std::printf("\"rows\":%llu,\"check\":\"%s\"}\n", static_cast<unsigned long long>(rows),
              check.c_str());
  std::fflush(stdout);
}

int Fail(const absl::Status& st) {
  std::fprintf(stderr, "query_bench: %s\n", std::string(st.message()).c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: query_bench DB [--lookups N] [--traversals N] [--repeat R]\n");
    return 1;
  }
  int lookups = 10000;
  int traversals = 1000;
  int repeat = 5;
  unsigned seed = 1;
  std::string questions = "123";
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const int v = std::atoi(argv[i + 1]);
    if (flag == "--questions") questions = argv[i + 1];
    if (flag == "--lookups") lookups = v;
    if (flag == "--traversals") traversals = v;
    if (flag == "--repeat") repeat = v;
    if (flag == "--seed") seed = static_cast<unsigned>(v);
  }
  auto db = collabgraph::Database::Open(argv[1], {.create_if_missing = false, .read_only = true});
  if (!db.ok()) return Fail(db.status());
  auto info = (*db)->Info();
  if (!info.ok()) return Fail(info.status());
  uint64_t papers = 0;
  uint64_t authors = 0;
  for (const auto& [label, n] : info->nodes) {
    if (label == "Paper") papers = n;
    if (label == "Author") authors = n;
  }
  std::mt19937_64 rng(seed);
  auto snap = (*db)->NewSnapshot();

  // Ids are dense from 1 within a label (docs/format.md), so uniform ids hit real nodes.
  {
    std::vector<double> secs;
    uint64_t found = 0;
    std::uniform_int_distribution<uint64_t> pick(1, papers);
    for (int i = 0; i < lookups; ++i) {
      const uint64_t id = pick(rng);
      const auto t = Clock::now();
      auto p = snap->Paper(id);
      secs.push_back(Seconds(t));
      found += p.ok() ? 1 : 0;
    }
    Emit("lookup_paper_by_id", secs, true, found, "");
  }
  std::vector<std::string> names;
  {
    std::vector<double> secs;
    uint64_t found = 0;
    std::uniform_int_distribution<uint64_t> pick(1, authors);
    for (int i = 0; i < lookups; ++i) {
      const uint64_t id = pick(rng);
      const auto t = Clock::now();
      auto a = snap->Author(id);
      secs.push_back(Seconds(t));
      if (a.ok()) {
        ++found;
        if (names.size() < static_cast<size_t>(lookups)) names.push_back(a->name);
      }
    }
    Emit("lookup_author_by_id", secs, true, found, "");
  }
  {
    std::vector<double> secs;
    uint64_t found = 0;
    for (const std::string& name : names) {
      const auto t = Clock::now();
      auto a = snap->FindAuthors(name, collabgraph::NameMatch::kExact);
      secs.push_back(Seconds(t));
      found += a.ok() && !a->empty() ? 1 : 0;
    }
    Emit("lookup_author_by_name", secs, true, found, "");
  }
  {
    std::vector<double> secs;
    uint64_t reached = 0;
    std::uniform_int_distribution<uint64_t> pick(1, authors);
    for (int i = 0; i < traversals; ++i) {
      const uint64_t id = pick(rng);
      const auto t = Clock::now();
      auto c = snap->Neighborhood(collabgraph::GraphKind::kAuthor, id, 2);
      if (!c.ok()) return Fail(c.status());
      for (; (*c)->Valid(); (*c)->Next()) ++reached;
      secs.push_back(Seconds(t));
    }
    Emit("two_hop_random_author", secs, true, reached, "");
  }

  // The three questions; each repetition uses a fresh snapshot and recomputes from storage.
  if (questions.find('1') != std::string::npos) {
    std::vector<double> secs;
    std::map<int, uint64_t> per_year;
    for (int r = 0; r < repeat; ++r) {
      const auto t = Clock::now();
      auto s = (*db)->NewSnapshot();
      per_year.clear();
      auto c = s->Papers({.all_countries = {"US", "CN"}});
      for (; c->Valid(); c->Next()) ++per_year[c->paper().year];
      if (!c->status().ok()) return Fail(c->status());
      secs.push_back(Seconds(t));
    }
    std::string check;
    for (const auto& [year, n] : per_year)
      check += std::to_string(year) + ":" + std::to_string(n) + " ";
    Emit("q1_us_cn_per_year", secs, false, per_year.size(), check);
  }
  if (questions.find('2') != std::string::npos) {
    std::vector<double> secs;
    std::string check;
    uint64_t rows = 0;
    for (int r = 0; r < repeat; ++r) {
      const auto t = Clock::now();
      auto s = (*db)->NewSnapshot();
      collabgraph::PaperQuery every;  // every paper, as the peers count them
      every.filters.include_rejected = true;
      auto pairs_or = s->CountryPairs(every);
      if (!pairs_or.ok()) return Fail(pairs_or.status());
      auto& pairs = *pairs_or;
      pairs.resize(std::min<size_t>(20, pairs.size()));
      secs.push_back(Seconds(t));
      check.clear();
      for (const auto& p : pairs) check += p.a + "-" + p.b + ":" + std::to_string(p.papers) + " ";
      rows = pairs.size();
    }
    Emit("q2_top20_country_pairs", secs, false, rows, check);
  }
  if (questions.find('3') != std::string::npos) {
    std::vector<double> secs;
    uint64_t reached = 0;
    uint64_t top = 0;
    for (int r = 0; r < repeat; ++r) {
      const auto t = Clock::now();
      auto s = (*db)->NewSnapshot();
      auto best = s->MostProlificAuthors(1);
      if (!best.ok() || best->empty()) return Fail(best.status());
      top = best->front().author.id;
      const auto t2 = Clock::now();
      auto c = s->Neighborhood(collabgraph::GraphKind::kAuthor, top, 2);
      if (!c.ok()) return Fail(c.status());
      reached = 0;
      for (; (*c)->Valid(); (*c)->Next()) ++reached;
      secs.push_back(Seconds(t2));
      (void)t;
    }
    Emit("q3_2hop_top_author", secs, false, reached, "author " + std::to_string(top));
  }
  return 0;
}
