#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace collabgraph::util {

// Minimal streaming JSON writer producing compact, valid UTF-8 JSON. Commas are inserted
// automatically; callers must nest Begin/End calls correctly (checked by assertions).
// Doubles are written in the shortest form that round-trips; NaN and infinities become null.
class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Double(double value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();

  const std::string& str() const { return out_; }

 private:
  void BeforeValue();

  std::string out_;
  // One entry per open container: true when it already has a member.
  std::vector<bool> has_member_;
  bool after_key_ = false;
};

// Appends `s` as a JSON string literal (with quotes) to `out`.
void AppendJsonString(std::string* out, std::string_view s);

}  // namespace collabgraph::util
