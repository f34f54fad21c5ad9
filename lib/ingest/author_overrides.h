#pragma once

// User overrides of author identity (ingest --authors FILE; docs/methodology.md, "Author
// overrides"). Paper lists identify authors by normalised name, which merges homonyms and
// keeps spelling variants apart; the override file corrects both:
//
//   # comment
//   merge: Michael I. Jordan | Michael Jordan | orcid:0000-0001-8935-817X
//   split: Yang Liu @ Tsinghua University
//
// `merge`: every item (a name, or an id "orcid:...", "openalex:...", "openreview:...",
// "name:...") is the identity of the first. `split`: authorships of that name with an
// institution whose normalised name contains the given one (whole words) become an identity of
// their own, displayed as "Yang Liu (Tsinghua University)"; several split lines per name are
// tried in file order. Splits apply before merges.

#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"

#include "model/paper_writer.h"

namespace collabgraph::ingest {

class AuthorOverrides {
 public:
  // Errors name the file and line: an unknown directive, an empty item, an item in two merge
  // lines, a split without "@".
  static absl::StatusOr<AuthorOverrides> Parse(const std::string& path, const std::string& text);
  static absl::StatusOr<AuthorOverrides> FromFile(const std::string& path);

  // Rewrites the identity of the paper's authorships; returns how many changed.
  size_t Apply(model::PaperInput* paper) const;

  size_t merges() const { return merge_.size(); }
  size_t splits() const { return split_count_; }

 private:
  struct Split {
    std::string institution;  // normalised, padded with spaces for whole-word search
    std::string label;        // as written in the file
    std::string key_suffix;
  };
  std::unordered_map<std::string, std::string> merge_;         // key -> identity key
  std::unordered_map<std::string, std::vector<Split>> split_;  // key -> splits, in file order
  size_t split_count_ = 0;
};

// The identity key an override item stands for: ids keep their scheme ("orcid:..."), names
// become "name:" + the normalised name, as the readers key authors.
std::string AuthorKeyOf(const std::string& item);

}  // namespace collabgraph::ingest
