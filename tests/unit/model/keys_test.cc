#include "model/keys.h"

#include <catch2/catch.hpp>

using namespace collabgraph::model;

TEST_CASE("KeyCodec orders node keys by label, then numeric id", "[model][codec]") {
  CHECK(NodeKey(Label::kPaper, 1) < NodeKey(Label::kPaper, 2));
  CHECK(NodeKey(Label::kPaper, 255) < NodeKey(Label::kPaper, 256));
  CHECK(NodeKey(Label::kPaper, UINT64_MAX) < NodeKey(Label::kAuthor, 0));
  CHECK(NodeKey(Label::kAuthor, 7).rfind(NodePrefix(Label::kAuthor), 0) == 0);
  Label label{};
  NodeId id = 0;
  REQUIRE(DecodeNodeKey(NodeKey(Label::kInstitution, 0x1234567890ull), &label, &id));
  CHECK(label == Label::kInstitution);
  CHECK(id == 0x1234567890ull);
  CHECK_FALSE(DecodeNodeKey(NodeKey(Label::kPaper, 1) + "x", &label, &id));
  CHECK_FALSE(
      DecodeNodeKey(std::string("\x00", 1) + NodeKey(Label::kPaper, 1).substr(1), &label, &id));
}

TEST_CASE("KeyCodec round-trips edge keys and groups them by key vertex", "[model][codec]") {
  const EdgeKeyParts parts{EdgeType::kAffiliated, Direction::kIn, 42, 7, 3};
  const std::string key = EdgeKey(parts);
  CHECK(key.size() == 22);
  EdgeKeyParts back{};
  REQUIRE(DecodeEdgeKey(key, &back));
  CHECK(back.type == parts.type);
  CHECK(back.dir == parts.dir);
  CHECK(back.a == 42);
  CHECK(back.b == 7);
  CHECK(back.rank == 3);
  CHECK(key.rfind(EdgePrefix(EdgeType::kAffiliated, Direction::kIn, 42), 0) == 0);
  CHECK(key.rfind(EdgePrefix(EdgeType::kAffiliated, Direction::kIn, 43), 0) != 0);
  CHECK_FALSE(DecodeEdgeKey(key.substr(0, 21), &back));
  std::string bad_dir = key;
  bad_dir[1] = 9;
  CHECK_FALSE(DecodeEdgeKey(bad_dir, &back));
}

TEST_CASE("Index keys with separator bytes in names cannot collide", "[model][codec]") {
  // With a plain separator, ("a\0b", "") and ("a", "b") could give the same bytes.
  CHECK(InstitutionIndexKey(std::string("a\0b", 3), "") != InstitutionIndexKey("a", "b"));
  CHECK(PaperSourceIndexKey("nips", 2016, "x") != PaperSourceIndexKey("nips2", 16, "x"));
  CHECK(PaperSourceIndexKey("nips", 2015, "z") < PaperSourceIndexKey("nips", 2016, "a"));
  CHECK(PaperByYearKey(1999, 5) < PaperByYearKey(2000, 1));
  CHECK(StringIndexKey(IndexKind::kAuthorKey, "x") != StringIndexKey(IndexKind::kVenueName, "x"));
}
