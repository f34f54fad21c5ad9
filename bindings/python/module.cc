// The Python module `collabgraph`: a thin layer over the public API (include/collabgraph).
// Results come back as the dicts of the CLI's --json (the same JSON writer), keyword arguments
// mirror the CLI's flags (options.h), long calls release the GIL, and library errors raise
// collabgraph.Error or a subclass carrying the library's message (state.h says how a closed
// database is kept from crashing the process).

#include "module.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "collabgraph/collabgraph.h"
#include "convert.h"
#include "options.h"
#include "state.h"

namespace collabgraph::python {
namespace {

// The exception types, created at import and kept for the life of the process.
struct ExceptionTypes {
  py::handle error;
  py::handle not_found;
  py::handle invalid_argument;
  py::handle closed;
};
ExceptionTypes exceptions;

// A new exception class `name` in `m` with the given bases; str() is the message alone (a
// KeyError subclass would quote it).
py::handle NewException(py::module_& m, const char* name, const py::tuple& bases, const char* doc) {
  py::dict attrs;
  attrs["__str__"] = py::module_::import("builtins").attr("BaseException").attr("__str__");
  const std::string qualified = std::string("collabgraph.") + name;
  PyObject* type = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, bases.ptr(), attrs.ptr());
  if (type == nullptr) throw py::error_already_set();
  m.attr(name) = py::handle(type);
  return type;  // the module's reference keeps it alive; the handle is borrowed for good
}

void RaiseStatus(const absl::Status& status) {
  py::handle type = exceptions.error;
  if (absl::IsNotFound(status)) {
    type = exceptions.not_found;
  } else if (absl::IsInvalidArgument(status)) {
    type = exceptions.invalid_argument;
  }
  py::object error = type(std::string(status.message()));
  error.attr("code") = absl::StatusCodeToString(status.code());
  PyErr_SetObject(type.ptr(), error.ptr());
}

void RegisterExceptions(py::module_& m) {
  exceptions.error =
      NewException(m, "Error", py::make_tuple(py::handle(PyExc_RuntimeError)),
                   "A CollabGraph library error. str() is the library's message (it names the "
                   "path, file, record or field at fault); code is the canonical status code, "
                   "e.g. \"UNAVAILABLE\" for a database another process has open for writing.");
  exceptions.not_found =
      NewException(m, "NotFoundError", py::make_tuple(exceptions.error, py::handle(PyExc_KeyError)),
                   "No such database, file, node or country (status NOT_FOUND); also a KeyError.");
  exceptions.invalid_argument = NewException(
      m, "InvalidArgumentError", py::make_tuple(exceptions.error, py::handle(PyExc_ValueError)),
      "A bad argument or unreadable input (status INVALID_ARGUMENT); also a ValueError.");
  exceptions.closed = NewException(
      m, "ClosedError", py::make_tuple(exceptions.error),
      "Use of a closed Database, or of a snapshot or cursor whose Database was closed.");
  // pybind11 passes the exception_ptr by value.
  // NOLINTNEXTLINE(performance-unnecessary-value-param)
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const StatusError& e) {
      RaiseStatus(e.status());
    } catch (const ClosedError& e) {
      py::object error = exceptions.closed(e.what());
      error.attr("code") = "CLOSED";
      PyErr_SetObject(exceptions.closed.ptr(), error.ptr());
    }
  });
}

std::vector<std::string> Paths(const py::handle& paths) {
  if (py::isinstance<py::str>(paths) || py::hasattr(paths, "__fspath__")) {
    return {PathString(paths, "ingest(): paths")};
  }
  std::vector<std::string> out;
  if (!py::isinstance<py::iterable>(paths)) {
    throw py::type_error("ingest(): paths must be a path or a list of paths");
  }
  for (const py::handle p : paths) out.push_back(PathString(p, "ingest(): each path"));
  return out;
}

std::string CountryCodeOrThrow(const std::string& name) {
  auto code = CountryCode(name);
  if (!code.ok()) throw StatusError(absl::InvalidArgumentError(code.status().message()));
  return *code;
}

py::object DescribePair(PyDatabase& self, const std::string& a, const std::string& b, size_t top,
                        Keywords* kw) {
  const StatsOptions options = TakeStatsOptions(kw);
  kw->Finish();
  const std::string code_a = CountryCodeOrThrow(a);
  const std::string code_b = CountryCodeOrThrow(b);
  const std::string json = self.state->Use([&](Database& db) {
    return ToJson(ValueOrThrow(db.DescribePair(options, code_a, code_b, top)));
  });
  return JsonToPython(json);
}

}  // namespace

PyDatabase::PyDatabase(const py::object& path, bool read_only, bool create_if_missing) {
  const std::string p = PathString(path, "Database(): path");
  OpenOptions options;
  options.read_only = read_only;
  options.create_if_missing = create_if_missing;
  std::unique_ptr<Database> db;
  {
    py::gil_scoped_release release;
    db = ValueOrThrow(Database::Open(p, options));
  }
  state = std::make_shared<DbState>(std::move(db), p, read_only);
}

void BindDatabase(py::class_<PyDatabase>& cls) {
  cls.def(py::init<const py::object&, bool, bool>(), py::arg("path"), py::arg("read_only") = false,
          py::arg("create_if_missing") = true,
          R"(Opens the database in directory `path`, creating it when missing (unless
create_if_missing=False or read_only=True). read_only=True opens a read-only view as of now,
which works while another process writes. Raises NotFoundError when there is no database,
collabgraph.Error with code "UNAVAILABLE" when another process has it open for writing, and
collabgraph.Error for a newer format or corruption.)")
      .def(
          "close", [](PyDatabase& self) { self.state->Close(); },
          R"(Closes the database after the calls in progress end. Snapshots and cursors of it
are released first; using them, or the database, afterwards raises ClosedError. Idempotent.)")
      .def_property_readonly("closed", [](PyDatabase& self) { return self.state->closed(); })
      .def_property_readonly("path", [](PyDatabase& self) { return self.state->path(); })
      .def_property_readonly("read_only", [](PyDatabase& self) { return self.state->read_only(); })
      .def("__enter__", [](py::object self) { return self; })
      .def(
          "__exit__",
          [](PyDatabase& self, const py::args&) {
            self.state->Close();
            return false;
          },
          "Closes the database.")
      .def("__repr__",
           [](PyDatabase& self) {
             return "<collabgraph.Database " + std::string(py::repr(py::str(self.state->path()))) +
                    (self.state->closed()      ? " closed"
                     : self.state->read_only() ? " read-only"
                                               : "") +
                    ">";
           })
      .def(
          "ingest",
          [](PyDatabase& self, const py::object& paths, const py::kwargs& kwargs) {
            Keywords kw("ingest", kwargs);
            const IngestOptions options = TakeIngestOptions(&kw);
            kw.Finish();
            const std::vector<std::string> files = Paths(paths);
            const std::string json = self.state->Use(
                [&](Database& db) { return ToJson(ValueOrThrow(db.Ingest(files, options))); });
            return JsonToPython(json);
          },
          py::arg("paths"),
          R"(ingest(paths, format="auto", **options) -> dict

Reads paper lists (Paper Copilot JSON), OpenAlex works (JSON Lines) or CSV tables into the
database, as `collabgraph ingest DB FILE... --json`, and returns its report. paths: one path or
a list. All files are read and checked before anything is written.

options (the CLI's flags): format ("auto", "paperlists", "openalex", "csv"), venue, year,
sync_every, universities (path of the Hipo list; default as the CLI:
$COLLABGRAPH_DATA/reference/world_universities_and_domains.json.gz when it exists), lexicon,
authors (author overrides file), tag=True (False: --no-tags), resolve=True (False:
--no-resolve), bulk=False, bulk_batch, skip_bad=False, max_authors, max_field_bytes.
Raises InvalidArgumentError naming the file, record and field of bad input (nothing is
written), NotFoundError for a missing file, collabgraph.Error when read-only.)")
      .def(
          "stats",
          [](PyDatabase& self, const py::kwargs& kwargs) {
            Keywords kw("stats", kwargs);
            const StatsOptions options = TakeStatsOptions(&kw);
            kw.Finish();
            const std::string json = self.state->Use(
                [&](Database& db) { return ToJson(ValueOrThrow(db.Stats(options))); });
            return JsonToPython(json);
          },
          R"(stats(**filters_and_rules) -> dict

Country statistics, the dict of `collabgraph stats DB --json` with the same options:
  years="2010:2016" ("A:", ":B", "2016", an int or a (from, to) tuple), or year_from, year_to;
  venues, tracks, tags (a str or a list of str); include_rejected=False;
  regions="source" | "split" | "merge"; by=None | "year" | "venue" | "tag";
  counting="full" | "fractional"; pair_rule="any" | "bilateral";
  attribution="all" | "first" | "last".
Ungrouped: {"rules", "papers", "papers_with_country", ..., "countries", "pairs"}; with by:
{"rules", "groups": [{"key", ...the same fields...}]}.)")
      .def(
          "pairs",
          [](PyDatabase& self, const py::object& top, const py::kwargs& kwargs) {
            Keywords kw("pairs", kwargs);
            const size_t n = TopArg(top, "pairs");
            if (auto detail = kw.Take("detail")) {
              auto [a, b] = TwoCountries(*detail, "pairs(): detail");
              return DescribePair(self, a, b, n, &kw);
            }
            const StatsOptions options = TakeStatsOptions(&kw);
            kw.Finish();
            const std::string json = self.state->Use([&](Database& db) {
              StatsResult result = ValueOrThrow(db.Stats(options));
              for (StatsGroup& g : result.groups) {
                if (n > 0 && g.pairs.size() > n) g.pairs.resize(n);
              }
              return ToJson(result);
            });
            return JsonToPython(json);
          },
          py::arg("top") = 20,
          R"(pairs(top=20, **filters_and_rules) -> dict

Country pairs ranked by papers (or by fractional weight with counting="fractional"), the dict
of `collabgraph pairs DB --top N --json`: stats() with each group's pairs cut to the `top`
first (None or 0: all). Takes stats()'s options. detail="A,B" (or ("A", "B")) returns
describe_pair(A, B, top) instead, as `pairs --detail A,B`.)")
      .def(
          "describe_pair",
          [](PyDatabase& self, const std::string& a, const std::string& b, const py::object& top,
             const py::kwargs& kwargs) {
            Keywords kw("describe_pair", kwargs);
            return DescribePair(self, a, b, TopArg(top, "describe_pair"), &kw);
          },
          py::arg("a"), py::arg("b"), py::arg("top") = 20,
          R"(describe_pair(a, b, top=20, **filters_and_rules) -> dict

One country pair (ISO codes or English names), the dict of `collabgraph pairs DB --detail A,B
--top N --json`: papers and share per year, the `top` institutions and authors on its papers
(None or 0: all), and the tag cross-tab. Takes stats()'s options.)")
      .def(
          "centrality",
          [](PyDatabase& self, const std::string& graph, const std::string& metric,
             const py::object& top, const py::kwargs& kwargs) {
            Keywords kw("centrality", kwargs);
            CentralityOptions options = TakeProjectionOptions(&kw, graph);
            TakeMetricOptions(&kw, &options);
            kw.Finish();
            options.metric = metric;
            options.top = TopArg(top, "centrality");
            const std::string json = self.state->Use(
                [&](Database& db) { return ToJson(ValueOrThrow(db.Centrality(options))); });
            return JsonToPython(json);
          },
          py::arg("graph"), py::arg("metric"), py::arg("top") = py::none(),
          R"(centrality(graph, metric, top=None, **options) -> dict

A centrality ranking, the dict of `collabgraph centrality DB --graph G --metric M --json`.
graph: "author", "institution" or "country". metric: betweenness, degree, pagerank, harmonic,
closeness, core, clustering, eigenvector, strength, components, louvain, bridge, brokerage
(docs/methodology.md). top: keep the `top` highest (None: all).
options: the filters of stats() (years, venues, tracks, tags, include_rejected, regions),
max_members=1000, weights="full" | "none" | "fractional" (strength, louvain),
weighted=None | "full" | "fractional" (betweenness, bridge path lengths), threads=0 (all
cores), samples=0 (exact), seed=1, between="US,CN" or ("US", "CN") (bridge, brokerage).)")
      .def(
          "projection",
          [](PyDatabase& self, const std::string& graph, const py::kwargs& kwargs) {
            Keywords kw("projection", kwargs);
            const CentralityOptions options = TakeProjectionOptions(&kw, graph);
            kw.Finish();
            return self.state->Use([&](Database& db) { return ValueOrThrow(db.Project(options)); });
          },
          py::arg("graph"),
          R"(projection(graph, **filters) -> Projection

The author, institution or country collaboration graph of the papers that pass the filters
(those of stats(), plus max_members=1000: a paper with more members adds no edges), as
`collabgraph export` writes it.)")
      .def(
          "info",
          [](PyDatabase& self) {
            const std::string json =
                self.state->Use([](Database& db) { return ToJson(ValueOrThrow(db.Info())); });
            return JsonToPython(json);
          },
          "Counts per label and edge type and the format versions, as `collabgraph info --json`.")
      .def(
          "check",
          [](PyDatabase& self) {
            const std::string json =
                self.state->Use([](Database& db) { return ToJson(ValueOrThrow(db.Check())); });
            return JsonToPython(json);
          },
          R"(Verifies every invariant, as `collabgraph check --json`: violations are in the
dict (its "ok" is False), not raised.)")
      .def(
          "compact",
          [](PyDatabase& self) {
            const std::string json =
                self.state->Use([](Database& db) { return ToJson(ValueOrThrow(db.Compact())); });
            return JsonToPython(json);
          },
          R"(Rewrites the files as one sorted run per column family, as `collabgraph compact
--json`; the content is unchanged.)")
      .def(
          "content_hash",
          [](PyDatabase& self) {
            return self.state->Use([](Database& db) { return ValueOrThrow(db.ContentHash()); });
          },
          "A hash of the logical content: equal content, equal hash (`info --hash`).");
}

}  // namespace collabgraph::python

PYBIND11_MODULE(collabgraph, m) {
  namespace cgp = collabgraph::python;
  namespace py = pybind11;
  m.doc() = R"(CollabGraph: an embedded graph database and analytics for research-collaboration
networks.

    import collabgraph
    with collabgraph.Database("neurips.db") as db:
        db.ingest(glob.glob("paperlists/nips/*.json.gz"))
        per_year = db.stats(by="year", regions="merge")    # the dict of `stats --json`
        top = db.centrality("country", "betweenness", top=10)
        edges = db.projection("institution", years="2010:2016").edges()

Results are the dicts of the CLI's --json; keyword arguments mirror its flags.)";
  m.attr("__version__") = collabgraph::LibraryVersion();
  cgp::RegisterExceptions(m);
  cgp::BindProjection(m);
  py::class_<cgp::PyDatabase> database(
      m, "Database",
      R"(A CollabGraph database, a directory holding a RocksDB instance. Usable as a context
manager (closed on exit). Methods may be called from several threads; long ones release the
GIL. Only one process may open a database for writing.)");
  cgp::BindDatabase(database);
  cgp::BindQuery(m, database);
  m.def(
      "country_code",
      [](const std::string& name) { return cgp::ValueOrThrow(collabgraph::CountryCode(name)); },
      py::arg("name_or_code"),
      "The ISO 3166-1 alpha-2 code of a code, English name or alias; NotFoundError otherwise.");
  m.def(
      "country_name",
      [](const std::string& code) { return cgp::ValueOrThrow(collabgraph::CountryName(code)); },
      py::arg("code"), "The English short name of an ISO code; NotFoundError otherwise.");
}
