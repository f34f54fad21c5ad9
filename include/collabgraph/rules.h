#pragma once

#include <string>
#include <utility>
#include <vector>

namespace collabgraph {

// The counting rules that produced a statistic, as (name, value) pairs in a fixed order, e.g.
// ("counting", "full"), ("regions", "source"). docs/methodology.md defines every name and value.
struct Rules {
  std::vector<std::pair<std::string, std::string>> entries;
  void Add(std::string name, std::string value) {
    entries.emplace_back(std::move(name), std::move(value));
  }
};

}  // namespace collabgraph
