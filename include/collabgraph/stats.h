#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "collabgraph/filters.h"
#include "collabgraph/rules.h"

namespace collabgraph {

// How papers are grouped: one group "all", or per year, venue or tag. With kTag a paper counts
// in the group of each of its tags, and papers without tags in the group "(no tag)", so the
// groups overlap and their papers do not add up to the total.
enum class GroupBy { kNone, kYear, kVenue, kTag };

// When a paper counts for a country pair (docs/methodology.md, "Pair rules"):
//   kAny:       both countries are in its country set (default);
//   kBilateral: its country set is exactly those two countries.
enum class PairRule { kAny, kBilateral };

// Whose affiliations make a paper's country set:
//   kAll: every authorship (default); kFirst: the first author's; kLast: the last author's.
enum class Attribution { kAll, kFirst, kLast };

struct StatsOptions {
  Filters filters;
  GroupBy group_by = GroupBy::kNone;
  Regions regions = Regions::kSource;
  // Orders the country and pair lists by full (papers) or fractional weight. Both values are
  // always reported. Default: full.
  Counting counting = Counting::kFull;
  PairRule pair_rule = PairRule::kAny;
  Attribution attribution = Attribution::kAll;
};

struct CountryStat {
  std::string code;       // ISO 3166-1 alpha-2
  std::string name;       // English short name
  int64_t papers = 0;     // full counting: papers with this country in their set
  double fractional = 0;  // fractional counting: this country's share of the papers
};

struct PairStat {
  std::string a;  // the two codes, a < b
  std::string b;
  int64_t papers = 0;     // papers with both countries in their set
  double fractional = 0;  // each international paper's weight split equally over its pairs
  double salton = 0;      // papers / sqrt(papers(a) * papers(b))
  double jaccard = 0;     // papers / (papers(a) + papers(b) - papers)
  // Observed over expected co-occurrence: papers * N / (papers(a) * papers(b)), N the group's
  // papers with a country (van Eck & Waltman's association strength, scaled by N).
  double association_strength = 0;
  // Links of a country: the sum of its pair counts over all partners in the group (L_a, L_b;
  // L = the sum over all countries). Affinity index (Zitt, Bassecoulard & Okubo 2000): the
  // share of a's links that are with b, papers / L_a (affinity_a), and of b's with a
  // (affinity_b). Probabilistic affinity index: papers * L / (L_a * L_b), observed over
  // expected links if partners were chosen in proportion to their links (1 = as expected).
  double affinity_a = 0;
  double affinity_b = 0;
  double probabilistic_affinity = 0;
};

struct StatsGroup {
  std::string key;                     // "all", a year, a venue, a tag or "(no tag)"
  int64_t papers = 0;                  // papers counted (after filters)
  int64_t papers_with_country = 0;     // papers whose country set is not empty
  int64_t unknown_country_papers = 0;  // papers - papers_with_country (reported, not dropped)
  int64_t international_papers = 0;    // papers with two or more countries
  int64_t excluded_papers = 0;         // rejected/withdrawn papers left out (see Filters)
  std::vector<CountryStat> countries;  // sorted by the chosen counting, highest first
  std::vector<PairStat> pairs;         // likewise
};

// Who and what is behind one country pair (Database::PairDetail).
struct PairDetail {
  Rules rules;
  std::string a;  // ISO codes as asked
  std::string b;
  struct YearPoint {
    int year = 0;
    int64_t papers = 0;       // papers counted that year
    int64_t pair_papers = 0;  // papers of the pair (under the pair rule)
    double share = 0;         // pair_papers / papers
  };
  std::vector<YearPoint> series;  // every year with papers, ascending
  struct Count {
    std::string name;
    std::string code;  // institution country, when known
    int64_t papers = 0;
  };
  std::vector<Count> institutions;  // on the pair's papers, most papers first
  std::vector<Count> authors;       // on the pair's papers, most papers first
  // Tag cross-tab: per tag, papers with only A, only B, both, and neither among its countries.
  struct TagRow {
    std::string tag;
    int64_t only_a = 0;
    int64_t only_b = 0;
    int64_t both = 0;
    int64_t other = 0;
  };
  std::vector<TagRow> tags;
};

struct StatsResult {
  Rules rules;
  bool grouped = false;            // true with GroupBy::kYear, kVenue or kTag
  std::vector<StatsGroup> groups;  // one group "all" when not grouped, else in key order
};

}  // namespace collabgraph
