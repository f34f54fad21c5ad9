// libFuzzer target: the property value codec of lib/model/properties.h (docs/format.md,
// "Property values"). Raw input through DecodeProperties never reads out of bounds, and what
// it accepts re-encodes to bytes that decode to the same properties; properties built from
// the input round-trip exactly (compared by their encodings, so NaN doubles count as equal).

#include <cstddef>
#include <cstdint>
#include <string>

#include <fuzzer/FuzzedDataProvider.h>

#include "fuzz_util.h"
#include "model/properties.h"

using namespace collabgraph;
using namespace collabgraph::model;

namespace {

void Raw(std::string_view raw) {
  Properties decoded;
  if (!DecodeProperties(raw, &decoded)) return;
  const std::string encoded = EncodeProperties(decoded);
  Properties again;
  FUZZ_CHECK(DecodeProperties(encoded, &again));
  FUZZ_CHECK(EncodeProperties(again) == encoded);
  FUZZ_CHECK(again.entries().size() == decoded.entries().size());
}

void Structured(FuzzedDataProvider& in) {
  Properties props;
  const size_t n = in.ConsumeIntegralInRange<size_t>(0, 8);
  for (size_t i = 0; i < n && in.remaining_bytes() > 0; ++i) {
    std::string name = in.ConsumeRandomLengthString(8);
    switch (in.ConsumeIntegralInRange<int>(0, 4)) {
      case 0:
        props.Set(std::move(name), in.ConsumeIntegral<int64_t>());
        break;
      case 1:
        props.Set(std::move(name), in.ConsumeFloatingPoint<double>());
        break;
      case 2:
        props.Set(std::move(name), in.ConsumeRandomLengthString(32));
        break;
      case 3:
        props.Set(std::move(name), in.ConsumeBool());
        break;
      default: {
        StringList list(in.ConsumeIntegralInRange<size_t>(0, 4));
        for (auto& s : list) s = in.ConsumeRandomLengthString(8);
        props.Set(std::move(name), std::move(list));
        break;
      }
    }
  }
  const std::string encoded = EncodeProperties(props);
  Properties decoded;
  FUZZ_CHECK(DecodeProperties(encoded, &decoded));
  FUZZ_CHECK(EncodeProperties(decoded) == encoded);
  FUZZ_CHECK(decoded.entries().size() == props.entries().size());
  // Every proper prefix of a valid encoding is rejected (values are self-delimiting).
  if (!encoded.empty()) {
    const size_t cut = in.ConsumeIntegralInRange<size_t>(0, encoded.size() - 1);
    FUZZ_CHECK(!DecodeProperties(std::string_view(encoded).substr(0, cut), &decoded));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Raw(std::string_view(reinterpret_cast<const char*>(data), size));
  FuzzedDataProvider in(data, size);
  Structured(in);
  return 0;
}
