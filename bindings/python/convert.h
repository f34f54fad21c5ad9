#pragma once

// Results to Python objects: JSON renderings (collabgraph/json.h, the CLI's --json) to dicts,
// and the projection (Database::Project) as a Python class with NumPy, NetworkX and pandas
// views.

#include <string>

#include <pybind11/pybind11.h>

#include "collabgraph/export.h"
#include "collabgraph/rules.h"

namespace collabgraph::python {

namespace py = pybind11;

// json.loads(text). Call with the GIL held.
py::object JsonToPython(const std::string& text);

// {name: value} in the rules' order.
py::dict RulesDict(const Rules& rules);

// Adds the class Projection (holding a GraphExport) to `m`.
void BindProjection(py::module_& m);

}  // namespace collabgraph::python
