#include "util/coding.h"

#include <cstring>

namespace collabgraph::util {

void PutFixed8(std::string* dst, uint8_t v) { dst->push_back(static_cast<char>(v)); }

void PutFixed16BE(std::string* dst, uint16_t v) {
  dst->push_back(static_cast<char>(v >> 8));
  dst->push_back(static_cast<char>(v & 0xFF));
}

void PutFixed32BE(std::string* dst, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    dst->push_back(static_cast<char>((v >> shift) & 0xFF));
  }
}

void PutFixed64BE(std::string* dst, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    dst->push_back(static_cast<char>((v >> shift) & 0xFF));
  }
}

void PutVarint64(std::string* dst, uint64_t v) {
  while (v >= 0x80) {
    dst->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  dst->push_back(static_cast<char>(v));
}

void PutLengthPrefixed(std::string* dst, std::string_view s) {
  PutVarint64(dst, s.size());
  dst->append(s.data(), s.size());
}

void PutOrderedString(std::string* dst, std::string_view s) {
  for (char c : s) {
    dst->push_back(c);
    if (c == '\0') dst->push_back('\xFF');
  }
  dst->push_back('\0');
  dst->push_back('\x01');
}

namespace {
template <typename T, int kBytes>
bool GetFixedBE(std::string_view* in, T* v) {
  if (in->size() < kBytes) return false;
  T out = 0;
  for (int i = 0; i < kBytes; ++i) {
    out = static_cast<T>((out << 8) | static_cast<uint8_t>((*in)[i]));
  }
  *v = out;
  in->remove_prefix(kBytes);
  return true;
}
}  // namespace

bool GetFixed8(std::string_view* in, uint8_t* v) { return GetFixedBE<uint8_t, 1>(in, v); }
bool GetFixed16BE(std::string_view* in, uint16_t* v) { return GetFixedBE<uint16_t, 2>(in, v); }
bool GetFixed32BE(std::string_view* in, uint32_t* v) { return GetFixedBE<uint32_t, 4>(in, v); }
bool GetFixed64BE(std::string_view* in, uint64_t* v) { return GetFixedBE<uint64_t, 8>(in, v); }

bool GetVarint64(std::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0, i = 0; shift <= 63 && i < static_cast<int>(in->size()); shift += 7, ++i) {
    const auto byte = static_cast<uint8_t>((*in)[i]);
    if (shift == 63 && byte > 1) return false;  // would overflow 64 bits
    result |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) {
      *v = result;
      in->remove_prefix(i + 1);
      return true;
    }
  }
  return false;
}

bool GetLengthPrefixed(std::string_view* in, std::string_view* s) {
  uint64_t len = 0;
  if (!GetVarint64(in, &len) || len > in->size()) return false;
  *s = in->substr(0, len);
  in->remove_prefix(len);
  return true;
}

bool GetOrderedString(std::string_view* in, std::string* s) {
  s->clear();
  for (size_t i = 0; i < in->size(); ++i) {
    const char c = (*in)[i];
    if (c != '\0') {
      s->push_back(c);
      continue;
    }
    if (i + 1 >= in->size()) return false;
    const char next = (*in)[i + 1];
    if (next == '\x01') {
      in->remove_prefix(i + 2);
      return true;
    }
    if (next != '\xFF') return false;
    s->push_back('\0');
    ++i;
  }
  return false;
}

uint64_t DoubleToBits(double d) {
  uint64_t bits = 0;
  std::memcpy(&bits, &d, sizeof bits);
  return bits;
}

double BitsToDouble(uint64_t bits) {
  double d = 0;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

}  // namespace collabgraph::util
