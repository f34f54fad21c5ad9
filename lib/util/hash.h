#pragma once

#include <cstdint>
#include <string_view>

namespace collabgraph::util {

// A fast, deterministic 64-bit hash of bytes (the same value on every run and platform), for
// identifying input files. Not cryptographic. Reads 8 bytes at a time as little-endian words.
uint64_t Hash64(std::string_view bytes);

// A 64-bit hash of bytes given in pieces (a file read as a stream): the same value for the
// same bytes however they are split. Not equal to Hash64 of the same bytes (Hash64 mixes the
// length in first, a stream only knows it at the end).
class StreamHash64 {
 public:
  void Update(std::string_view bytes);
  uint64_t Finish() const;

 private:
  uint64_t h_ = 0x243F6A8885A308D3ull;
  uint64_t size_ = 0;
  char pending_[8] = {};
  size_t pending_size_ = 0;
};

}  // namespace collabgraph::util
