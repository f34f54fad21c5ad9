#include "util/text.h"

#include <catch2/catch.hpp>

using namespace collabgraph::util;

TEST_CASE("NormalizeKey folds case, diacritics and punctuation", "[util][text]") {
  CHECK(NormalizeKey("Jürgen  Schmidhuber") == "jurgen schmidhuber");
  CHECK(NormalizeKey("Jean-Luc Ségal") == "jean luc segal");
  CHECK(NormalizeKey("  Łukasz Kaiser ") == "lukasz kaiser");
  CHECK(NormalizeKey("Tsinghua University, Beijing.") == "tsinghua university beijing");
  CHECK(NormalizeKey("Žilina Ōsaka Ğ") == "zilina osaka g");
  CHECK(NormalizeKey("") == "");
  CHECK(NormalizeKey("--;;--") == "");
  // Non-Latin text is kept byte for byte.
  CHECK(NormalizeKey("清华大学") == "清华大学");
  CHECK(NormalizeKey("Université de Montréal") == NormalizeKey("universite de montreal"));
}

TEST_CASE("NormalizeKey's two-letter folds fit the input's size, into a reused buffer",
          "[util][text]") {
  // ß, Æ, Þ fold to two letters from two bytes; after a separator the space takes the
  // separator's byte. NormalizeKeyInto writes into a buffer of the input's size.
  CHECK(NormalizeKey("ß") == "ss");
  CHECK(NormalizeKey("a ß") == "a ss");
  CHECK(NormalizeKey("Æ-Þ,ß") == "ae th ss");
  CHECK(NormalizeKey("ÆÆÆ") == "aeaeae");
  CHECK(NormalizeKey(",ß,") == "ss");
  // A lone lead byte at the end, and bytes that are no Latin letter, are kept.
  CHECK(NormalizeKey("x\xC3") == "x\xC3");
  CHECK(NormalizeKey("\xC3\x97") == "\xC3\x97");  // U+00D7, the multiplication sign
  std::string buffer = "a much longer text held before, which must not show through";
  for (const char* s : {"Æ-Þ,ß", "", "Jürgen  Schmidhuber", "--;;--", "ß"}) {
    NormalizeKeyInto(s, &buffer);
    CHECK(buffer == NormalizeKey(s));
  }
}

TEST_CASE("SplitTrimmed keeps empty pieces and trims each", "[util][text]") {
  CHECK(SplitTrimmed("", ";").empty());
  CHECK(SplitTrimmed("a; b;;c ", ";") == std::vector<std::string_view>{"a", "b", "", "c"});
  CHECK(SplitTrimmed(";", ";") == std::vector<std::string_view>{"", ""});
  CHECK(SplitTrimmed("x + y+z", "+") == std::vector<std::string_view>{"x", "y", "z"});
}
