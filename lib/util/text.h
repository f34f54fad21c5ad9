#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace collabgraph::util {

// Removes ASCII whitespace at both ends.
std::string_view Trim(std::string_view s);

// Splits on every occurrence of `sep` (which may be several characters); pieces are trimmed.
// An empty input gives no pieces; "a;;b" gives {"a", "", "b"}.
std::vector<std::string_view> SplitTrimmed(std::string_view s, std::string_view sep);

// Matching key for names and titles: Latin letters with diacritics folded to ASCII
// ("Müller" -> "muller"), ASCII lower-cased, every run of punctuation or whitespace turned
// into one space, trimmed. Other UTF-8 text (CJK, Cyrillic, ...) is kept byte for byte.
std::string NormalizeKey(std::string_view s);
// The same into `*out`, replacing what it held and reusing its storage.
void NormalizeKeyInto(std::string_view s, std::string* out);

// `s` with &, <, >, " and ' as character references and the C0 control characters other
// than tab, line feed and carriage return dropped: safe as HTML or XML 1.0 text and as a
// quoted attribute (the HTML report, GraphML and GEXF exports).
std::string EscapeMarkup(std::string_view s);

// ASCII lower case; other bytes unchanged.
std::string AsciiLower(std::string_view s);

}  // namespace collabgraph::util
