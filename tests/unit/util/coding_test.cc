#include "util/coding.h"

#include <limits>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

using namespace collabgraph::util;

TEST_CASE("Fixed-width big-endian integers order bytewise like their values", "[util][coding]") {
  const std::vector<uint64_t> values = {0,
                                        1,
                                        255,
                                        256,
                                        65535,
                                        1ull << 32,
                                        0x0102030405060708ull,
                                        std::numeric_limits<uint64_t>::max()};
  for (size_t i = 0; i + 1 < values.size(); ++i) {
    std::string a, b;
    PutFixed64BE(&a, values[i]);
    PutFixed64BE(&b, values[i + 1]);
    CHECK(a < b);
    std::string_view in(a);
    uint64_t back = 0;
    REQUIRE(GetFixed64BE(&in, &back));
    CHECK(back == values[i]);
    CHECK(in.empty());
  }
  std::string s;
  PutFixed16BE(&s, 0x0102);
  PutFixed32BE(&s, 0x03040506);
  CHECK(s == std::string("\x01\x02\x03\x04\x05\x06", 6));
}

TEST_CASE("Varints round-trip and reject truncated or overlong input", "[util][coding]") {
  for (uint64_t v : {uint64_t{0}, uint64_t{127}, uint64_t{128}, uint64_t{300}, uint64_t{1} << 63,
                     std::numeric_limits<uint64_t>::max()}) {
    std::string s;
    PutVarint64(&s, v);
    std::string_view in(s);
    uint64_t back = 0;
    REQUIRE(GetVarint64(&in, &back));
    CHECK(back == v);
    CHECK(in.empty());
    std::string_view truncated(s.data(), s.size() - 1);
    CHECK_FALSE(GetVarint64(&truncated, &back));
  }
  std::string overlong(10, '\xFF');
  overlong.push_back('\x01');
  std::string_view in(overlong);
  uint64_t v = 0;
  CHECK_FALSE(GetVarint64(&in, &v));
}

TEST_CASE("Length-prefixed strings reject lengths beyond the input", "[util][coding]") {
  std::string s;
  PutLengthPrefixed(&s, "hello");
  std::string_view in(s);
  std::string_view out;
  REQUIRE(GetLengthPrefixed(&in, &out));
  CHECK(out == "hello");
  std::string bad;
  PutVarint64(&bad, 10);
  bad += "abc";
  std::string_view bad_in(bad);
  CHECK_FALSE(GetLengthPrefixed(&bad_in, &out));
}

TEST_CASE("Ordered strings are injective and order-preserving, separators included",
          "[util][coding]") {
  // Pairs that would collide or misorder with a plain separator byte.
  const std::vector<std::string> strings = {
      std::string(""),   std::string("\0", 1),  std::string("\0\0", 2), std::string("\0\x01", 2),
      std::string("a"),  std::string("a\0", 2), std::string("a\0b", 3), std::string("a\x01"),
      std::string("ab"), std::string("b"),      std::string("\xFF")};
  for (size_t i = 0; i < strings.size(); ++i) {
    std::string ei;
    PutOrderedString(&ei, strings[i]);
    ei += "tail";  // something after the string must not change the decoding
    std::string_view in(ei);
    std::string back;
    REQUIRE(GetOrderedString(&in, &back));
    CHECK(back == strings[i]);
    CHECK(in == "tail");
    for (size_t j = 0; j < strings.size(); ++j) {
      std::string a, b;
      PutOrderedString(&a, strings[i]);
      PutOrderedString(&b, strings[j]);
      CHECK((a < b) == (strings[i] < strings[j]));
      CHECK((a == b) == (i == j));
    }
  }
  // Two-field keys: ("a\0", "b") and ("a", "\0b") must differ.
  std::string k1, k2;
  PutOrderedString(&k1, std::string("a\0", 2));
  PutOrderedString(&k1, "b");
  PutOrderedString(&k2, "a");
  PutOrderedString(&k2, std::string("\0b", 2));
  CHECK(k1 != k2);
}

TEST_CASE("Ordered string decoding rejects malformed escapes", "[util][coding]") {
  std::string back;
  for (const std::string& bad :
       {std::string("abc"), std::string("a\0", 2), std::string("a\0\x02", 3)}) {
    std::string_view in(bad);
    CHECK_FALSE(GetOrderedString(&in, &back));
  }
}

TEST_CASE("Doubles convert to bits and back exactly", "[util][coding]") {
  for (double d : {0.0, -0.0, 1.5, -3.25e300, std::numeric_limits<double>::denorm_min()}) {
    CHECK(BitsToDouble(DoubleToBits(d)) == d);
  }
}
