#include "ingest/tagger.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "absl/strings/string_view.h"

#include "ingest/gzip_reader.h"
#include "util/status_macros.h"
#include "util/text.h"

namespace collabgraph::ingest {

namespace {

// The shipped lexicon, in the file format of Tagger::FromFile.
constexpr const char* kDefaultLexicon = R"(
# topics
topic ml-algorithms: machine learning algorithm | optimization | stochastic gradient | bandit | bandits | kernel methods | online learning | active learning | meta learning | federated learning | boosting
topic nlp: natural language | language model | language models | nlp | machine translation | question answering | text generation | summarization | named entity | sentiment analysis | llm | llms
topic computer-vision: computer vision | image classification | object detection | semantic segmentation | image segmentation | visual recognition | video understanding | image generation | 3d reconstruction | pose estimation
topic healthcare: healthcare | health care | medical | clinical | patient | patients | disease | diagnosis | electronic health records | drug discovery | radiology
topic reinforcement-learning: reinforcement learning | policy gradient | q learning | markov decision process | mdp | multi agent reinforcement learning | offline reinforcement learning
topic theory: theorem | regret bound | sample complexity | pac learning | convergence rate | lower bound | minimax | learning theory | generalization bound
topic graphs: graph neural network | graph neural networks | gnn | gnns | node classification | link prediction | graph representation learning
topic robotics: robot | robots | robotic | robotics | manipulation | locomotion
topic speech: speech recognition | speech synthesis | text to speech | spoken language | audio
# methods and models
method transformer: transformer | transformers | self attention | attention mechanism
method diffusion: diffusion model | diffusion models | denoising diffusion | score based generative | score matching
method gan: generative adversarial network | generative adversarial networks | gan | gans
method vae: variational autoencoder | variational autoencoders | vae | vaes
method bert: bert | roberta
method gpt: gpt | gpt 2 | gpt 3 | gpt 4 | chatgpt
method llama: llama | llama 2 | llama 3
method qwen: qwen
method clip: clip
method resnet: resnet | residual network | residual networks
method lstm: lstm | long short term memory | recurrent neural network | recurrent neural networks | rnn
method cnn: convolutional neural network | convolutional neural networks | cnn | cnns | convnet
)";

// Bit i set when byte i of the 16 at `p` is an ASCII letter or digit (a character of a word
// of util::NormalizeKey); *high gets bit i when byte i is not ASCII.
uint32_t WordBits16(const char* p, uint32_t* high) {
#if defined(__SSE2__)
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  *high = static_cast<uint32_t>(_mm_movemask_epi8(v));
  // Signed compares: a non-ASCII byte is negative, so neither a letter nor a digit.
  const __m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
  const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(lower, _mm_set1_epi8('a' - 1)),
                                       _mm_cmplt_epi8(lower, _mm_set1_epi8('z' + 1)));
  const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                      _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
  return static_cast<uint32_t>(_mm_movemask_epi8(_mm_or_si128(letter, digit)));
#else
  uint32_t bits = 0;
  *high = 0;
  for (int i = 0; i < 16; ++i) {
    const auto c = static_cast<uint8_t>(p[i]);
    const auto lower = static_cast<uint8_t>(c | 0x20);
    if (c >= 0x80) *high |= 1u << i;
    if ((lower >= 'a' && lower <= 'z') || (c >= '0' && c <= '9')) bits |= 1u << i;
  }
  return bits;
#endif
}

// When `text` is all ASCII: its words as util::NormalizeKey makes them (the runs of letters
// and digits, lower-cased), as views into *folded, which gets the text with every byte ORed
// with 0x20 (lower case for a letter, a digit unchanged; the bytes between words are never
// read). False, with neither filled, for a text with a non-ASCII byte, whose folding
// (diacritics) NormalizeKey alone knows. The words are found 64 bytes at a time from a mask
// of their characters, at its transitions: the byte-by-byte normalisation and the split after
// it were most of tagging's time (perf, real paper lists).
bool AsciiWords(std::string_view text, std::string* folded, std::vector<std::string_view>* words) {
  const size_t n = text.size();
  const char* const p = text.data();
  words->clear();
  size_t start = 0;
  bool in_word = false;
  for (size_t base = 0; base < n; base += 64) {
    uint64_t mask = 0;
    uint32_t high = 0;
    for (size_t k = 0; k < 4 && base + 16 * k < n; ++k) {
      const size_t at = base + 16 * k;
      uint32_t h = 0;
      uint32_t bits = 0;
      if (at + 16 <= n) {
        bits = WordBits16(p + at, &h);
      } else {
        char tail[16] = {};  // zero bytes separate words
        std::memcpy(tail, p + at, n - at);
        bits = WordBits16(tail, &h);
      }
      mask |= uint64_t{bits} << (16 * k);
      high |= h;
    }
    if (high != 0) return false;
    // A set bit where a word starts or ends (a bit past the text is 0: the last word ends).
    uint64_t change = mask ^ ((mask << 1) | (in_word ? 1u : 0u));
    while (change != 0) {
      const size_t at = base + static_cast<size_t>(std::countr_zero(change));
      change &= change - 1;
      if (in_word) {
        words->emplace_back(p + start, at - start);
      } else {
        start = at;
      }
      in_word = !in_word;
    }
  }
  if (in_word) words->emplace_back(p + start, n - start);
  folded->resize(n);
  char* const out = folded->data();
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<char>(p[i] | 0x20);
  for (std::string_view& w : *words) w = std::string_view(out + (w.data() - p), w.size());
  return true;
}

}  // namespace

const Tagger& Tagger::Default() {
  static const Tagger* tagger = [] {
    auto t = FromText("default lexicon", kDefaultLexicon);
    return t.ok() ? t->release() : new Tagger();
  }();
  return *tagger;
}

absl::StatusOr<std::unique_ptr<Tagger>> Tagger::FromFile(const std::string& path) {
  COLLABGRAPH_ASSIGN_OR_RETURN(std::string text, ReadMaybeGzipFile(path));
  return FromText(path, text);
}

absl::StatusOr<std::unique_ptr<Tagger>> Tagger::FromText(const std::string& name,
                                                         const std::string& text) {
  auto tagger = std::make_unique<Tagger>();
  size_t line_no = 0;
  for (std::string_view line : util::SplitTrimmed(text, "\n")) {
    ++line_no;
    if (const size_t hash = line.find('#'); hash != std::string_view::npos) {
      line = util::Trim(line.substr(0, hash));
    }
    if (line.empty()) continue;
    const size_t colon = line.find(':');
    const size_t space = line.find(' ');
    if (colon == std::string_view::npos || space == std::string_view::npos || space > colon) {
      return absl::InvalidArgumentError(name + ": line " + std::to_string(line_no) +
                                        ": expected \"kind tag: phrase | phrase\"");
    }
    TagRule rule;
    rule.kind = std::string(util::Trim(line.substr(0, space)));
    rule.tag = std::string(util::Trim(line.substr(space + 1, colon - space - 1)));
    for (std::string_view phrase : util::SplitTrimmed(line.substr(colon + 1), "|")) {
      std::string key = util::NormalizeKey(phrase);
      if (!key.empty()) rule.phrases.push_back(std::move(key));
    }
    if (rule.tag.empty() || rule.phrases.empty()) {
      return absl::InvalidArgumentError(name + ": line " + std::to_string(line_no) +
                                        ": a rule needs a tag and at least one phrase");
    }
    tagger->rules_.push_back(std::move(rule));
  }
  tagger->BuildIndex();
  return tagger;
}

void Tagger::BuildIndex() {
  index_.clear();
  for (size_t r = 0; r < rules_.size(); ++r) {
    for (const std::string& phrase : rules_[r].phrases) {
      std::vector<std::string> words;
      for (std::string_view w : util::SplitTrimmed(phrase, " ")) words.emplace_back(w);
      index_[words.front()].emplace_back(r, std::move(words));
    }
  }
  first_words_.fill(0);
  for (const auto& [word, phrases] : index_) {
    if (word.empty()) continue;
    first_words_[static_cast<uint8_t>(word[0])] |= uint64_t{1} << std::min<size_t>(word.size(), 63);
  }
}

std::vector<const TagRule*> Tagger::Match(std::string_view text) const {
  // Tagging runs on every paper's title and abstract, so the normalised text and its word
  // list live in buffers each thread reuses.
  thread_local std::string normalised;
  thread_local std::vector<std::string_view> words;
  if (!AsciiWords(text, &normalised, &words)) {
    util::NormalizeKeyInto(text, &normalised);
    // NormalizeKey leaves single spaces between words and none at either end.
    words.clear();
    for (size_t start = 0; start < normalised.size();) {
      size_t end = normalised.find(' ', start);
      if (end == std::string::npos) end = normalised.size();
      words.emplace_back(normalised.data() + start, end - start);
      start = end + 1;
    }
  }
  std::vector<char> hit(rules_.size(), 0);
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string_view w = words[i];
    if (w.empty() ||
        (first_words_[static_cast<uint8_t>(w[0])] >> std::min<size_t>(w.size(), 63) & 1) == 0) {
      continue;
    }
    // Debian builds Abseil with its own string_view type, which the heterogeneous lookup takes.
    const auto it = index_.find(absl::string_view(w.data(), w.size()));
    if (it == index_.end()) continue;
    for (const auto& [rule, phrase] : it->second) {
      if (hit[rule] != 0 || i + phrase.size() > words.size()) continue;
      bool match = true;
      for (size_t k = 1; k < phrase.size() && match; ++k) match = words[i + k] == phrase[k];
      if (match) hit[rule] = 1;
    }
  }
  std::vector<const TagRule*> out;
  for (size_t r = 0; r < rules_.size(); ++r) {
    if (hit[r] != 0) out.push_back(&rules_[r]);
  }
  return out;
}

}  // namespace collabgraph::ingest
