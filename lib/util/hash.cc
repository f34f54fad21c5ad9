#include "util/hash.h"

#include <cstring>

namespace collabgraph::util {

namespace {
constexpr uint64_t kMul = 0x9E3779B97F4A7C15ull;

uint64_t LoadLittleEndian64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

uint64_t Mix(uint64_t h, uint64_t word) {
  h ^= word;
  h *= kMul;
  return h ^ (h >> 29);
}
}  // namespace

uint64_t Hash64(std::string_view bytes) {
  uint64_t h = 0x243F6A8885A308D3ull ^ (bytes.size() * kMul);
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) h = Mix(h, LoadLittleEndian64(bytes.data() + i));
  uint64_t tail = 0;
  for (size_t j = bytes.size(); j > i; --j) tail = (tail << 8) | static_cast<uint8_t>(bytes[j - 1]);
  h = Mix(h, tail);
  h ^= h >> 32;
  h *= kMul;
  return h ^ (h >> 31);
}

}  // namespace collabgraph::util
