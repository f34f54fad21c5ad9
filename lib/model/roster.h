#pragma once

// Paper rosters (column family "rosters", format 3): every authorship of a paper, packed, so that
// traversals and country statistics read a few bytes per paper instead of one key per AUTHORED
// and AFFILIATED edge. A roster is derived data: exactly the (rank, author) pairs of the
// paper's AUTHORED in records and the (rank, institution) pairs of its AFFILIATED out records.
// The rosters of 64 consecutive paper ids share one record (a chunk), which makes a scan over
// every paper cost one RocksDB step per 64 papers. The Writer keeps the chunks in the same
// batch as the edges; `check` verifies them (invariant `roster`). docs/format.md gives the bytes.

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "model/schema.h"
#include "util/coding.h"

namespace collabgraph::model {

struct Roster {
  // (position, node id), ascending; a pair appears at most once (it is an edge key).
  std::vector<std::pair<uint32_t, NodeId>> authors;
  std::vector<std::pair<uint32_t, NodeId>> institutions;
};

// Papers id >> kRosterChunkBits share a chunk: 64 ids, one word of a bit set of ids.
inline constexpr int kRosterChunkBits = 6;
inline NodeId RosterChunkOf(NodeId paper) { return paper >> kRosterChunkBits; }

// rosters: [chunk u64be]
std::string RosterChunkKey(NodeId chunk);
// The chunk number of a rosters key; false when `key` is not one.
bool DecodeRosterChunkKey(std::string_view key, NodeId* chunk);

// Sorts and de-duplicates the pairs, then encodes one paper's roster:
//   n:varint m:varint author_bytes:varint (position:varint author:varint){n}
//   (position:varint institution:varint){m}
// where author_bytes is the length of the author pairs (so that a reader can skip them).
std::string EncodeRoster(Roster roster);
// False when the value does not decode, has trailing bytes, or its pairs are not strictly
// ascending.
bool DecodeRoster(std::string_view value, Roster* roster);

// The encoded rosters of the papers of one chunk, ascending by paper id.
using RosterChunk = std::vector<std::pair<NodeId, std::string>>;
// A chunk record: count:varint (offset:u8 length:varint roster){count}, offset = paper id & 63,
// strictly ascending. Every paper must belong to one chunk.
std::string EncodeRosterChunk(const RosterChunk& papers);
// False when the record does not decode (the rosters inside are not decoded).
bool DecodeRosterChunk(NodeId chunk, std::string_view value, RosterChunk* papers);

namespace roster_internal {
// LEB128 as util::GetVarint64, inline: a scan over every roster decodes tens of millions.
inline bool ReadVarint(const char** p, const char* end, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift <= 63 && *p < end; shift += 7) {
    const auto byte = static_cast<uint8_t>(*(*p)++);
    if (shift == 63 && byte > 1) return false;  // would overflow 64 bits
    result |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if (byte < 0x80) {
      *v = result;
      return true;
    }
  }
  return false;
}
}  // namespace roster_internal

// Pass as a callback of ForEachInRoster to skip that list without decoding it.
struct SkipPairs {
  void operator()(uint32_t /*position*/, NodeId /*id*/) const {}
};

// Calls author(position, id) then institution(position, id) for every pair of an encoded
// roster without allocating (for scans over every paper); false when it does not decode. A
// SkipPairs callback skips its list undecoded (and unchecked): the author list by its byte
// length, the institution list by stopping there.
template <typename AuthorFn, typename InstitutionFn>
bool ForEachInRoster(std::string_view value, AuthorFn&& author, InstitutionFn&& institution) {
  using roster_internal::ReadVarint;
  const char* p = value.data();
  const char* const end = p + value.size();
  uint64_t n = 0;
  uint64_t m = 0;
  uint64_t author_bytes = 0;
  if (!ReadVarint(&p, end, &n) || !ReadVarint(&p, end, &m) || !ReadVarint(&p, end, &author_bytes) ||
      author_bytes > static_cast<uint64_t>(end - p)) {
    return false;
  }
  auto pairs = [&](uint64_t count, const char* stop, auto&& fn) {
    for (uint64_t i = 0; i < count; ++i) {
      uint64_t position = 0;
      uint64_t id = 0;
      if (!ReadVarint(&p, stop, &position) || !ReadVarint(&p, stop, &id) || position > UINT32_MAX) {
        return false;
      }
      fn(static_cast<uint32_t>(position), id);
    }
    return p == stop;
  };
  const char* const authors_end = p + author_bytes;
  if constexpr (std::is_same_v<std::decay_t<AuthorFn>, SkipPairs>) {
    p = authors_end;
  } else if (!pairs(n, authors_end, author)) {
    return false;
  }
  if constexpr (std::is_same_v<std::decay_t<InstitutionFn>, SkipPairs>) {
    return true;
  } else {
    return pairs(m, end, institution);
  }
}

// Calls fn(paper, encoded roster) for every paper of a chunk record, ascending, without
// decoding the rosters; false when the record does not decode.
template <typename Fn>
bool ForEachInChunk(NodeId chunk, std::string_view value, Fn&& fn) {
  const char* p = value.data();
  const char* const end = p + value.size();
  uint64_t count = 0;
  if (!roster_internal::ReadVarint(&p, end, &count) || count > 64) return false;
  int previous = -1;
  for (uint64_t i = 0; i < count; ++i) {
    if (p == end) return false;
    const int offset = static_cast<uint8_t>(*p++);
    uint64_t length = 0;
    if (offset <= previous || offset >= 64 || !roster_internal::ReadVarint(&p, end, &length) ||
        length > static_cast<uint64_t>(end - p)) {
      return false;
    }
    previous = offset;
    fn((chunk << kRosterChunkBits) | static_cast<NodeId>(offset),
       std::string_view(p, static_cast<size_t>(length)));
    p += length;
  }
  return p == end;
}

}  // namespace collabgraph::model
