#include "util/hash.h"

#include <algorithm>
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

void StreamHash64::Update(std::string_view bytes) {
  if (bytes.empty()) return;  // (memcpy from an empty view's null data is undefined)
  size_ += bytes.size();
  if (pending_size_ > 0) {
    const size_t take = std::min(bytes.size(), sizeof pending_ - pending_size_);
    std::memcpy(pending_ + pending_size_, bytes.data(), take);
    pending_size_ += take;
    bytes.remove_prefix(take);
    if (pending_size_ < sizeof pending_) return;
    h_ = Mix(h_, LoadLittleEndian64(pending_));
    pending_size_ = 0;
  }
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) h_ = Mix(h_, LoadLittleEndian64(bytes.data() + i));
  pending_size_ = bytes.size() - i;
  if (pending_size_ > 0) std::memcpy(pending_, bytes.data() + i, pending_size_);
}

uint64_t StreamHash64::Finish() const {
  uint64_t tail = 0;
  for (size_t j = pending_size_; j > 0; --j)
    tail = (tail << 8) | static_cast<uint8_t>(pending_[j - 1]);
  uint64_t h = Mix(h_, tail);
  h = Mix(h, size_ * kMul);
  h ^= h >> 32;
  h *= kMul;
  return h ^ (h >> 31);
}

}  // namespace collabgraph::util
