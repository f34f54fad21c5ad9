#include "analytics/statistics.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

namespace collabgraph::analytics {

namespace {

constexpr char kNoTagGroup[] = "(no tag)";

struct Accumulator {
  int64_t papers = 0;
  int64_t with_country = 0;
  int64_t international = 0;
  int64_t excluded = 0;
  std::vector<int64_t> country_papers;
  std::vector<double> country_fractional;
  std::map<std::pair<int32_t, int32_t>, std::pair<int64_t, double>> pairs;
};

std::string RegionsName(Regions r) {
  switch (r) {
    case Regions::kSource:
      return "source";
    case Regions::kSplit:
      return "split";
    case Regions::kMerge:
      return "merge";
  }
  return "?";
}

std::string JoinList(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& item : items) s += (s.empty() ? "" : ",") + item;
  return s;
}

}  // namespace

void PaperCountrySet(const CollabTable& table, const PaperRow& p, Regions regions,
                     Attribution attribution, std::vector<int32_t>* set,
                     std::vector<double>* share) {
  set->clear();
  // The authorships whose affiliations count (all, or the first or last author's).
  size_t begin = 0;
  size_t end = p.authorships.size();
  if (!p.authorships.empty() && attribution == Attribution::kFirst) end = 1;
  if (!p.authorships.empty() && attribution == Attribution::kLast) begin = end - 1;
  const double per_authorship = end > begin ? 1.0 / static_cast<double>(end - begin) : 0.0;
  for (size_t a = begin; a < end; ++a) {
    const auto& insts = p.authorships[a];
    const double per_inst =
        insts.empty() ? 0.0 : per_authorship / static_cast<double>(insts.size());
    for (uint32_t inst : insts) {
      const int32_t c = CountryUnder(table, table.institutions[inst], regions);
      if (c < 0) continue;
      if (share != nullptr) (*share)[static_cast<size_t>(c)] += per_inst;
      set->push_back(c);
    }
  }
  std::sort(set->begin(), set->end());
  set->erase(std::unique(set->begin(), set->end()), set->end());
}

Rules StatsRules(const StatsOptions& options) {
  Rules rules;
  rules.Add("counting", options.counting == Counting::kFull ? "full" : "fractional");
  AddCommonRules(options.filters, options.regions, &rules);
  rules.Add("fractional",
            "1 per paper, split equally over authorships, then over each "
            "authorship's institutions; unknown countries keep their share");
  rules.Add("pair_rule", options.pair_rule == PairRule::kAny ? "any" : "bilateral");
  rules.Add("pair_fractional", "1 per international paper, split equally over its pairs");
  rules.Add("affinity",
            "links of a country = its pair papers summed over partners; affinity_a = papers / "
            "links(a); probabilistic = papers * all links / (links(a) * links(b))");
  switch (options.group_by) {
    case GroupBy::kNone:
      rules.Add("group_by", "none");
      break;
    case GroupBy::kYear:
      rules.Add("group_by", "year");
      break;
    case GroupBy::kVenue:
      rules.Add("group_by", "venue");
      break;
    case GroupBy::kTag:
      rules.Add("group_by", "tag (a paper in each of its tags' groups; untagged: \"(no tag)\")");
      break;
  }
  rules.Add("attribution", options.attribution == Attribution::kAll     ? "all"
                           : options.attribution == Attribution::kFirst ? "first"
                                                                        : "last");
  return rules;
}

PairDetail ComputePairDetail(const CollabTable& table, const StatsOptions& options,
                             const std::string& a, const std::string& b, size_t top) {
  PairDetail d;
  d.rules = StatsRules(options);
  d.a = a;
  d.b = b;
  const int32_t ia = table.CountryIndex(a);
  const int32_t ib = table.CountryIndex(b);
  std::map<int, PairDetail::YearPoint> years;
  std::map<uint32_t, int64_t> insts;
  std::map<uint32_t, int64_t> authors;
  std::map<uint32_t, PairDetail::TagRow> tags;
  std::vector<int32_t> set;
  std::vector<uint32_t> seen;
  for (const PaperRow& p : table.papers) {
    if (!table.Matches(p, options.filters)) continue;
    PaperCountrySet(table, p, options.regions, options.attribution, &set, nullptr);
    PairDetail::YearPoint& point = years[p.year];
    point.year = p.year;
    ++point.papers;
    const bool has_a = ia >= 0 && std::binary_search(set.begin(), set.end(), ia);
    const bool has_b = ib >= 0 && std::binary_search(set.begin(), set.end(), ib);
    for (uint32_t tag : p.tags) {
      PairDetail::TagRow& row = tags[tag];
      row.tag = table.tags[tag];
      if (has_a && has_b) {
        ++row.both;
      } else if (has_a) {
        ++row.only_a;
      } else if (has_b) {
        ++row.only_b;
      } else {
        ++row.other;
      }
    }
    if (!has_a || !has_b || (options.pair_rule == PairRule::kBilateral && set.size() != 2)) {
      continue;
    }
    ++point.pair_papers;
    seen.clear();
    for (const auto& list : p.authorships) seen.insert(seen.end(), list.begin(), list.end());
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    for (uint32_t inst : seen) ++insts[inst];
    seen.assign(p.authors.begin(), p.authors.end());
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    for (uint32_t author : seen) {
      if (author < table.authors.size()) ++authors[author];
    }
  }
  for (auto& [year, point] : years) {
    point.share = point.papers > 0
                      ? static_cast<double>(point.pair_papers) / static_cast<double>(point.papers)
                      : 0.0;
    d.series.push_back(point);
  }
  auto ranked = [&](const std::map<uint32_t, int64_t>& counts, bool institutions) {
    std::vector<PairDetail::Count> out;
    for (const auto& [row, n] : counts) {
      PairDetail::Count c;
      c.papers = n;
      if (institutions) {
        const InstitutionRow& inst = table.institutions[row];
        c.name = inst.name;
        const int32_t country = CountryUnder(table, inst, options.regions);
        if (country >= 0) c.code = table.countries[static_cast<size_t>(country)].code;
      } else {
        c.name = table.authors[row].name;
      }
      out.push_back(std::move(c));
    }
    std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
      return x.papers != y.papers ? x.papers > y.papers : x.name < y.name;
    });
    if (top > 0 && out.size() > top) out.resize(top);
    return out;
  };
  d.institutions = ranked(insts, true);
  d.authors = ranked(authors, false);
  for (auto& [tag, row] : tags) d.tags.push_back(row);
  std::sort(d.tags.begin(), d.tags.end(),
            [](const auto& x, const auto& y) { return x.tag < y.tag; });
  return d;
}

void AddCommonRules(const Filters& filters, Regions regions, Rules* rules) {
  rules->Add("country_set", "union of the countries of all institutions of all authorships");
  rules->Add("regions", RegionsName(regions));
  rules->Add("rejected", filters.include_rejected ? "included" : "excluded");
  rules->Add("years", (filters.year_from ? std::to_string(*filters.year_from) : "") + ":" +
                          (filters.year_to ? std::to_string(*filters.year_to) : ""));
  rules->Add("venues", filters.venues.empty() ? "all" : JoinList(filters.venues));
  rules->Add("tracks", filters.tracks.empty() ? "all" : JoinList(filters.tracks));
  rules->Add("tags", filters.tags.empty() ? "all" : JoinList(filters.tags));
}

StatsResult ComputeStats(const CollabTable& table, const StatsOptions& options) {
  StatsResult result;
  result.rules = StatsRules(options);
  result.grouped = options.group_by != GroupBy::kNone;

  const size_t n_countries = table.countries.size();
  std::map<std::string, Accumulator> groups;
  // The groups a paper counts in: one, or with GroupBy::kTag one per tag (kNoTag without).
  std::vector<std::string> keys;
  auto keys_of = [&](const PaperRow& p) {
    keys.clear();
    switch (options.group_by) {
      case GroupBy::kNone:
        keys.emplace_back("all");
        break;
      case GroupBy::kYear:
        keys.push_back(std::to_string(p.year));
        break;
      case GroupBy::kVenue:
        keys.push_back(table.venues[p.venue]);
        break;
      case GroupBy::kTag:
        for (uint32_t tag : p.tags) keys.push_back(table.tags[tag]);
        if (keys.empty()) keys.emplace_back(kNoTagGroup);
        break;
    }
  };
  auto group = [&](const std::string& key) -> Accumulator& {
    Accumulator& acc = groups[key];
    if (acc.country_papers.empty()) {
      acc.country_papers.assign(n_countries, 0);
      acc.country_fractional.assign(n_countries, 0.0);
    }
    return acc;
  };

  Filters with_rejected = options.filters;
  with_rejected.include_rejected = true;
  std::vector<int32_t> set;
  std::vector<double> share(n_countries, 0.0);
  std::vector<double> set_share;
  for (const PaperRow& p : table.papers) {
    if (!table.Matches(p, with_rejected)) continue;
    keys_of(p);
    if (p.rejected && !options.filters.include_rejected) {
      for (const std::string& key : keys) ++group(key).excluded;
      continue;
    }
    set.clear();
    PaperCountrySet(table, p, options.regions, options.attribution, &set, &share);
    set_share.clear();
    for (int32_t c : set) {
      set_share.push_back(share[static_cast<size_t>(c)]);
      share[static_cast<size_t>(c)] = 0.0;
    }
    const bool counts_for_pairs =
        set.size() >= 2 && (options.pair_rule == PairRule::kAny || set.size() == 2);
    const double k = static_cast<double>(set.size());
    const double pair_weight = counts_for_pairs ? 2.0 / (k * (k - 1.0)) : 0.0;
    for (const std::string& key : keys) {
      Accumulator& acc = group(key);
      ++acc.papers;
      if (set.empty()) continue;
      ++acc.with_country;
      for (size_t i = 0; i < set.size(); ++i) {
        ++acc.country_papers[static_cast<size_t>(set[i])];
        acc.country_fractional[static_cast<size_t>(set[i])] += set_share[i];
      }
      if (set.size() >= 2) ++acc.international;
      if (!counts_for_pairs) continue;
      for (size_t i = 0; i < set.size(); ++i) {
        for (size_t j = i + 1; j < set.size(); ++j) {
          auto& [count, frac] = acc.pairs[{set[i], set[j]}];
          ++count;
          frac += pair_weight;
        }
      }
    }
  }

  const bool by_fraction = options.counting == Counting::kFractional;
  for (auto& [key, acc] : groups) {
    StatsGroup g;
    g.key = key;
    g.papers = acc.papers;
    g.papers_with_country = acc.with_country;
    g.unknown_country_papers = acc.papers - acc.with_country;
    g.international_papers = acc.international;
    g.excluded_papers = acc.excluded;
    for (size_t c = 0; c < n_countries; ++c) {
      if (acc.country_papers[c] == 0) continue;
      g.countries.push_back({table.countries[c].code, table.countries[c].name,
                             acc.country_papers[c], acc.country_fractional[c]});
    }
    std::sort(g.countries.begin(), g.countries.end(),
              [&](const CountryStat& x, const CountryStat& y) {
                if (by_fraction && x.fractional != y.fractional) return x.fractional > y.fractional;
                if (x.papers != y.papers) return x.papers > y.papers;
                return x.code < y.code;
              });
    // Links of each country: its pair counts summed over partners (the row sums of the
    // collaboration matrix), and their total (each pair counted from both ends).
    std::vector<double> links(n_countries, 0.0);
    double total_links = 0;
    for (const auto& [pair, value] : acc.pairs) {
      links[static_cast<size_t>(pair.first)] += static_cast<double>(value.first);
      links[static_cast<size_t>(pair.second)] += static_cast<double>(value.first);
      total_links += 2.0 * static_cast<double>(value.first);
    }
    for (const auto& [pair, value] : acc.pairs) {
      PairStat ps;
      int32_t first = pair.first;
      int32_t second = pair.second;
      if (table.countries[static_cast<size_t>(second)].code <
          table.countries[static_cast<size_t>(first)].code) {
        std::swap(first, second);
      }
      ps.a = table.countries[static_cast<size_t>(first)].code;
      ps.b = table.countries[static_cast<size_t>(second)].code;
      ps.papers = value.first;
      ps.fractional = value.second;
      const double c = static_cast<double>(ps.papers);
      const double na = static_cast<double>(acc.country_papers[static_cast<size_t>(first)]);
      const double nb = static_cast<double>(acc.country_papers[static_cast<size_t>(second)]);
      ps.salton = c / std::sqrt(na * nb);
      ps.jaccard = c / (na + nb - c);
      ps.association_strength = c * static_cast<double>(acc.with_country) / (na * nb);
      const double la = links[static_cast<size_t>(first)];
      const double lb = links[static_cast<size_t>(second)];
      ps.affinity_a = c / la;
      ps.affinity_b = c / lb;
      ps.probabilistic_affinity = c * total_links / (la * lb);
      g.pairs.push_back(std::move(ps));
    }
    std::sort(g.pairs.begin(), g.pairs.end(), [&](const PairStat& x, const PairStat& y) {
      if (by_fraction && x.fractional != y.fractional) return x.fractional > y.fractional;
      if (x.papers != y.papers) return x.papers > y.papers;
      return std::tie(x.a, x.b) < std::tie(y.a, y.b);
    });
    result.groups.push_back(std::move(g));
  }
  if (!result.grouped && result.groups.empty()) {
    StatsGroup empty;
    empty.key = "all";
    result.groups.push_back(std::move(empty));
  }
  return result;
}

}  // namespace collabgraph::analytics
