#pragma once

// Byte-level encodings used by the storage format (docs/format.md is normative):
// fixed-width big-endian integers for keys (byte order equals numeric order), LEB128 varints
// and length-prefixed strings for values, and an order-preserving escaped string encoding for
// keys.

#include <cstdint>
#include <string>
#include <string_view>

namespace collabgraph::util {

void PutFixed8(std::string* dst, uint8_t v);
void PutFixed16BE(std::string* dst, uint16_t v);
void PutFixed32BE(std::string* dst, uint32_t v);
void PutFixed64BE(std::string* dst, uint64_t v);
void PutVarint64(std::string* dst, uint64_t v);
// Varint length followed by the bytes.
void PutLengthPrefixed(std::string* dst, std::string_view s);
// Order-preserving, self-delimiting encoding for strings inside keys: every 0x00 byte becomes
// 0x00 0xFF and the string ends with 0x00 0x01. Distinct strings give distinct encodings and
// bytewise order of encodings equals bytewise order of the strings, so no name can make two
// keys collide whatever bytes it holds.
void PutOrderedString(std::string* dst, std::string_view s);

// Decoders consume from the front of `in` and return false when the input is too short or
// malformed; `in` is then left unspecified.
bool GetFixed8(std::string_view* in, uint8_t* v);
bool GetFixed16BE(std::string_view* in, uint16_t* v);
bool GetFixed32BE(std::string_view* in, uint32_t* v);
bool GetFixed64BE(std::string_view* in, uint64_t* v);
bool GetVarint64(std::string_view* in, uint64_t* v);
bool GetLengthPrefixed(std::string_view* in, std::string_view* s);
bool GetOrderedString(std::string_view* in, std::string* s);

// Bit-exact double <-> uint64 (IEEE 754), for values.
uint64_t DoubleToBits(double d);
double BitsToDouble(uint64_t bits);

}  // namespace collabgraph::util
