// libFuzzer target: the key codec of lib/model/keys.h (docs/format.md, "Keys").
// From the input it builds two logical keys of one family (node, edge, each index kind,
// counters, resume markers) and checks that
//   - a valid key round-trips: the decoders give back the logical parts;
//   - byte order equals logical order: memcmp of the encodings has the sign of the comparison
//     of the (label, id, string, ...) tuples, strings compared bytewise;
//   - prefixes are exact: a key's prefix for its own parts is a prefix of it, and the prefix
//     for another name is not (so a prefix scan never returns another name's keys);
// and it runs the decoders on the raw input: they never read out of bounds, and what they
// accept is canonical (encoding the decoded parts gives the input back).

#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>

#include <fuzzer/FuzzedDataProvider.h>

#include "fuzz_util.h"
#include "model/keys.h"
#include "util/coding.h"

using namespace collabgraph;
using namespace collabgraph::model;

namespace {

template <typename T>
int Sign(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

int ByteSign(const std::string& a, const std::string& b) {
  const int c = a.compare(b);  // std::char_traits<char>::compare orders as unsigned char
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

// Strings that often share prefixes and hold the escape bytes 0x00, 0x01 and 0xFF.
std::string SomeString(FuzzedDataProvider& in) {
  static constexpr char kAlphabet[] = {'\0', '\x01', '\xff', 'a', 'b'};
  if (in.ConsumeBool()) return in.ConsumeRandomLengthString(12);
  std::string s(in.ConsumeIntegralInRange<size_t>(0, 6), 'a');
  for (char& c : s) c = kAlphabet[in.ConsumeIntegralInRange<size_t>(0, sizeof kAlphabet - 1)];
  return s;
}

// Reads ordered strings back from `key` after its one-byte tag, checking each and the end.
void CheckStrings(std::string_view key, std::initializer_list<std::string_view> want,
                  size_t fixed_tail = 0) {
  key.remove_prefix(1);
  for (std::string_view w : want) {
    std::string got;
    FUZZ_CHECK(util::GetOrderedString(&key, &got));
    FUZZ_CHECK(got == w);
  }
  FUZZ_CHECK(key.size() == fixed_tail);
}

uint64_t SomeId(FuzzedDataProvider& in) {
  // Mostly small ids that collide, sometimes any 64-bit value.
  return in.ConsumeBool() ? in.ConsumeIntegralInRange<uint64_t>(0, 3)
                          : in.ConsumeIntegral<uint64_t>();
}

void StructuredKeys(FuzzedDataProvider& in) {
  const int family = in.ConsumeIntegralInRange<int>(0, 10);
  std::string ka, kb;
  int logical = 0;
  switch (family) {
    case 0: {  // nodes: (label, id)
      const auto la = static_cast<Label>(in.ConsumeIntegralInRange<int>(1, 6));
      const auto lb = static_cast<Label>(in.ConsumeIntegralInRange<int>(1, 6));
      const NodeId ia = SomeId(in), ib = SomeId(in);
      ka = NodeKey(la, ia);
      kb = NodeKey(lb, ib);
      Label l{};
      NodeId id = 0;
      FUZZ_CHECK(DecodeNodeKey(ka, &l, &id) && l == la && id == ia);
      FUZZ_CHECK(ka.starts_with(NodePrefix(la)));
      logical = Sign(std::tuple(static_cast<int>(la), ia), std::tuple(static_cast<int>(lb), ib));
      break;
    }
    case 1: {  // edges: (type, direction, a, b, rank)
      auto parts = [&] {
        EdgeKeyParts p{};
        p.type = static_cast<EdgeType>(in.ConsumeIntegralInRange<int>(1, 6));
        p.dir = in.ConsumeBool() ? Direction::kOut : Direction::kIn;
        p.a = SomeId(in);
        p.b = SomeId(in);
        p.rank = in.ConsumeBool() ? in.ConsumeIntegralInRange<uint32_t>(0, 2)
                                  : in.ConsumeIntegral<uint32_t>();
        return p;
      };
      const EdgeKeyParts pa = parts(), pb = parts();
      ka = EdgeKey(pa);
      kb = EdgeKey(pb);
      EdgeKeyParts got{};
      FUZZ_CHECK(DecodeEdgeKey(ka, &got));
      FUZZ_CHECK(got.type == pa.type && got.dir == pa.dir && got.a == pa.a && got.b == pa.b &&
                 got.rank == pa.rank);
      FUZZ_CHECK(ka.starts_with(EdgePrefix(pa.type, pa.dir, pa.a)));
      FUZZ_CHECK(ka.starts_with(EdgePrefix(pa.type, pa.dir)));
      auto tuple = [](const EdgeKeyParts& p) {
        return std::tuple(static_cast<int>(p.type), static_cast<int>(p.dir), p.a, p.b, p.rank);
      };
      logical = Sign(tuple(pa), tuple(pb));
      break;
    }
    case 2: {  // paper source index: (venue, year, source id)
      const std::string va = SomeString(in), vb = SomeString(in);
      const int ya = in.ConsumeIntegralInRange<int>(1000, 9999);
      const int yb = in.ConsumeBool() ? ya : in.ConsumeIntegralInRange<int>(1000, 9999);
      const std::string sa = SomeString(in), sb = SomeString(in);
      ka = PaperSourceIndexKey(va, ya, sa);
      kb = PaperSourceIndexKey(vb, yb, sb);
      std::string_view rest(ka);
      rest.remove_prefix(1);
      std::string venue, source;
      uint16_t year = 0;
      FUZZ_CHECK(util::GetOrderedString(&rest, &venue) && venue == va);
      FUZZ_CHECK(util::GetFixed16BE(&rest, &year) && year == ya);
      FUZZ_CHECK(util::GetOrderedString(&rest, &source) && source == sa && rest.empty());
      logical = Sign(std::tuple(va, ya, sa), std::tuple(vb, yb, sb));
      break;
    }
    case 3: {  // one-string indexes: (kind, value)
      constexpr IndexKind kKinds[] = {IndexKind::kAuthorKey, IndexKind::kCountryCode,
                                      IndexKind::kVenueName, IndexKind::kTagName};
      const IndexKind ja = kKinds[in.ConsumeIntegralInRange<int>(0, 3)];
      const IndexKind jb = kKinds[in.ConsumeIntegralInRange<int>(0, 3)];
      const std::string va = SomeString(in), vb = SomeString(in);
      ka = StringIndexKey(ja, va);
      kb = StringIndexKey(jb, vb);
      CheckStrings(ka, {va});
      logical = Sign(std::tuple(static_cast<int>(ja), va), std::tuple(static_cast<int>(jb), vb));
      break;
    }
    case 4: {  // institutions: (normalised name, country code)
      const std::string na = SomeString(in), nb = SomeString(in);
      const std::string ca = SomeString(in), cb = SomeString(in);
      ka = InstitutionIndexKey(na, ca);
      kb = InstitutionIndexKey(nb, cb);
      CheckStrings(ka, {na, ca});
      logical = Sign(std::tuple(na, ca), std::tuple(nb, cb));
      break;
    }
    case 5: {  // papers by year: (year, paper)
      const int ya = in.ConsumeIntegralInRange<int>(1000, 9999);
      const int yb = in.ConsumeBool() ? ya : in.ConsumeIntegralInRange<int>(1000, 9999);
      const NodeId pa = SomeId(in), pb = SomeId(in);
      ka = PaperByYearKey(ya, pa);
      kb = PaperByYearKey(yb, pb);
      logical = Sign(std::tuple(ya, pa), std::tuple(yb, pb));
      break;
    }
    case 6: {  // papers by venue: (venue id, paper)
      const NodeId va = SomeId(in), vb = SomeId(in), pa = SomeId(in), pb = SomeId(in);
      ka = PaperByVenueKey(va, pa);
      kb = PaperByVenueKey(vb, pb);
      logical = Sign(std::tuple(va, pa), std::tuple(vb, pb));
      break;
    }
    case 7: {  // node names: (label, name, id)
      const auto la = static_cast<Label>(in.ConsumeIntegralInRange<int>(1, 6));
      const auto lb = static_cast<Label>(in.ConsumeIntegralInRange<int>(1, 6));
      const std::string na = SomeString(in), nb = SomeString(in);
      const NodeId ia = SomeId(in), ib = SomeId(in);
      ka = NodeNameKey(la, na, ia);
      kb = NodeNameKey(lb, nb, ib);
      std::string_view rest(ka);
      rest.remove_prefix(2);
      std::string name;
      NodeId id = 0;
      FUZZ_CHECK(util::GetOrderedString(&rest, &name) && name == na);
      FUZZ_CHECK(DecodeId(rest, &id) && id == ia);
      FUZZ_CHECK(ka.starts_with(NodeNamePrefix(la, na)));
      // A prefix scan for one name never returns another name's keys.
      FUZZ_CHECK(kb.starts_with(NodeNamePrefix(la, na)) == (la == lb && na == nb));
      logical =
          Sign(std::tuple(static_cast<int>(la), na, ia), std::tuple(static_cast<int>(lb), nb, ib));
      break;
    }
    case 8: {  // external ids: (scheme, value)
      const std::string sa = SomeString(in), sb = SomeString(in);
      const std::string va = SomeString(in), vb = SomeString(in);
      ka = ExternalIdKey(sa, va);
      kb = ExternalIdKey(sb, vb);
      CheckStrings(ka, {sa, va});
      logical = Sign(std::tuple(sa, va), std::tuple(sb, vb));
      break;
    }
    case 9: {  // counters: (kind, code)
      const int ja = in.ConsumeIntegralInRange<int>(1, 3),
                jb = in.ConsumeIntegralInRange<int>(1, 3);
      const auto ca = in.ConsumeIntegral<uint8_t>(), cb = in.ConsumeIntegral<uint8_t>();
      ka = CounterKey(static_cast<CounterKind>(ja), ca);
      kb = CounterKey(static_cast<CounterKind>(jb), cb);
      logical = Sign(std::tuple(ja, ca), std::tuple(jb, cb));
      break;
    }
    default: {  // resume markers: (file identity)
      const std::string fa = SomeString(in), fb = SomeString(in);
      ka = IngestFileKey(fa);
      kb = IngestFileKey(fb);
      CheckStrings(ka, {fa});
      logical = Sign(fa, fb);
      break;
    }
  }
  FUZZ_CHECK(ByteSign(ka, kb) == logical);
}

void RawDecoders(const std::string& raw) {
  Label label{};
  NodeId id = 0;
  if (DecodeNodeKey(raw, &label, &id)) FUZZ_CHECK(NodeKey(label, id) == raw);
  EdgeKeyParts parts{};
  if (DecodeEdgeKey(raw, &parts)) FUZZ_CHECK(EdgeKey(parts) == raw);
  if (DecodeId(raw, &id)) FUZZ_CHECK(EncodeId(id) == raw);
  std::string_view rest(raw);
  std::string s;
  if (util::GetOrderedString(&rest, &s)) {
    std::string again;
    util::PutOrderedString(&again, s);
    FUZZ_CHECK(again == raw.substr(0, raw.size() - rest.size()));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  RawDecoders(std::string(reinterpret_cast<const char*>(data), size));
  FuzzedDataProvider in(data, size);
  while (in.remaining_bytes() > 0) StructuredKeys(in);
  return 0;
}
