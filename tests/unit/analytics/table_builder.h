#pragma once

// Builds small CollabTables by hand for analytics tests.

#include <string>
#include <vector>

#include "analytics/collab_table.h"

namespace collabgraph::testing {

class TableBuilder {
 public:
  // Adds a country and returns its index.
  int32_t Country(const std::string& code) {
    table_.countries.push_back({table_.countries.size() + 1, code, code + " name"});
    return static_cast<int32_t>(table_.countries.size() - 1);
  }
  // Adds an institution in `country` (-1: unknown) and returns its index.
  uint32_t Institution(const std::string& name, int32_t country) {
    table_.institutions.push_back({table_.institutions.size() + 1, name, country});
    return static_cast<uint32_t>(table_.institutions.size() - 1);
  }
  uint32_t Author(const std::string& name) {
    table_.authors.push_back({table_.authors.size() + 1, name});
    return static_cast<uint32_t>(table_.authors.size() - 1);
  }
  // Adds a paper; authorships[i] = (author index, institution indexes).
  void Paper(int year, const std::vector<std::pair<uint32_t, std::vector<uint32_t>>>& authorships,
             bool rejected = false, const std::string& venue = "nips") {
    analytics::PaperRow row;
    row.id = table_.papers.size() + 1;
    row.year = year;
    auto it = std::find(table_.venues.begin(), table_.venues.end(), venue);
    if (it == table_.venues.end()) it = table_.venues.insert(table_.venues.end(), venue);
    row.venue = static_cast<uint32_t>(it - table_.venues.begin());
    row.rejected = rejected;
    for (const auto& [author, insts] : authorships) {
      row.authors.push_back(author);
      row.authorships.push_back(insts);
    }
    table_.papers.push_back(std::move(row));
  }
  const analytics::CollabTable& table() const { return table_; }

 private:
  analytics::CollabTable table_;
};

}  // namespace collabgraph::testing
