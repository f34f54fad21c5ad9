#pragma once

// The Python Database class, shared by the files that bind its methods.

#include <memory>

#include <pybind11/pybind11.h>

#include "state.h"

namespace collabgraph::python {

namespace py = pybind11;

// collabgraph.Database: a handle on a DbState, which outlives it while snapshots or cursors of
// the database are alive.
struct PyDatabase {
  PyDatabase(const py::object& path, bool read_only, bool create_if_missing);
  std::shared_ptr<DbState> state;
};

// Database.ingest, stats, pairs, describe_pair, centrality, projection, info, check, ...
void BindDatabase(py::class_<PyDatabase>& cls);

// Database.snapshot(), and the classes Snapshot, PaperCursor and NeighborhoodCursor (query.cc).
void BindQuery(py::module_& m, py::class_<PyDatabase>& database);

}  // namespace collabgraph::python
