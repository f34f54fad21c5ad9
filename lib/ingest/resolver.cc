#include "ingest/resolver.h"

#include <algorithm>
#include <array>

#include <simdjson.h>

#include "ingest/gzip_reader.h"
#include "util/status_macros.h"
#include "util/text.h"

namespace collabgraph::ingest {

namespace {

// Research companies and institutes that publish under their own domain, with the country of
// their headquarters (or of the institute). Multinational labs are attributed to the home
// country unless the affiliation text names another; docs/methodology.md states this bias.
constexpr std::array<std::pair<std::string_view, std::string_view>, 48> kOrganisationDomains = {{
    {"google.com", "US"},      {"microsoft.com", "US"},      {"fb.com", "US"},
    {"facebook.com", "US"},    {"meta.com", "US"},           {"amazon.com", "US"},
    {"ibm.com", "US"},         {"nvidia.com", "US"},         {"adobe.com", "US"},
    {"salesforce.com", "US"},  {"intel.com", "US"},          {"apple.com", "US"},
    {"allenai.org", "US"},     {"openai.com", "US"},         {"argo.ai", "US"},
    {"covariant.ai", "US"},    {"tri.global", "US"},         {"netflix.com", "US"},
    {"nec-labs.com", "US"},    {"uber.com", "US"},           {"twitter.com", "US"},
    {"linkedin.com", "US"},    {"qualcomm.com", "US"},       {"ttic.edu", "US"},
    {"deepmind.com", "GB"},    {"huawei.com", "CN"},         {"tencent.com", "CN"},
    {"alibaba-inc.com", "CN"}, {"bytedance.com", "CN"},      {"kuaishou.com", "CN"},
    {"baidu.com", "CN"},       {"megvii.com", "CN"},         {"sensetime.com", "CN"},
    {"antgroup.com", "CN"},    {"netease.com", "CN"},        {"jd.com", "CN"},
    {"msra.cn", "CN"},         {"samsung.com", "KR"},        {"navercorp.com", "KR"},
    {"kakaobrain.com", "KR"},  {"lgresearch.ai", "KR"},      {"mpi-sws.org", "DE"},
    {"mila.quebec", "CA"},     {"vectorinstitute.ai", "CA"}, {"borealisai.com", "CA"},
    {"vinai.io", "VN"},        {"inceptioniai.org", "AE"},   {"preferred.jp", "JP"},
}};

// Labs of multinationals named by their site, which the company's domain would attribute to
// the headquarters' country (Microsoft Research Asia is in Beijing, not under microsoft.com's
// US). Matched as whole words of the normalised institution name, before any domain rule.
constexpr std::array<std::pair<std::string_view, std::string_view>, 21> kLabSites = {{
    {"microsoft research asia", "CN"},
    {"msra", "CN"},
    {"microsoft research india", "IN"},
    {"microsoft research cambridge", "GB"},
    {"microsoft research uk", "GB"},
    {"microsoft research montreal", "CA"},
    {"google zurich", "CH"},
    {"google research zurich", "CH"},
    {"google brain zurich", "CH"},
    {"google research india", "IN"},
    {"google research tokyo", "JP"},
    {"facebook ai research paris", "FR"},
    {"meta ai paris", "FR"},
    {"fair paris", "FR"},
    {"baidu research usa", "US"},
    {"baidu usa", "US"},
    {"tencent america", "US"},
    {"huawei noah s ark lab montreal", "CA"},
    {"huawei noah s ark lab london", "GB"},
    {"samsung ai center cambridge", "GB"},
    {"samsung ai center toronto", "CA"},
}};

// Top-level domains that are not country codes but say the country.
constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kGenericTlds = {
    {{"edu", "US"}, {"gov", "US"}, {"mil", "US"}}};

// Names of places in the three regions, as they appear in institution names.
constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kRegionNames = {
    {{"hong kong", "HK"},
     {"hongkong", "HK"},
     {"kowloon", "HK"},
     {"macau", "MO"},
     {"macao", "MO"},
     {"taiwan", "TW"},
     {"taipei", "TW"},
     {"hsinchu", "TW"},
     {"tainan", "TW"},
     {"taichung", "TW"},
     {"taoyuan", "TW"},
     {"academia sinica", "TW"}}};

const CountryRow* Row(std::string_view code) { return ResolveCountry(code); }

}  // namespace

std::string HostOf(std::string_view url_or_domain) {
  std::string_view s = url_or_domain;
  s = util::Trim(s);
  if (const size_t scheme = s.find("://"); scheme != std::string_view::npos)
    s.remove_prefix(scheme + 3);
  if (const size_t at = s.find('@'); at != std::string_view::npos) s.remove_prefix(at + 1);
  if (const size_t slash = s.find_first_of("/?#:"); slash != std::string_view::npos)
    s = s.substr(0, slash);
  std::string host = util::AsciiLower(s);
  while (!host.empty() && host.back() == '.') host.pop_back();
  return host;
}

Resolver::Resolver() = default;

absl::StatusOr<std::unique_ptr<Resolver>> Resolver::WithUniversities(const std::string& path) {
  COLLABGRAPH_ASSIGN_OR_RETURN(std::string text, ReadMaybeGzipFile(path));
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  simdjson::dom::element doc;
  if (auto err = parser.parse(padded).get(doc); err != simdjson::SUCCESS) {
    return absl::InvalidArgumentError(path + ": not valid JSON (" + simdjson::error_message(err) +
                                      ")");
  }
  simdjson::dom::array list;
  if (doc.get_array().get(list) != simdjson::SUCCESS) {
    return absl::InvalidArgumentError(path + ": the university list must be a JSON array");
  }
  auto resolver = std::make_unique<Resolver>();
  size_t index = 0;
  for (simdjson::dom::element u : list) {
    std::string_view name;
    std::string_view code;
    if (u["name"].get(name) != simdjson::SUCCESS ||
        u["alpha_two_code"].get(code) != simdjson::SUCCESS) {
      return absl::InvalidArgumentError(path + ": record " + std::to_string(index) +
                                        " lacks a string \"name\" or \"alpha_two_code\"");
    }
    ++index;
    const CountryRow* row = Row(code);
    if (row == nullptr) continue;
    resolver->university_by_name_.emplace(util::NormalizeKey(name), row);
    simdjson::dom::array domains;
    if (u["domains"].get(domains) != simdjson::SUCCESS) continue;
    for (simdjson::dom::element d : domains) {
      std::string_view domain;
      if (d.get(domain) == simdjson::SUCCESS) {
        resolver->university_by_domain_.emplace(HostOf(domain), row);
      }
    }
  }
  return resolver;
}

const CountryRow* Resolver::FromDomain(std::string_view domain) const {
  const std::string host = HostOf(domain);
  if (host.empty() || host.find('.') == std::string::npos) return nullptr;
  // Longest suffix first: "cs.cmu.edu", then "cmu.edu".
  for (size_t pos = 0; pos != std::string::npos; pos = host.find('.', pos + 1)) {
    const std::string_view suffix =
        pos == 0 ? std::string_view(host) : std::string_view(host).substr(pos + 1);
    if (auto it = university_by_domain_.find(std::string(suffix));
        it != university_by_domain_.end()) {
      return it->second;
    }
    for (const auto& [organisation, code] : kOrganisationDomains) {
      if (suffix == organisation) return Row(code);
    }
    if (pos != 0 && suffix.find('.') == std::string_view::npos) break;
  }
  const std::string_view tld = std::string_view(host).substr(host.find_last_of('.') + 1);
  for (const auto& [generic, code] : kGenericTlds) {
    if (tld == generic) return Row(code);
  }
  // Two-letter top-level domains are country codes, except those sold as generic names.
  static constexpr std::array<std::string_view, 15> kVanity = {
      "ai", "io", "co", "me", "tv", "fm", "ly", "to", "cc", "ws", "gg", "sh", "so", "la", "ac"};
  if (tld.size() == 2 && std::find(kVanity.begin(), kVanity.end(), tld) == kVanity.end()) {
    if (tld == "uk") return Row("GB");
    return Row(tld);
  }
  return nullptr;
}

const CountryRow* Resolver::Resolve(std::string_view institution, std::string_view domain) const {
  const std::string key = util::NormalizeKey(institution);
  if (auto it = university_by_name_.find(key); it != university_by_name_.end()) return it->second;
  // Whole words: the site must start and end at word boundaries of the normalised name.
  auto has_words = [&key](std::string_view words) {
    for (size_t at = key.find(words); at != std::string::npos; at = key.find(words, at + 1)) {
      const size_t end = at + words.size();
      if ((at == 0 || key[at - 1] == ' ') && (end == key.size() || key[end] == ' ')) return true;
    }
    return false;
  };
  for (const auto& [site, code] : kLabSites) {
    if (has_words(site)) return Row(code);
  }
  if (const CountryRow* row = FromDomain(domain); row != nullptr) return row;
  // "Lab, Some City, Germany": a country named by the last comma-separated piece.
  const size_t comma = institution.find_last_of(',');
  if (comma != std::string_view::npos) {
    const std::string_view last = util::Trim(institution.substr(comma + 1));
    if (!last.empty() && !IsUnknownCountryLabel(last)) return ResolveCountry(last);
  }
  return nullptr;
}

std::string Resolver::Region(std::string_view institution, std::string_view url_or_domain) const {
  const std::string host = HostOf(url_or_domain);
  for (const auto& [tld, code] : {std::pair{".hk", "HK"}, {".mo", "MO"}, {".tw", "TW"}}) {
    if (host.ends_with(tld)) return code;
  }
  const std::string key = util::NormalizeKey(institution);
  if (auto it = university_by_name_.find(key); it != university_by_name_.end()) {
    const std::string_view code = it->second->code;
    if (code == "HK" || code == "MO" || code == "TW") return std::string(code);
  }
  for (const auto& [name, code] : kRegionNames) {
    if (key.find(name) != std::string::npos) return std::string(code);
  }
  return "";
}

}  // namespace collabgraph::ingest
