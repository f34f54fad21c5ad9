#pragma once

// Tags papers by matching a lexicon of phrases whole-word and case-insensitively (after
// util::NormalizeKey, so punctuation and diacritics do not matter) on the title and abstract.
// A shipped default lexicon covers research topics (e.g. "nlp", "computer-vision") and named
// methods and models (e.g. "transformer", "llama", "qwen"); users can give their own file.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace collabgraph::ingest {

struct TagRule {
  std::string tag;                   // tag name, e.g. "llama"
  std::string kind;                  // "topic" or "method"
  std::vector<std::string> phrases;  // normalised phrases; any one matching tags the paper
};

class Tagger {
 public:
  // The shipped lexicon.
  static const Tagger& Default();
  // Reads a lexicon file: one rule per line, "kind tag: phrase | phrase | ...", '#' starts a
  // comment. InvalidArgument naming the file and line for a malformed line.
  static absl::StatusOr<std::unique_ptr<Tagger>> FromFile(const std::string& path);
  static absl::StatusOr<std::unique_ptr<Tagger>> FromText(const std::string& name,
                                                          const std::string& text);

  // The tags whose phrases occur whole-word in `text`, in lexicon order.
  std::vector<const TagRule*> Match(std::string_view text) const;
  const std::vector<TagRule>& rules() const { return rules_; }

 private:
  void BuildIndex();
  std::vector<TagRule> rules_;
  // First word of a phrase -> (rule index, the phrase's words), so that matching walks the
  // text's words once instead of searching every phrase. Looked up by string_view: a text's
  // words are never copied.
  absl::flat_hash_map<std::string, std::vector<std::pair<size_t, std::vector<std::string>>>> index_;
  // Bit min(length, 63) of first_words_[c] is set when a key of index_ of that length starts
  // with byte c: most words of a text start no phrase, and this answers them without hashing
  // (the lookups were half of tagging's time on the real paper lists).
  std::array<uint64_t, 256> first_words_{};
};

}  // namespace collabgraph::ingest
