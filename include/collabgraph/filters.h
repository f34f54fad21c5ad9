#pragma once

#include <optional>
#include <string>
#include <vector>

namespace collabgraph {

// Which papers a statistic or projection covers. Empty lists mean "no restriction".
struct Filters {
  std::optional<int> year_from;     // inclusive
  std::optional<int> year_to;       // inclusive
  std::vector<std::string> venues;  // venue names as stored, e.g. "nips"
  std::vector<std::string> tracks;  // compared case-insensitively
  std::vector<std::string> tags;    // papers with any of these tags (docs/methodology.md, Tags)
  // Papers whose status marks a rejected or withdrawn submission are left out unless true.
  bool include_rejected = false;
};

// How Hong Kong, Macao and Taiwan are counted (docs/methodology.md, "Regions").
//   kSource: as the source labelled the institution (paperlists says "China" for all three).
//   kSplit:  HK, MO and TW as their own countries, where resolution found the region.
//   kMerge:  HK, MO and TW counted as CN.
enum class Regions { kSource, kSplit, kMerge };

// How a paper's weight is shared (docs/methodology.md, "Full and fractional counting").
enum class Counting { kFull, kFractional };

}  // namespace collabgraph
