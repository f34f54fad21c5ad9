#include "options.h"

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <utility>

#include "state.h"

namespace collabgraph::python {
namespace {

[[noreturn]] void Invalid(const Keywords& kw, const std::string& message) {
  throw StatusError(absl::InvalidArgumentError(kw.function() + "(): " + message));
}

// Maps one of `names` to its value; InvalidArgument listing the choices otherwise.
template <typename T>
T Choice(const Keywords& kw, const char* keyword, const std::string& value,
         std::initializer_list<std::pair<const char*, T>> names) {
  std::string choices;
  for (const auto& [name, v] : names) {
    if (value == name) return v;
    choices += choices.empty() ? "" : ", ";
    choices += name;
  }
  Invalid(kw, std::string(keyword) + " must be one of " + choices + ", not \"" + value + "\"");
}

bool ParseInt(const std::string& s, int* out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size() && !s.empty();
}

std::string TypeName(const py::handle& value) {
  return py::str(py::type::handle_of(value).attr("__name__"));
}

}  // namespace

Keywords::Keywords(std::string function, const py::kwargs& kwargs)
    : function_(std::move(function)), remaining_(py::dict(kwargs)) {}

std::optional<py::object> Keywords::Take(const char* name) {
  if (!remaining_.contains(name)) return std::nullopt;
  py::object value = remaining_[name];
  PyDict_DelItemString(remaining_.ptr(), name);
  if (value.is_none()) return std::nullopt;
  return value;
}

std::optional<std::string> Keywords::TakeString(const char* name) {
  auto value = Take(name);
  if (!value) return std::nullopt;
  if (!py::isinstance<py::str>(*value)) {
    throw py::type_error(function_ + "(): " + name + " must be a str, not " + TypeName(*value));
  }
  return value->cast<std::string>();
}

std::vector<std::string> Keywords::TakeStrings(const char* name) {
  auto value = Take(name);
  if (!value) return {};
  if (py::isinstance<py::str>(*value)) return {value->cast<std::string>()};
  std::vector<std::string> out;
  bool ok = py::isinstance<py::iterable>(*value);
  if (ok) {
    for (const py::handle item : *value) {
      if (!py::isinstance<py::str>(item)) {
        ok = false;
        break;
      }
      out.push_back(item.cast<std::string>());
    }
  }
  if (!ok) {
    throw py::type_error(function_ + "(): " + name + " must be a str or a list of str, not " +
                         TypeName(*value));
  }
  return out;
}

std::optional<int64_t> Keywords::TakeInt(const char* name) {
  auto value = Take(name);
  if (!value) return std::nullopt;
  if (!py::isinstance<py::int_>(*value) || py::isinstance<py::bool_>(*value)) {
    throw py::type_error(function_ + "(): " + name + " must be an int, not " + TypeName(*value));
  }
  return value->cast<int64_t>();
}

size_t Keywords::TakeCount(const char* name, size_t absent) {
  auto value = TakeInt(name);
  if (!value) return absent;
  if (*value < 0) Invalid(*this, std::string(name) + " must be >= 0");
  return static_cast<size_t>(*value);
}

bool Keywords::TakeBool(const char* name, bool absent) {
  auto value = Take(name);
  if (!value) return absent;
  if (!py::isinstance<py::bool_>(*value)) {
    throw py::type_error(function_ + "(): " + name + " must be a bool, not " + TypeName(*value));
  }
  return value->cast<bool>();
}

std::optional<std::string> Keywords::TakePath(const char* name) {
  auto value = Take(name);
  if (!value) return std::nullopt;
  return PathString(*value, function_ + "(): " + name);
}

void Keywords::Finish() {
  for (const auto& [key, value] : remaining_) {
    throw py::type_error(function_ + "() got an unexpected keyword argument '" +
                         key.cast<std::string>() + "'");
  }
}

std::string PathString(const py::handle& path, const std::string& what) {
  if (py::isinstance<py::str>(path)) return path.cast<std::string>();
  if (py::hasattr(path, "__fspath__")) {
    py::object s = py::module_::import("os").attr("fspath")(path);
    if (py::isinstance<py::str>(s)) return s.cast<std::string>();
  }
  throw py::type_error(what + " must be a str or os.PathLike, not " + TypeName(path));
}

void TakeFilters(Keywords* kw, Filters* filters, Regions* regions) {
  if (auto years = kw->Take("years")) {
    if (py::isinstance<py::int_>(*years)) {
      filters->year_from = filters->year_to = years->cast<int>();
    } else if (py::isinstance<py::tuple>(*years) && py::len(*years) == 2) {
      const auto t = years->cast<py::tuple>();
      for (const py::handle end : t) {
        if (!end.is_none() && (!py::isinstance<py::int_>(end) || py::isinstance<py::bool_>(end))) {
          throw py::type_error(kw->function() + "(): a years tuple holds ints or None, not " +
                               TypeName(end));
        }
      }
      if (!t[0].is_none()) filters->year_from = t[0].cast<int>();
      if (!t[1].is_none()) filters->year_to = t[1].cast<int>();
    } else if (py::isinstance<py::str>(*years)) {
      // As the CLI's --years: "A:B", "A:" or ":B" (open ends), or "A" for one year.
      const auto s = years->cast<std::string>();
      const size_t colon = s.find(':');
      const std::string from = colon == std::string::npos ? s : s.substr(0, colon);
      const std::string to = colon == std::string::npos ? s : s.substr(colon + 1);
      int v = 0;
      if (!from.empty()) {
        if (!ParseInt(from, &v)) Invalid(*kw, "years: \"" + s + "\" is not A:B");
        filters->year_from = v;
      }
      if (!to.empty()) {
        if (!ParseInt(to, &v)) Invalid(*kw, "years: \"" + s + "\" is not A:B");
        filters->year_to = v;
      }
    } else {
      throw py::type_error(kw->function() +
                           "(): years must be \"A:B\", an int or a (from, to) tuple, not " +
                           TypeName(*years));
    }
  }
  for (const auto& [name, field] :
       {std::pair{"year_from", &filters->year_from}, std::pair{"year_to", &filters->year_to}}) {
    if (auto v = kw->TakeInt(name)) {
      if (field->has_value()) Invalid(*kw, std::string("give years or ") + name + ", not both");
      *field = static_cast<int>(*v);
    }
  }
  filters->venues = kw->TakeStrings("venues");
  filters->tracks = kw->TakeStrings("tracks");
  filters->tags = kw->TakeStrings("tags");
  filters->include_rejected = kw->TakeBool("include_rejected", false);
  *regions = Choice<Regions>(
      *kw, "regions", kw->TakeString("regions").value_or("source"),
      {{"source", Regions::kSource}, {"split", Regions::kSplit}, {"merge", Regions::kMerge}});
}

StatsOptions TakeStatsOptions(Keywords* kw) {
  StatsOptions options;
  TakeFilters(kw, &options.filters, &options.regions);
  options.group_by = Choice<GroupBy>(*kw, "by", kw->TakeString("by").value_or("none"),
                                     {{"none", GroupBy::kNone},
                                      {"year", GroupBy::kYear},
                                      {"venue", GroupBy::kVenue},
                                      {"tag", GroupBy::kTag}});
  options.counting =
      Choice<Counting>(*kw, "counting", kw->TakeString("counting").value_or("full"),
                       {{"full", Counting::kFull}, {"fractional", Counting::kFractional}});
  options.pair_rule =
      Choice<PairRule>(*kw, "pair_rule", kw->TakeString("pair_rule").value_or("any"),
                       {{"any", PairRule::kAny}, {"bilateral", PairRule::kBilateral}});
  options.attribution = Choice<Attribution>(
      *kw, "attribution", kw->TakeString("attribution").value_or("all"),
      {{"all", Attribution::kAll}, {"first", Attribution::kFirst}, {"last", Attribution::kLast}});
  return options;
}

CentralityOptions TakeProjectionOptions(Keywords* kw, const std::string& graph) {
  CentralityOptions options;
  TakeFilters(kw, &options.filters, &options.regions);
  options.graph = Choice<GraphKind>(*kw, "graph", graph,
                                    {{"author", GraphKind::kAuthor},
                                     {"institution", GraphKind::kInstitution},
                                     {"country", GraphKind::kCountry}});
  options.max_members = kw->TakeCount("max_members", options.max_members);
  return options;
}

void TakeMetricOptions(Keywords* kw, CentralityOptions* options) {
  if (auto w = kw->TakeString("weights")) {
    options->weights = Choice<EdgeWeight>(*kw, "weights", *w,
                                          {{"none", EdgeWeight::kNone},
                                           {"full", EdgeWeight::kFull},
                                           {"fractional", EdgeWeight::kFractional}});
  }
  if (auto w = kw->TakeString("weighted")) {
    options->weighting = Choice<Weighting>(
        *kw, "weighted", *w, {{"full", Weighting::kFull}, {"fractional", Weighting::kFractional}});
  }
  options->threads = static_cast<unsigned>(kw->TakeCount("threads", 0));
  options->samples = kw->TakeCount("samples", options->samples);
  options->seed = kw->TakeCount("seed", options->seed);
  if (auto between = kw->Take("between")) {
    std::tie(options->group_a, options->group_b) =
        TwoCountries(*between, kw->function() + "(): between");
  }
}

IngestOptions TakeIngestOptions(Keywords* kw) {
  IngestOptions options;
  options.format = kw->TakeString("format").value_or("auto");
  options.venue = kw->TakeString("venue");
  if (auto year = kw->TakeInt("year")) options.year = static_cast<int>(*year);
  options.sync_every = kw->TakeCount("sync_every", options.sync_every);
  // As the CLI: by default the Hipo list under $COLLABGRAPH_DATA, when it is there.
  if (auto u = kw->TakePath("universities")) {
    options.universities_path = *u;
  } else if (const char* data = std::getenv("COLLABGRAPH_DATA"); data != nullptr) {
    const std::string path =
        std::string(data) + "/reference/world_universities_and_domains.json.gz";
    if (std::ifstream(path).good()) options.universities_path = path;
  }
  options.lexicon_path = kw->TakePath("lexicon").value_or("");
  options.author_overrides_path = kw->TakePath("authors").value_or("");
  options.tag = kw->TakeBool("tag", options.tag);
  options.resolve_countries = kw->TakeBool("resolve", options.resolve_countries);
  options.bulk = kw->TakeBool("bulk", options.bulk);
  options.bulk_batch = kw->TakeCount("bulk_batch", options.bulk_batch);
  options.skip_bad = kw->TakeBool("skip_bad", options.skip_bad);
  for (const auto& [name, field] : {std::pair{"max_authors", &options.max_authors},
                                    std::pair{"max_field_bytes", &options.max_field_bytes}}) {
    *field = kw->TakeCount(name, *field);
    if (*field < 1) Invalid(*kw, std::string(name) + " must be >= 1");
  }
  return options;
}

size_t TopArg(const py::object& top, const std::string& function) {
  if (top.is_none()) return 0;
  if (!py::isinstance<py::int_>(top) || py::isinstance<py::bool_>(top)) {
    throw py::type_error(function + "(): top must be an int or None, not " + TypeName(top));
  }
  const auto n = top.cast<int64_t>();
  if (n < 0) throw StatusError(absl::InvalidArgumentError(function + "(): top must be >= 0"));
  return static_cast<size_t>(n);
}

std::pair<std::string, std::string> TwoCountries(const py::handle& value, const std::string& what) {
  if (py::isinstance<py::str>(value)) {
    const auto s = value.cast<std::string>();
    const size_t comma = s.find(',');
    if (comma != std::string::npos && comma > 0 && comma + 1 < s.size()) {
      return {s.substr(0, comma), s.substr(comma + 1)};
    }
  } else if ((py::isinstance<py::tuple>(value) || py::isinstance<py::list>(value)) &&
             py::len(value) == 2 && py::isinstance<py::str>(value[py::int_(0)]) &&
             py::isinstance<py::str>(value[py::int_(1)])) {
    return {value[py::int_(0)].cast<std::string>(), value[py::int_(1)].cast<std::string>()};
  }
  throw StatusError(
      absl::InvalidArgumentError(what + " must be two countries, \"A,B\" or (\"A\", \"B\"), not " +
                                 std::string(py::repr(value))));
}

}  // namespace collabgraph::python
