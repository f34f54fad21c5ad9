#include "args.h"

namespace collabgraph::cli {

std::string Args::Parse(const std::vector<std::string>& argv, const ArgSpec& spec) {
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg.size() < 3 || arg.rfind("--", 0) != 0) {
      positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (const size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (spec.flags.count(name)) {
      if (value) return "option --" + name + " takes no value";
      flags_.insert(name);
    } else if (spec.value_options.count(name)) {
      if (!value) {
        if (i + 1 >= argv.size()) return "option --" + name + " needs a value";
        value = argv[++i];
      }
      values_[name].push_back(*value);
    } else {
      return "unknown option --" + name;
    }
  }
  return "";
}

std::optional<std::string> Args::Value(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Args::Values(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

}  // namespace collabgraph::cli
