#pragma once

// A small command-line parser: positional arguments and --name value / --name=value options,
// some of them repeatable, and boolean --flags. Unknown options are usage errors.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace collabgraph::cli {

struct ArgSpec {
  std::set<std::string> value_options;  // take a value; may repeat
  std::set<std::string> flags;          // no value
};

class Args {
 public:
  // Returns an error message (empty on success).
  std::string Parse(const std::vector<std::string>& argv, const ArgSpec& spec);

  const std::vector<std::string>& positional() const { return positional_; }
  bool Flag(const std::string& name) const { return flags_.count(name) > 0; }
  std::optional<std::string> Value(const std::string& name) const;
  std::vector<std::string> Values(const std::string& name) const;

 private:
  std::vector<std::string> positional_;
  std::set<std::string> flags_;
  std::map<std::string, std::vector<std::string>> values_;
};

}  // namespace collabgraph::cli
