#include "ingest/author_overrides.h"

#include <array>
#include <string_view>

#include "ingest/gzip_reader.h"
#include "util/status_macros.h"
#include "util/text.h"

namespace collabgraph::ingest {

std::string AuthorKeyOf(const std::string& item) {
  const std::string_view s = util::Trim(item);
  for (std::string_view scheme :
       std::array<std::string_view, 4>{"orcid:", "openalex:", "openreview:", "name:"}) {
    if (s.size() > scheme.size() && util::AsciiLower(s.substr(0, scheme.size())) == scheme) {
      const std::string_view value = util::Trim(s.substr(scheme.size()));
      if (scheme == "name:") return "name:" + util::NormalizeKey(value);
      return std::string(scheme) + std::string(value);
    }
  }
  return "name:" + util::NormalizeKey(s);
}

absl::StatusOr<AuthorOverrides> AuthorOverrides::Parse(const std::string& path,
                                                       const std::string& text) {
  AuthorOverrides o;
  size_t line_no = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view line = util::Trim(std::string_view(text).substr(start, end - start));
    start = end + 1;
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    const std::string where = path + ": line " + std::to_string(line_no);
    const size_t colon = line.find(':');
    const std::string directive =
        colon == std::string_view::npos ? "" : util::AsciiLower(util::Trim(line.substr(0, colon)));
    const std::string_view rest =
        colon == std::string_view::npos ? std::string_view() : util::Trim(line.substr(colon + 1));
    if (directive == "merge") {
      std::vector<std::string> keys;
      for (std::string_view item : util::SplitTrimmed(rest, "|")) {
        const std::string key = AuthorKeyOf(std::string(item));
        if (item.empty() || key == "name:") {
          return absl::InvalidArgumentError(where + ": an empty item in a merge");
        }
        keys.push_back(key);
      }
      if (keys.size() < 2) {
        return absl::InvalidArgumentError(where + ": a merge needs two or more items (A | B)");
      }
      for (const std::string& k : keys) {
        if (!o.merge_.contains(k)) continue;
        std::string message = where;
        message += ": \"";
        message += k;
        message += "\" is already in another merge";
        return absl::InvalidArgumentError(message);
      }
      for (const std::string& k : keys) o.merge_.emplace(k, keys[0]);
    } else if (directive == "split") {
      const size_t at = rest.find('@');
      if (at == std::string_view::npos) {
        return absl::InvalidArgumentError(where + ": a split is \"NAME @ INSTITUTION\"");
      }
      const std::string key = AuthorKeyOf(std::string(util::Trim(rest.substr(0, at))));
      const std::string_view label = util::Trim(rest.substr(at + 1));
      const std::string institution = util::NormalizeKey(label);
      if (key == "name:" || institution.empty()) {
        return absl::InvalidArgumentError(where + ": a split needs a name and an institution");
      }
      o.split_[key].push_back({" " + institution + " ", std::string(label), "@" + institution});
      ++o.split_count_;
    } else {
      return absl::InvalidArgumentError(where +
                                        ": expected \"merge: A | B\" or \"split: NAME @ "
                                        "INSTITUTION\", found \"" +
                                        std::string(line.substr(0, 60)) + "\"");
    }
  }
  return o;
}

absl::StatusOr<AuthorOverrides> AuthorOverrides::FromFile(const std::string& path) {
  COLLABGRAPH_ASSIGN_OR_RETURN(std::string text, ReadMaybeGzipFile(path));
  return Parse(path, text);
}

size_t AuthorOverrides::Apply(model::PaperInput* paper) const {
  size_t changed = 0;
  for (model::AuthorshipInput& a : paper->authorships) {
    const std::string before = a.key;
    if (auto it = split_.find(a.key); it != split_.end()) {
      bool done = false;
      for (const Split& s : it->second) {
        for (const model::InstitutionInput& inst : a.institutions) {
          if ((" " + inst.key + " ").find(s.institution) == std::string::npos) continue;
          a.key += s.key_suffix;
          a.name += " (" + s.label + ")";
          done = true;
          break;
        }
        if (done) break;
      }
    }
    if (auto it = merge_.find(a.key); it != merge_.end()) a.key = it->second;
    if (a.key != before) {
      ++changed;
      a.row = model::kNoRow;  // the row no longer stands for this author (model::RowMemo)
    }
  }
  return changed;
}

}  // namespace collabgraph::ingest
