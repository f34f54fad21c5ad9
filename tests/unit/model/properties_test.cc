#include "model/properties.h"

#include <catch2/catch.hpp>

using namespace collabgraph::model;

TEST_CASE("Properties of every type round-trip through the value encoding", "[model][codec]") {
  Properties p;
  p.Set("title", std::string("Attention"));
  p.Set("year", int64_t{-2017});
  p.Set("big", int64_t{INT64_MIN});
  p.Set("score", 0.25);
  p.Set("oral", true);
  p.Set("ids", StringList{"a", "", std::string("\0b", 2)});
  p.Set("empty", std::string());
  const std::string bytes = EncodeProperties(p);
  Properties back;
  REQUIRE(DecodeProperties(bytes, &back));
  CHECK(back == p);
  CHECK(back.GetInt("year") == -2017);
  CHECK(back.GetInt("big") == INT64_MIN);
  CHECK(back.GetDouble("score") == 0.25);
  CHECK(back.GetBool("oral") == true);
  CHECK(back.GetString("title") == "Attention");
  REQUIRE(back.GetStringList("ids") != nullptr);
  CHECK(back.GetStringList("ids")->size() == 3);
  CHECK_FALSE(back.GetInt("title").has_value());
  CHECK(back.Find("missing") == nullptr);
}

TEST_CASE("Malformed property values are rejected", "[model][codec]") {
  Properties p;
  p.Set("a", int64_t{1});
  p.Set("b", std::string("text"));
  const std::string bytes = EncodeProperties(p);
  Properties back;
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    CHECK_FALSE(DecodeProperties(bytes.substr(0, cut), &back));
  }
  CHECK_FALSE(DecodeProperties(bytes + "x", &back));
  std::string bad_type = bytes;
  bad_type[3] = 9;  // the type tag of "a"
  CHECK_FALSE(DecodeProperties(bad_type, &back));
}

TEST_CASE("Properties keep names sorted and unique", "[model]") {
  Properties p;
  p.Set("z", int64_t{1});
  p.Set("a", int64_t{2});
  p.Set("z", int64_t{3});
  REQUIRE(p.entries().size() == 2);
  CHECK(p.entries()[0].first == "a");
  CHECK(p.GetInt("z") == 3);
  CHECK(p.Erase("a"));
  CHECK_FALSE(p.Erase("a"));
}
