#pragma once

// Shared checks of the reader fuzz targets. A failed check is a finding: it prints what broke
// and aborts, which libFuzzer reports as a crash and saves the input.

#include <cstdio>
#include <cstdlib>
#include <string>

#include "ingest/paperlists_reader.h"
#include "model/properties.h"

#define FUZZ_CHECK(cond)                                                                 \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (false)

namespace collabgraph::fuzz {

// What every paper a reader produces must satisfy, whatever the input: an identity (venue,
// year in the range keys can order, source id) and properties that survive the value codec.
inline void CheckParsedFile(const ingest::ParsedFile& file) {
  for (const model::PaperInput& p : file.papers) {
    FUZZ_CHECK(!p.venue.empty());
    FUZZ_CHECK(p.year >= 1000 && p.year <= 9999);
    FUZZ_CHECK(!p.source_id.empty());
    const std::string encoded = model::EncodeProperties(p.props);
    model::Properties decoded;
    FUZZ_CHECK(model::DecodeProperties(encoded, &decoded));
    FUZZ_CHECK(model::EncodeProperties(decoded) == encoded);
  }
}

}  // namespace collabgraph::fuzz
