#pragma once

// Structural scanning of JSON text without building a document, to say *where* a file that
// does not parse went wrong: which element of the top-level array, at which byte. The fast
// path parses whole files with simdjson, which reports only what went wrong; these run when it
// fails (and for --skip-bad, to go on with the elements that are intact).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace collabgraph::ingest {

struct ArrayElement {
  size_t begin = 0;  // [begin, end) bytes of the element
  size_t end = 0;
  // Offset where the element's nesting first went deeper than the limit, or npos.
  size_t too_deep_at = std::string_view::npos;
};

struct ArrayScan {
  // The top-level array's elements, in order, up to the first structural problem.
  std::vector<ArrayElement> elements;
  // Empty when the whole text is one well-formed array (structurally); else what is wrong and
  // the byte offset where it was found (the element being read then is elements.size()).
  std::string error;
  size_t error_offset = 0;
};

// Splits `text` (a JSON array, optionally after a UTF-8 byte order mark) into its elements by
// tracking strings, escapes and bracket depth; an element nesting deeper than `max_depth` is
// marked (too_deep_at). The elements' own syntax (literals, numbers, UTF-8) is not checked.
ArrayScan ScanTopLevelArray(std::string_view text, size_t max_depth);

// Offset of the first byte that does not belong to a valid UTF-8 sequence, or npos.
size_t FirstInvalidUtf8(std::string_view text);

}  // namespace collabgraph::ingest
