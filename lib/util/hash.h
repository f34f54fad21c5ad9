#pragma once

#include <cstdint>
#include <string_view>

namespace collabgraph::util {

// A fast, deterministic 64-bit hash of bytes (the same value on every run and platform), for
// identifying input files. Not cryptographic. Reads 8 bytes at a time as little-endian words.
uint64_t Hash64(std::string_view bytes);

}  // namespace collabgraph::util
