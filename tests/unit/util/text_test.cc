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

TEST_CASE("SplitTrimmed keeps empty pieces and trims each", "[util][text]") {
  CHECK(SplitTrimmed("", ";").empty());
  CHECK(SplitTrimmed("a; b;;c ", ";") == std::vector<std::string_view>{"a", "b", "", "c"});
  CHECK(SplitTrimmed(";", ";") == std::vector<std::string_view>{"", ""});
  CHECK(SplitTrimmed("x + y+z", "+") == std::vector<std::string_view>{"x", "y", "z"});
}
