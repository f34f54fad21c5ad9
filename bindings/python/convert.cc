#include "convert.h"

#include <cstdint>
#include <utility>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

namespace collabgraph::python {
namespace {

// The module's namedtuple types, created once at import (BindProjection) and kept for the life
// of the process.
py::handle edges_type;
py::handle nodes_type;

py::module_ ImportOptional(const char* module, const char* method, const char* package) {
  try {
    return py::module_::import(module);
  } catch (py::error_already_set& e) {
    if (!e.matches(PyExc_ImportError)) throw;
    throw py::import_error(std::string("Projection.") + method + "() needs " + module +
                           ", which does not import (" + e.what() + "); on Debian: apt-get " +
                           "install " + package);
  }
}

template <typename T, typename F>
py::array_t<T> Column(size_t n, F&& value) {
  py::array_t<T> out(static_cast<py::ssize_t>(n));
  T* data = out.mutable_data();
  for (size_t i = 0; i < n; ++i) data[i] = value(i);
  return out;
}

py::list NodeIds(const GraphExport& g) {
  py::list ids(g.nodes.size());
  for (size_t i = 0; i < g.nodes.size(); ++i) ids[i] = py::int_(g.nodes[i].id);
  return ids;
}

py::object Edges(const GraphExport& g, bool ids) {
  const auto& e = g.edges;
  py::array_t<int64_t> src;
  py::array_t<int64_t> dst;
  if (ids) {
    src = Column<int64_t>(e.size(),
                          [&](size_t i) { return static_cast<int64_t>(g.nodes[e[i].source].id); });
    dst = Column<int64_t>(e.size(),
                          [&](size_t i) { return static_cast<int64_t>(g.nodes[e[i].target].id); });
  } else {
    src = Column<int64_t>(e.size(), [&](size_t i) { return e[i].source; });
    dst = Column<int64_t>(e.size(), [&](size_t i) { return e[i].target; });
  }
  return edges_type(src, dst, Column<double>(e.size(), [&](size_t i) { return e[i].full; }),
                    Column<double>(e.size(), [&](size_t i) { return e[i].fractional; }));
}

py::object Nodes(const GraphExport& g) {
  py::list names(g.nodes.size());
  py::list codes(g.nodes.size());
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    names[i] = py::str(g.nodes[i].name);
    codes[i] = py::str(g.nodes[i].code);
  }
  return nodes_type(Column<int64_t>(g.nodes.size(),
                                    [&](size_t i) { return static_cast<int64_t>(g.nodes[i].id); }),
                    names, codes);
}

py::object ToNetworkx(const GraphExport& g) {
  py::module_ nx = ImportOptional("networkx", "to_networkx", "python3-networkx");
  py::object graph =
      nx.attr("Graph")(py::arg("graph") = g.graph, py::arg("rules") = RulesDict(g.rules));
  py::list nodes(g.nodes.size());
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    py::dict attrs;
    attrs["name"] = g.nodes[i].name;
    attrs["code"] = g.nodes[i].code;
    nodes[i] = py::make_tuple(g.nodes[i].id, attrs);
  }
  graph.attr("add_nodes_from")(nodes);
  py::list edges(g.edges.size());
  for (size_t i = 0; i < g.edges.size(); ++i) {
    const GraphEdge& e = g.edges[i];
    py::dict attrs;
    attrs["weight"] = e.full;
    attrs["fractional"] = e.fractional;
    edges[i] = py::make_tuple(g.nodes[e.source].id, g.nodes[e.target].id, attrs);
  }
  graph.attr("add_edges_from")(edges);
  return graph;
}

py::object ToPandas(const GraphExport& g, const std::string& table) {
  if (table != "edges" && table != "nodes") {
    throw py::value_error("Projection.to_pandas(): table must be \"edges\" or \"nodes\", not \"" +
                          table + "\"");
  }
  py::module_ pd = ImportOptional("pandas", "to_pandas", "python3-pandas");
  py::dict columns;
  if (table == "nodes") {
    py::object nodes = Nodes(g);
    columns["id"] = nodes.attr("id");
    columns["name"] = nodes.attr("name");
    columns["code"] = nodes.attr("code");
  } else {
    py::object edges = Edges(g, /*ids=*/true);
    py::list source_names(g.edges.size());
    py::list target_names(g.edges.size());
    for (size_t i = 0; i < g.edges.size(); ++i) {
      source_names[i] = py::str(g.nodes[g.edges[i].source].name);
      target_names[i] = py::str(g.nodes[g.edges[i].target].name);
    }
    columns["source"] = edges.attr("src");
    columns["target"] = edges.attr("dst");
    columns["source_name"] = source_names;
    columns["target_name"] = target_names;
    columns["weight"] = edges.attr("weight");
    columns["fractional"] = edges.attr("fractional");
  }
  py::object frame = pd.attr("DataFrame")(columns);
  frame.attr("attrs")["graph"] = g.graph;
  frame.attr("attrs")["rules"] = RulesDict(g.rules);
  return frame;
}

}  // namespace

py::object JsonToPython(const std::string& text) {
  return py::module_::import("json").attr("loads")(text);
}

py::dict RulesDict(const Rules& rules) {
  py::dict out;
  for (const auto& [name, value] : rules.entries) out[py::str(name)] = value;
  return out;
}

void BindProjection(py::module_& m) {
  py::module_ collections = py::module_::import("collections");
  py::object edges = collections.attr("namedtuple")("Edges", "src dst weight fractional");
  py::object nodes = collections.attr("namedtuple")("Nodes", "id name code");
  edges.attr("__module__") = m.attr("__name__");
  nodes.attr("__module__") = m.attr("__name__");
  edges.attr("__doc__") =
      "Projection.edges(): src and dst (int64, node indices, or database ids with ids=True), "
      "weight (float64, papers in common) and fractional (float64, Newman's sum of 1/(n-1)).";
  nodes.attr("__doc__") =
      "Projection.nodes(): id (int64, database ids), name and code (lists of "
      "str; code is the ISO country code, empty for authors).";
  m.attr("Edges") = edges;
  m.attr("Nodes") = nodes;
  edges_type = edges.release();
  nodes_type = nodes.release();

  py::class_<GraphExport>(m, "Projection", R"(A collaboration graph projected from one snapshot
of the database (Database.projection): nodes in database id order and undirected edges, each
with both weights. It holds its own copy of the data: it stays usable after the database closes.)")
      .def_property_readonly(
          "graph", [](const GraphExport& g) { return g.graph; },
          "\"author\", \"institution\" or \"country\".")
      .def_property_readonly(
          "rules", [](const GraphExport& g) { return RulesDict(g.rules); },
          "The counting rules that produced the projection (docs/methodology.md).")
      .def_property_readonly("num_nodes", [](const GraphExport& g) { return g.nodes.size(); })
      .def_property_readonly("num_edges", [](const GraphExport& g) { return g.edges.size(); })
      .def("nodes", &Nodes,
           "Nodes(id, name, code): database ids as an int64 array, names and codes.")
      .def("node_ids", &NodeIds, "The database ids of the nodes, as a list of int.")
      .def("edges", &Edges, py::arg("ids") = false,
           R"(Edges(src, dst, weight, fractional) as NumPy arrays, one entry per edge, src < dst.
src and dst are indices into nodes() (int64), or database ids with ids=True; weight is papers
in common and fractional Newman's sum over shared papers of 1/(n-1), both float64.)")
      .def("to_networkx", &ToNetworkx,
           R"(A networkx.Graph: nodes keyed by database id with attributes name and code; edges
with weight (papers in common) and fractional; graph attributes graph and rules. ImportError
when NetworkX does not import.)")
      .def("to_pandas", &ToPandas, py::arg("table") = "edges",
           R"(A pandas.DataFrame of the edges (source, target: database ids; source_name,
target_name, weight, fractional) or, with table="nodes", of the nodes (id, name, code); attrs
holds graph and rules. ImportError when pandas does not import.)")
      .def("__len__", [](const GraphExport& g) { return g.nodes.size(); })
      .def("__repr__", [](const GraphExport& g) {
        return "<collabgraph.Projection " + g.graph + " graph: " + std::to_string(g.nodes.size()) +
               " nodes, " + std::to_string(g.edges.size()) + " edges>";
      });
}

}  // namespace collabgraph::python
