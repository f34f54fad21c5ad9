#include "util/text.h"

#include <array>
#include <cstdint>

namespace collabgraph::util {

namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// ASCII folding of the Latin-1 Supplement letters U+00C0..U+00FF; "" marks a non-letter.
constexpr std::array<const char*, 64> kLatin1Fold = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",   // C0-CF
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",  // D0-DF
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",   // E0-EF
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y"};  // F0-FF

// ASCII base letter of each code point U+0100..U+017F (Latin Extended-A).
constexpr std::string_view kLatinExtAFold =
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkkllllllllllnnnnnnnnnoooooooorrrrrrssss"
    "ssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
static_assert(kLatinExtAFold.size() == 128);

// Each ASCII letter or digit folded to lower case; '\0' for every other ASCII byte (a separator).
constexpr std::array<char, 128> kAsciiFold = [] {
  std::array<char, 128> fold{};
  for (size_t c = 'a'; c <= 'z'; ++c) fold[c] = static_cast<char>(c);
  for (size_t c = '0'; c <= '9'; ++c) fold[c] = static_cast<char>(c);
  for (size_t c = 'A'; c <= 'Z'; ++c) fold[c] = static_cast<char>(c - 'A' + 'a');
  return fold;
}();

}  // namespace

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> SplitTrimmed(std::string_view s, std::string_view sep) {
  std::vector<std::string_view> out;
  if (s.empty()) return out;
  size_t start = 0;
  while (true) {
    const size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.push_back(Trim(s.substr(start)));
      return out;
    }
    out.push_back(Trim(s.substr(start, pos - start)));
    start = pos + sep.size();
  }
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

void NormalizeKeyInto(std::string_view s, std::string* out) {
  // Every input byte yields at most one output byte: an ASCII letter or digit itself, a run
  // of separators one space (only between two words), a two-byte letter at most two. So the
  // output is written straight into a buffer of the input's size.
  out->resize(s.size());
  char* const begin = out->data();
  char* w = begin;
  bool pending_space = false;
  auto put = [&](char ch) {
    if (pending_space && w != begin) *w++ = ' ';
    pending_space = false;
    *w++ = ch;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<uint8_t>(s[i]);
    if (c < 0x80) {
      const char f = kAsciiFold[c];
      if (f == 0) {
        pending_space = true;  // punctuation and whitespace separate words
        continue;
      }
      put(f);
      // The rest of an ASCII word, without put's check for a pending space.
      while (i + 1 < s.size()) {
        const auto d = static_cast<uint8_t>(s[i + 1]);
        const char g = d < 0x80 ? kAsciiFold[d] : '\0';
        if (g == 0) break;
        *w++ = g;
        ++i;
      }
      continue;
    }
    // Two-byte UTF-8 sequences that encode Latin letters with diacritics.
    if ((c == 0xC3 || c == 0xC4 || c == 0xC5) && i + 1 < s.size()) {
      const auto c2 = static_cast<uint8_t>(s[i + 1]);
      const uint32_t cp = ((c & 0x1Fu) << 6) | (c2 & 0x3Fu);
      if (cp >= 0xC0 && cp <= 0xFF && kLatin1Fold[cp - 0xC0][0] != '\0') {
        const char* fold = kLatin1Fold[cp - 0xC0];
        put(fold[0]);
        if (fold[1] != '\0') *w++ = fold[1];
        ++i;
        continue;
      }
      if (cp >= 0x100 && cp < 0x100 + kLatinExtAFold.size()) {
        put(kLatinExtAFold[cp - 0x100]);
        ++i;
        continue;
      }
    }
    // Any other non-ASCII byte is kept as is (multi-byte sequences stay intact).
    put(static_cast<char>(c));
  }
  out->resize(static_cast<size_t>(w - begin));
}

std::string NormalizeKey(std::string_view s) {
  std::string out;
  NormalizeKeyInto(s, &out);
  return out;
}

std::string EscapeMarkup(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
          out += c;
        }
    }
  }
  return out;
}

}  // namespace collabgraph::util
