#include "model/properties.h"

#include <algorithm>

#include "util/coding.h"

namespace collabgraph::model {

namespace {
uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }
auto Lower(const std::vector<std::pair<std::string, PropertyValue>>& entries,
           std::string_view name) {
  return std::lower_bound(entries.begin(), entries.end(), name,
                          [](const auto& e, std::string_view n) { return e.first < n; });
}
}  // namespace

void Properties::Set(std::string name, PropertyValue value) {
  auto it = Lower(entries_, name);
  if (it != entries_.end() && it->first == name) {
    entries_[it - entries_.begin()].second = std::move(value);
    return;
  }
  entries_.insert(it, {std::move(name), std::move(value)});
}

const PropertyValue* Properties::Find(std::string_view name) const {
  auto it = Lower(entries_, name);
  return it != entries_.end() && it->first == name ? &it->second : nullptr;
}

bool Properties::Erase(std::string_view name) {
  auto it = Lower(entries_, name);
  if (it == entries_.end() || it->first != name) return false;
  entries_.erase(it);
  return true;
}

std::optional<int64_t> Properties::GetInt(std::string_view name) const {
  const PropertyValue* v = Find(name);
  if (v == nullptr || !std::holds_alternative<int64_t>(*v)) return std::nullopt;
  return std::get<int64_t>(*v);
}
std::optional<double> Properties::GetDouble(std::string_view name) const {
  const PropertyValue* v = Find(name);
  if (v == nullptr || !std::holds_alternative<double>(*v)) return std::nullopt;
  return std::get<double>(*v);
}
std::optional<std::string_view> Properties::GetString(std::string_view name) const {
  const PropertyValue* v = Find(name);
  if (v == nullptr || !std::holds_alternative<std::string>(*v)) return std::nullopt;
  return std::string_view(std::get<std::string>(*v));
}
std::optional<bool> Properties::GetBool(std::string_view name) const {
  const PropertyValue* v = Find(name);
  if (v == nullptr || !std::holds_alternative<bool>(*v)) return std::nullopt;
  return std::get<bool>(*v);
}
const StringList* Properties::GetStringList(std::string_view name) const {
  const PropertyValue* v = Find(name);
  if (v == nullptr || !std::holds_alternative<StringList>(*v)) return nullptr;
  return &std::get<StringList>(*v);
}

std::string EncodeProperties(const Properties& props) {
  std::string out;
  util::PutVarint64(&out, props.entries().size());
  for (const auto& [name, value] : props.entries()) {
    util::PutLengthPrefixed(&out, name);
    if (const auto* i = std::get_if<int64_t>(&value)) {
      util::PutFixed8(&out, static_cast<uint8_t>(PropertyType::kInt64));
      util::PutVarint64(&out, ZigZag(*i));
    } else if (const auto* d = std::get_if<double>(&value)) {
      util::PutFixed8(&out, static_cast<uint8_t>(PropertyType::kDouble));
      util::PutFixed64BE(&out, util::DoubleToBits(*d));
    } else if (const auto* s = std::get_if<std::string>(&value)) {
      util::PutFixed8(&out, static_cast<uint8_t>(PropertyType::kString));
      util::PutLengthPrefixed(&out, *s);
    } else if (const auto* b = std::get_if<bool>(&value)) {
      util::PutFixed8(&out, static_cast<uint8_t>(PropertyType::kBool));
      util::PutFixed8(&out, *b ? 1 : 0);
    } else {
      const auto& list = std::get<StringList>(value);
      util::PutFixed8(&out, static_cast<uint8_t>(PropertyType::kStringList));
      util::PutVarint64(&out, list.size());
      for (const auto& item : list) util::PutLengthPrefixed(&out, item);
    }
  }
  return out;
}

bool DecodeProperties(std::string_view bytes, Properties* props) {
  *props = Properties();
  uint64_t count = 0;
  if (!util::GetVarint64(&bytes, &count) || count > bytes.size()) return false;
  std::string previous;
  for (uint64_t i = 0; i < count; ++i) {
    std::string_view name;
    uint8_t type = 0;
    if (!util::GetLengthPrefixed(&bytes, &name) || !util::GetFixed8(&bytes, &type)) return false;
    if (i > 0 && !(previous < name)) return false;
    PropertyValue value;
    switch (static_cast<PropertyType>(type)) {
      case PropertyType::kInt64: {
        uint64_t v = 0;
        if (!util::GetVarint64(&bytes, &v)) return false;
        value = UnZigZag(v);
        break;
      }
      case PropertyType::kDouble: {
        uint64_t v = 0;
        if (!util::GetFixed64BE(&bytes, &v)) return false;
        value = util::BitsToDouble(v);
        break;
      }
      case PropertyType::kString: {
        std::string_view s;
        if (!util::GetLengthPrefixed(&bytes, &s)) return false;
        value = std::string(s);
        break;
      }
      case PropertyType::kBool: {
        uint8_t b = 0;
        if (!util::GetFixed8(&bytes, &b) || b > 1) return false;
        value = b == 1;
        break;
      }
      case PropertyType::kStringList: {
        uint64_t n = 0;
        if (!util::GetVarint64(&bytes, &n) || n > bytes.size()) return false;
        StringList list;
        list.reserve(n);
        for (uint64_t j = 0; j < n; ++j) {
          std::string_view s;
          if (!util::GetLengthPrefixed(&bytes, &s)) return false;
          list.emplace_back(s);
        }
        value = std::move(list);
        break;
      }
      default:
        return false;
    }
    previous.assign(name);
    props->Set(std::string(name), std::move(value));
  }
  return bytes.empty();
}

}  // namespace collabgraph::model
