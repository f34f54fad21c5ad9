#include "ingest/json_scan.h"

#include <cstdint>

namespace collabgraph::ingest {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

ArrayScan ScanTopLevelArray(std::string_view text, size_t max_depth) {
  ArrayScan scan;
  size_t pos = 0;
  const size_t n = text.size();
  auto fail = [&](size_t at, std::string what) {
    scan.error = std::move(what);
    scan.error_offset = at;
    return scan;
  };
  auto skip_space = [&] {
    while (pos < n && IsSpace(text[pos])) ++pos;
  };
  if (text.starts_with("\xEF\xBB\xBF")) pos = 3;
  skip_space();
  if (pos >= n) return fail(pos, "empty file");
  if (text[pos] != '[') return fail(pos, "expected '[' (a JSON array of records)");
  ++pos;
  skip_space();
  if (pos < n && text[pos] == ']') {
    ++pos;
  } else {
    while (true) {
      skip_space();
      if (pos >= n) return fail(pos, "unexpected end of file (truncated?)");
      const size_t begin = pos;
      size_t too_deep_at = std::string_view::npos;
      size_t depth = 0;
      bool in_string = false;
      bool done = false;
      while (pos < n && !done) {
        const char c = text[pos];
        if (in_string) {
          if (c == '\\') {
            ++pos;
          } else if (c == '"') {
            in_string = false;
            if (depth == 0) done = true;
          }
          ++pos;
          continue;
        }
        switch (c) {
          case '"':
            in_string = true;
            ++pos;
            break;
          case '{':
          case '[':
            if (++depth > max_depth && too_deep_at == std::string_view::npos) too_deep_at = pos;
            ++pos;
            break;
          case '}':
          case ']':
            if (depth == 0) {
              done = true;  // the end of the top-level array, after a scalar element
              break;
            }
            ++pos;
            if (--depth == 0) done = true;
            break;
          case ',':
            if (depth == 0) {
              done = true;
              break;
            }
            ++pos;
            break;
          default:
            if (depth == 0 && IsSpace(c)) {
              done = true;
              break;
            }
            ++pos;
        }
      }
      if (in_string || depth > 0 || (!done && pos >= n)) {
        return fail(n, "unexpected end of file inside a record (truncated?)");
      }
      if (pos == begin) return fail(pos, "expected a value");
      scan.elements.push_back({begin, pos, too_deep_at});
      skip_space();
      if (pos >= n) return fail(pos, "unexpected end of file (truncated?)");
      if (text[pos] == ',') {
        ++pos;
        continue;
      }
      if (text[pos] == ']') {
        ++pos;
        break;
      }
      return fail(pos,
                  std::string("expected ',' or ']' after a record, found '") + text[pos] + "'");
    }
  }
  skip_space();
  if (pos < n) return fail(pos, "text after the end of the array");
  return scan;
}

size_t FirstInvalidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const uint8_t c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    uint32_t min = 0;
    uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      min = 0x80;
      cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      min = 0x800;
      cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      min = 0x10000;
      cp = c & 0x07u;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

}  // namespace collabgraph::ingest
