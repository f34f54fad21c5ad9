#include "util/hash.h"

#include <string>

#include <catch2/catch.hpp>

using collabgraph::util::Hash64;
using collabgraph::util::StreamHash64;

TEST_CASE("StreamHash64 gives the same value however the bytes are split", "[util][hash]") {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += static_cast<char>((i * 131 + 7) % 256);
  StreamHash64 whole;
  whole.Update(text);
  for (size_t step : {1, 3, 7, 8, 9, 64, 999}) {
    StreamHash64 pieces;
    for (size_t at = 0; at < text.size(); at += step) pieces.Update(text.substr(at, step));
    pieces.Update("");
    INFO("step " << step);
    CHECK(pieces.Finish() == whole.Finish());
  }
  // Different bytes, or the same bytes with a different length, hash differently.
  StreamHash64 shorter;
  shorter.Update(text.substr(0, 999));
  CHECK(shorter.Finish() != whole.Finish());
  StreamHash64 zero_padded;
  zero_padded.Update(text.substr(0, 999) + std::string(1, '\0'));
  StreamHash64 zero_padded2;
  zero_padded2.Update(text.substr(0, 999) + std::string(2, '\0'));
  CHECK(zero_padded.Finish() != zero_padded2.Finish());
  CHECK(StreamHash64().Finish() != whole.Finish());
  // A different function from Hash64 (documented): the stream mixes the length in last.
  CHECK(whole.Finish() != Hash64(text));
}
