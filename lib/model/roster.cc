#include "model/roster.h"

#include <algorithm>

namespace collabgraph::model {

std::string RosterChunkKey(NodeId chunk) {
  std::string k;
  util::PutFixed64BE(&k, chunk);
  return k;
}

bool DecodeRosterChunkKey(std::string_view key, NodeId* chunk) {
  return util::GetFixed64BE(&key, chunk) && key.empty() &&
         *chunk <= (UINT64_MAX >> kRosterChunkBits);
}

std::string EncodeRosterChunk(const RosterChunk& papers) {
  std::string v;
  util::PutVarint64(&v, papers.size());
  for (const auto& [paper, roster] : papers) {
    util::PutFixed8(&v, static_cast<uint8_t>(paper & ((NodeId{1} << kRosterChunkBits) - 1)));
    util::PutLengthPrefixed(&v, roster);
  }
  return v;
}

bool DecodeRosterChunk(NodeId chunk, std::string_view value, RosterChunk* papers) {
  papers->clear();
  return ForEachInChunk(chunk, value, [&](NodeId paper, std::string_view roster) {
    papers->emplace_back(paper, std::string(roster));
  });
}

std::string EncodeRoster(Roster roster) {
  std::string authors;
  std::string institutions;
  for (auto [pairs, out] :
       {std::pair{&roster.authors, &authors}, std::pair{&roster.institutions, &institutions}}) {
    std::sort(pairs->begin(), pairs->end());
    pairs->erase(std::unique(pairs->begin(), pairs->end()), pairs->end());
    for (const auto& [position, id] : *pairs) {
      util::PutVarint64(out, position);
      util::PutVarint64(out, id);
    }
  }
  std::string v;
  util::PutVarint64(&v, roster.authors.size());
  util::PutVarint64(&v, roster.institutions.size());
  util::PutVarint64(&v, authors.size());
  return v + authors + institutions;
}

bool DecodeRoster(std::string_view value, Roster* roster) {
  roster->authors.clear();
  roster->institutions.clear();
  if (!ForEachInRoster(
          value, [&](uint32_t position, NodeId id) { roster->authors.emplace_back(position, id); },
          [&](uint32_t position, NodeId id) { roster->institutions.emplace_back(position, id); })) {
    return false;
  }
  for (const auto* pairs : {&roster->authors, &roster->institutions}) {
    if (std::adjacent_find(pairs->begin(), pairs->end(),
                           [](const auto& x, const auto& y) { return !(x < y); }) != pairs->end()) {
      return false;
    }
  }
  return true;
}

}  // namespace collabgraph::model
