#include "ingest/json_scan.h"

#include <catch2/catch.hpp>

using collabgraph::ingest::FirstInvalidUtf8;
using collabgraph::ingest::ScanTopLevelArray;

TEST_CASE("ScanTopLevelArray finds the elements and where the text breaks", "[ingest][json]") {
  auto scan = ScanTopLevelArray(R"( [ {"a": "x,]}"}, [1, [2]], "s\"]", 7 ] )", 64);
  CHECK(scan.error.empty());
  REQUIRE(scan.elements.size() == 4);
  const std::string text = R"( [ {"a": "x,]}"}, [1, [2]], "s\"]", 7 ] )";
  auto element = [&](size_t i) {
    return text.substr(scan.elements[i].begin, scan.elements[i].end - scan.elements[i].begin);
  };
  scan = ScanTopLevelArray(text, 64);
  CHECK(element(0) == R"({"a": "x,]}"})");
  CHECK(element(1) == "[1, [2]]");
  CHECK(element(2) == R"("s\"]")");
  CHECK(element(3) == "7");

  CHECK(ScanTopLevelArray("[]", 64).elements.empty());
  CHECK(ScanTopLevelArray("[]", 64).error.empty());
  CHECK(ScanTopLevelArray("", 64).error == "empty file");
  CHECK(ScanTopLevelArray("{}", 64).error.starts_with("expected '['"));

  const auto cut = ScanTopLevelArray(R"([{"a": 1}, {"b": "cut)", 64);
  REQUIRE(cut.elements.size() == 1);
  CHECK(cut.error.find("truncated") != std::string::npos);

  const auto junk = ScanTopLevelArray(R"([{"a": 1} {"b": 2}])", 64);
  REQUIRE(junk.elements.size() == 1);
  CHECK(junk.error_offset == 10);

  const auto deep = ScanTopLevelArray(R"([{"a": [[[1]]]}, {"b": 2}])", 3);
  REQUIRE(deep.elements.size() == 2);
  CHECK(deep.elements[0].too_deep_at == 9);
  CHECK(deep.elements[1].too_deep_at == std::string_view::npos);
}

TEST_CASE("FirstInvalidUtf8", "[ingest][json]") {
  CHECK(FirstInvalidUtf8("plain ascii") == std::string_view::npos);
  CHECK(FirstInvalidUtf8("caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80") == std::string_view::npos);
  CHECK(FirstInvalidUtf8("caf\xC3(") == 3);        // bad continuation
  CHECK(FirstInvalidUtf8("ab\xC0\x80") == 2);      // overlong
  CHECK(FirstInvalidUtf8("ab\xED\xA0\x80") == 2);  // surrogate
  CHECK(FirstInvalidUtf8("abc\xE4\xB8") == 3);     // cut short
  CHECK(FirstInvalidUtf8("\xFF") == 0);
}
