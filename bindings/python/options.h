#pragma once

// Keyword arguments to option structs, the way tools/collabgraph/main.cc turns command-line
// flags into them, so that a Python call and the matching CLI command compute the same thing.
// Unknown keywords raise TypeError; bad values raise collabgraph.InvalidArgumentError (a
// ValueError) with the CLI's wording.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pybind11/pybind11.h>

#include "collabgraph/centrality.h"
#include "collabgraph/ingest.h"
#include "collabgraph/stats.h"

namespace collabgraph::python {

namespace py = pybind11;

// Takes keyword arguments out of a **kwargs dict one by one; Finish() rejects the rest.
class Keywords {
 public:
  Keywords(std::string function, const py::kwargs& kwargs);

  std::optional<py::object> Take(const char* name);
  std::optional<std::string> TakeString(const char* name);
  // A string or an iterable of strings; empty when absent or None.
  std::vector<std::string> TakeStrings(const char* name);
  std::optional<int64_t> TakeInt(const char* name);
  // An int >= 0, or `absent` when absent or None.
  size_t TakeCount(const char* name, size_t absent);
  bool TakeBool(const char* name, bool absent);
  // str or os.PathLike.
  std::optional<std::string> TakePath(const char* name);
  // Raises TypeError naming the first keyword nobody took.
  void Finish();

  const std::string& function() const { return function_; }

 private:
  std::string function_;
  py::dict remaining_;
};

// A str or os.PathLike as a string; TypeError otherwise.
std::string PathString(const py::handle& path, const std::string& what);

// years ("A:B", "A:", ":B", "A", an int or a (from, to) tuple), year_from, year_to, venues,
// tracks, tags, include_rejected, regions.
void TakeFilters(Keywords* kw, Filters* filters, Regions* regions);
// The filters plus by, counting, pair_rule, attribution (stats and pairs).
StatsOptions TakeStatsOptions(Keywords* kw);
// The filters plus max_members (projection); centrality adds the metric options.
CentralityOptions TakeProjectionOptions(Keywords* kw, const std::string& graph);
void TakeMetricOptions(Keywords* kw, CentralityOptions* options);
// format, venue, year, sync_every, universities, lexicon, tag, resolve, bulk, bulk_batch,
// authors, skip_bad, max_authors, max_field_bytes.
IngestOptions TakeIngestOptions(Keywords* kw);

// A `top` argument: None (0, all), or an int >= 0.
size_t TopArg(const py::object& top, const std::string& function);

// "US,CN" or ("US", "CN") as two strings; InvalidArgument naming `what` otherwise.
std::pair<std::string, std::string> TwoCountries(const py::handle& value, const std::string& what);

}  // namespace collabgraph::python
