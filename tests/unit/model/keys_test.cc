#include "model/keys.h"

#include <catch2/catch.hpp>

#include "model/roster.h"

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

TEST_CASE("Rosters round-trip sorted and refuse malformed values", "[model][codec]") {
  Roster r;
  r.authors = {{1, 300}, {0, 7}, {1, 300}};  // unsorted, with a repeat
  r.institutions = {{0, 70000}, {0, 5}};
  const std::string value = EncodeRoster(r);
  Roster back;
  REQUIRE(DecodeRoster(value, &back));
  CHECK(back.authors == std::vector<std::pair<uint32_t, NodeId>>{{0, 7}, {1, 300}});
  CHECK(back.institutions == std::vector<std::pair<uint32_t, NodeId>>{{0, 5}, {0, 70000}});
  CHECK(DecodeRoster(EncodeRoster({}), &back));
  CHECK(back.authors.empty());
  CHECK_FALSE(DecodeRoster(value + "x", &back));                        // trailing byte
  CHECK_FALSE(DecodeRoster(value.substr(0, value.size() - 1), &back));  // cut short
  std::string unsorted;  // one author pair, then the same pair again
  for (int v : {2, 0, 4, 0, 7, 0, 7}) unsorted.push_back(static_cast<char>(v));
  CHECK_FALSE(DecodeRoster(unsorted, &back));
  unsorted[5] = 8;  // (0,7) (0,8): ascending, accepted
  CHECK(DecodeRoster(unsorted, &back));
  // A reader that skips the authors still finds the institutions.
  std::vector<NodeId> insts;
  REQUIRE(ForEachInRoster(value, SkipPairs(), [&](uint32_t, NodeId id) { insts.push_back(id); }));
  CHECK(insts == std::vector<NodeId>{5, 70000});
  NodeId chunk = 0;
  REQUIRE(DecodeRosterChunkKey(RosterChunkKey(42), &chunk));
  CHECK(chunk == 42);
  CHECK(RosterChunkKey(41) < RosterChunkKey(42));
  CHECK(RosterChunkKey(1) < RosterChunkKey(256));
  CHECK_FALSE(DecodeRosterChunkKey(PaperByYearKey(2000, 1), &chunk));
  CHECK(RosterChunkOf(63) == 0);
  CHECK(RosterChunkOf(64) == 1);
}

TEST_CASE("Roster chunks hold the rosters of 64 paper ids in id order", "[model][codec]") {
  const RosterChunk papers = {{128, EncodeRoster({{{0, 9}}, {}})},
                              {130, EncodeRoster({})},
                              {191, EncodeRoster({{{0, 1}, {1, 2}}, {{1, 5}}})}};
  const std::string value = EncodeRosterChunk(papers);
  RosterChunk back;
  REQUIRE(DecodeRosterChunk(2, value, &back));
  CHECK(back == papers);
  // The same bytes under another chunk number name other papers.
  REQUIRE(DecodeRosterChunk(3, value, &back));
  CHECK(back.front().first == 192);
  CHECK_FALSE(DecodeRosterChunk(2, value + "x", &back));
  CHECK_FALSE(DecodeRosterChunk(2, value.substr(0, value.size() - 1), &back));
  // Offsets must ascend: the same paper twice is refused.
  CHECK_FALSE(DecodeRosterChunk(2, EncodeRosterChunk({papers[0], papers[0]}), &back));
}
