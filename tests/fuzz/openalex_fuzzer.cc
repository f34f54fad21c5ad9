// libFuzzer target: OpenAlex works as JSON Lines through ingest::ParseOpenAlex, strict and
// with skip_bad. Never a crash or sanitizer report; what the strict reader accepts, the
// lenient one accepts alike; every paper is well formed.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_util.h"
#include "ingest/openalex_reader.h"

using namespace collabgraph;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  ingest::ReadOptions options;
  options.max_field_bytes = 256;
  options.max_record_bytes = 8192;
  options.max_authors = 16;
  options.max_depth = 16;
  const auto strict = ingest::ParseOpenAlex("fuzz/works.jsonl", text, options);
  if (strict.ok()) fuzz::CheckParsedFile(*strict);
  options.skip_bad = true;
  const auto lenient = ingest::ParseOpenAlex("fuzz/works.jsonl", text, options);
  if (lenient.ok()) fuzz::CheckParsedFile(*lenient);
  if (strict.ok()) {
    FUZZ_CHECK(lenient.ok());
    FUZZ_CHECK(lenient->skipped == 0);
    FUZZ_CHECK(lenient->papers.size() == strict->papers.size());
  }
  return 0;
}
