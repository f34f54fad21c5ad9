#pragma once

// Typed node and edge properties and their value encoding (docs/format.md, "Property values").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace collabgraph::model {

using StringList = std::vector<std::string>;
using PropertyValue = std::variant<int64_t, double, std::string, bool, StringList>;

// Type tags written before each value; never renumbered.
enum class PropertyType : uint8_t {
  kInt64 = 1,
  kDouble = 2,
  kString = 3,
  kBool = 4,
  kStringList = 5
};

// A small ordered map from property name to value; names are unique and kept sorted.
class Properties {
 public:
  void Set(std::string name, PropertyValue value);
  const PropertyValue* Find(std::string_view name) const;
  bool Erase(std::string_view name);

  // Typed accessors: nullopt when absent or of another type.
  std::optional<int64_t> GetInt(std::string_view name) const;
  std::optional<double> GetDouble(std::string_view name) const;
  std::optional<std::string_view> GetString(std::string_view name) const;
  std::optional<bool> GetBool(std::string_view name) const;
  const StringList* GetStringList(std::string_view name) const;

  const std::vector<std::pair<std::string, PropertyValue>>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }
  bool operator==(const Properties& other) const = default;

 private:
  std::vector<std::pair<std::string, PropertyValue>> entries_;
};

// value := count:varint (name:lpstring type:u8 payload)*, names in ascending byte order.
std::string EncodeProperties(const Properties& props);
// False when `bytes` is not a valid encoding (truncated, unknown type tag, trailing bytes,
// names out of order).
bool DecodeProperties(std::string_view bytes, Properties* props);

}  // namespace collabgraph::model
