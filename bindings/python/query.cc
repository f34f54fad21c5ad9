// Database.snapshot() and the Snapshot class: the query API (collabgraph/query.h) with records
// as the dicts of `collabgraph query --json` (the library's ToJson of each record), and the
// paper and neighbourhood cursors as Python iterators.
//
// What Python holds and what the library needs: a Python Snapshot owns a SnapshotSlot (the
// library's Snapshot, and a mutex because a library Snapshot and its cursors are for one thread
// at a time); a Python cursor owns a CursorSlot and a reference to its Python Snapshot, which
// keeps the Snapshot (and so the DbState) alive as long as the cursor. Both slots are borrowers
// of the DbState (state.h): closing the database releases cursors, then snapshots, then the
// Database, and any later use raises ClosedError.

#include "collabgraph/query.h"

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "collabgraph/json.h"
#include "convert.h"
#include "module.h"
#include "options.h"
#include "state.h"

namespace collabgraph::python {
namespace {

// Records a cursor reads under one lock before handing them out, so that a loop over many
// papers does not release and retake the GIL and the locks per paper.
constexpr size_t kCursorBatch = 128;

// What a cursor holds: the library cursor, which reads through its snapshot.
struct CursorSlotBase : Borrower {
  // Set once the cursor is released by anyone but its own exhaustion: by close() of the cursor,
  // its snapshot or its database. Read without locks by the iterator.
  std::atomic<bool> closed{false};
  // Frees the library cursor; call with the snapshot's mutex held.
  virtual void Reset() = 0;
};

struct SnapshotSlot : Borrower {
  std::mutex mu;  // held around every use of `snapshot` and of its cursors
  std::unique_ptr<Snapshot> snapshot;
  std::atomic<bool> closed{false};
  // The cursors reading through `snapshot`, released before it.
  std::vector<std::weak_ptr<CursorSlotBase>> cursors;
  void Release() override {
    std::lock_guard guard(mu);
    for (const auto& weak : cursors) {
      if (auto cursor = weak.lock()) {
        cursor->closed = true;
        cursor->Reset();
      }
    }
    cursors.clear();
    snapshot.reset();
    closed = true;
  }
};

template <typename Cursor>
struct CursorSlot : CursorSlotBase {
  explicit CursorSlot(std::shared_ptr<SnapshotSlot> s) : snapshot(std::move(s)) {}
  std::shared_ptr<SnapshotSlot> snapshot;
  std::unique_ptr<Cursor> cursor;
  void Reset() override { cursor.reset(); }
  void Release() override {
    std::lock_guard guard(snapshot->mu);
    closed = true;
    cursor.reset();
  }
};

class PySnapshot {
 public:
  explicit PySnapshot(std::shared_ptr<DbState> state)
      : state_(std::move(state)), slot_(std::make_shared<SnapshotSlot>()) {
    state_->Use([this](Database& db) {
      slot_->snapshot = db.NewSnapshot();
      ticket_ = state_->Register(slot_);
      return 0;
    });
  }
  ~PySnapshot() { state_->Retire(ticket_); }
  PySnapshot(const PySnapshot&) = delete;
  PySnapshot& operator=(const PySnapshot&) = delete;

  // Runs f(Snapshot&) with the GIL released, the database lock held shared and the snapshot's
  // mutex held; ClosedError when the snapshot or its database is closed.
  template <typename F>
  auto Use(F&& f) -> decltype(f(std::declval<Snapshot&>())) {
    py::gil_scoped_release release;
    std::shared_lock lock(state_->mutex());
    std::lock_guard guard(slot_->mu);
    if (slot_->snapshot == nullptr) throw ClosedError(ClosedMessage());
    return f(*slot_->snapshot);
  }

  // Registers a new cursor slot made by f(Snapshot&) under the same locks as Use.
  template <typename Cursor, typename F>
  std::pair<std::shared_ptr<CursorSlot<Cursor>>, uint64_t> NewCursor(F&& make) {
    auto cursor_slot = std::make_shared<CursorSlot<Cursor>>(slot_);
    py::gil_scoped_release release;
    std::shared_lock lock(state_->mutex());
    {
      std::lock_guard guard(slot_->mu);
      if (slot_->snapshot == nullptr) throw ClosedError(ClosedMessage());
      cursor_slot->cursor = make(*slot_->snapshot);
      std::erase_if(slot_->cursors, [](const auto& weak) { return weak.expired(); });
      slot_->cursors.push_back(cursor_slot);
    }
    return {cursor_slot, state_->Register(cursor_slot)};
  }

  void Close() { state_->Retire(ticket_); }

  // Why the snapshot cannot be used: its database or itself was closed.
  std::string ClosedMessage() const {
    return state_->closed_flag() ? state_->ClosedMessage() : "the snapshot is closed";
  }

  const std::shared_ptr<DbState>& state() const { return state_; }
  const std::shared_ptr<SnapshotSlot>& slot() const { return slot_; }

 private:
  std::shared_ptr<DbState> state_;
  std::shared_ptr<SnapshotSlot> slot_;
  uint64_t ticket_ = 0;
};

// A Python iterator over a library cursor: reads up to kCursorBatch items per call into the
// library, each as `Read(cursor)` (plain C++ data, made without the GIL), and turns them into
// Python objects with `ToPython` as they are handed out. An error after some items is raised
// after those items.
template <typename Cursor, typename Item>
class PyCursor {
 public:
  using Reader = Item (*)(const Cursor&);
  using Converter = py::object (*)(const Item&);

  PyCursor(std::shared_ptr<PySnapshot> snapshot,
           std::pair<std::shared_ptr<CursorSlot<Cursor>>, uint64_t> slot, Reader read,
           Converter to_python)
      : snapshot_(std::move(snapshot)),
        slot_(std::move(slot.first)),
        ticket_(slot.second),
        read_(read),
        to_python_(to_python) {}
  ~PyCursor() { snapshot_->state()->Retire(ticket_); }
  PyCursor(const PyCursor&) = delete;
  PyCursor& operator=(const PyCursor&) = delete;

  py::object Next() {
    if (slot_->closed) throw ClosedError(ClosedMessage());
    if (buffer_.empty() && !done_) Fill();
    if (buffer_.empty()) {
      if (error_) {
        const absl::Status error = *std::exchange(error_, std::nullopt);
        throw StatusError(error);
      }
      throw py::stop_iteration();
    }
    Item item = std::move(buffer_.front());
    buffer_.pop_front();
    return to_python_(item);
  }

  // Frees the library cursor; later use raises ClosedError.
  void Close() {
    buffer_.clear();
    snapshot_->state()->Retire(ticket_);
  }

 private:
  // Reads the next batch. Two threads may call next() on one iterator: the batch is read under
  // the snapshot's mutex and handed to `buffer_` only once the GIL is back.
  void Fill() {
    std::vector<Item> items;
    bool done = false;
    std::optional<absl::Status> error;
    {
      py::gil_scoped_release release;
      std::shared_lock lock(snapshot_->state()->mutex());
      std::lock_guard guard(snapshot_->slot()->mu);
      if (slot_->closed) throw ClosedError(ClosedMessage());
      Cursor* cursor = slot_->cursor.get();
      done = cursor == nullptr;  // another thread's batch reached the end
      for (size_t i = 0; !done && i < kCursorBatch; ++i) {
        if (started_) cursor->Next();
        started_ = true;
        if (!cursor->Valid()) {
          done = true;
          if (absl::Status st = cursor->status(); !st.ok()) error = std::move(st);
          // The library cursor is no longer needed; the slot stays registered (and open) until
          // the iterator goes.
          slot_->cursor.reset();
          break;
        }
        items.push_back(read_(*cursor));
      }
    }
    for (Item& item : items) buffer_.push_back(std::move(item));
    done_ = done_ || done;
    if (error) error_ = std::move(error);
  }

  std::string ClosedMessage() const {
    if (snapshot_->slot()->closed) return snapshot_->ClosedMessage();
    return "the cursor is closed";
  }

  std::shared_ptr<PySnapshot> snapshot_;
  std::shared_ptr<CursorSlot<Cursor>> slot_;
  uint64_t ticket_;
  Reader read_;
  Converter to_python_;
  bool started_ = false;  // the library cursor starts on its first item; guarded by its mutex
  bool done_ = false;
  std::optional<absl::Status> error_;
  std::deque<Item> buffer_;
};

using PyPaperCursor = PyCursor<PaperCursor, std::string>;
using PyNeighborhoodCursor = PyCursor<NeighborhoodCursor, std::pair<uint64_t, uint32_t>>;

std::string ReadPaper(const PaperCursor& c) { return ToJson(c.paper()); }
py::object JsonItem(const std::string& json) { return JsonToPython(json); }
std::pair<uint64_t, uint32_t> ReadNeighbor(const NeighborhoodCursor& c) {
  return {c.id(), c.distance()};
}
py::object NeighborItem(const std::pair<uint64_t, uint32_t>& item) {
  py::dict d;
  d["id"] = item.first;
  d["distance"] = item.second;
  return d;
}

// The records of a list as a list of dicts.
py::list JsonList(const std::vector<std::string>& json) {
  py::list out(json.size());
  for (size_t i = 0; i < json.size(); ++i) out[i] = JsonToPython(json[i]);
  return out;
}

template <typename T>
std::vector<std::string> ToJsonAll(const std::vector<T>& records) {
  std::vector<std::string> out;
  out.reserve(records.size());
  for (const T& r : records) out.push_back(ToJson(r));
  return out;
}

// A lookup that returns one record (or NotFound) as a dict.
template <typename F>
py::object One(PySnapshot& s, F&& lookup) {
  const std::string json =
      s.Use([&](Snapshot& snap) { return ToJson(ValueOrThrow(lookup(snap))); });
  return JsonToPython(json);
}

// A lookup that returns a list of records as a list of dicts.
template <typename F>
py::list Many(PySnapshot& s, F&& lookup) {
  const std::vector<std::string> json =
      s.Use([&](Snapshot& snap) { return ToJsonAll(ValueOrThrow(lookup(snap))); });
  return JsonList(json);
}

// A lookup that returns an optional record as a dict or None.
template <typename F>
py::object Optional(PySnapshot& s, F&& lookup) {
  const std::optional<std::string> json = s.Use([&](Snapshot& snap) -> std::optional<std::string> {
    auto found = ValueOrThrow(lookup(snap));
    if (!found) return std::nullopt;
    return ToJson(*found);
  });
  return json ? JsonToPython(*json) : py::none();
}

GraphKind TraversalGraph(const std::string& graph, const char* function) {
  if (graph == "author") return GraphKind::kAuthor;
  if (graph == "institution") return GraphKind::kInstitution;
  throw StatusError(absl::InvalidArgumentError(
      std::string(function) + "(): graph must be author or institution, not \"" + graph + "\""));
}

Regions RegionsArg(const std::string& regions) {
  if (regions == "source") return Regions::kSource;
  if (regions == "split") return Regions::kSplit;
  if (regions == "merge") return Regions::kMerge;
  throw StatusError(absl::InvalidArgumentError(
      "countries_of_paper(): regions must be one of source, split, merge, not \"" + regions +
      "\""));
}

NameMatch Match(bool normalized) { return normalized ? NameMatch::kNormalized : NameMatch::kExact; }

PaperQuery TakePaperQuery(Keywords* kw) {
  PaperQuery query;
  TakeFilters(kw, &query.filters, &query.regions);
  query.any_countries = kw->TakeStrings("any_countries");
  query.all_countries = kw->TakeStrings("all_countries");
  if (auto ids = kw->Take("institutions")) {
    const auto is_id = [](const py::handle& v) {
      return py::isinstance<py::int_>(v) && !py::isinstance<py::bool_>(v);
    };
    if (is_id(*ids)) {
      query.institutions.push_back(ids->cast<uint64_t>());
    } else if (py::isinstance<py::iterable>(*ids) && !py::isinstance<py::str>(*ids)) {
      for (const py::handle id : *ids) {
        if (!is_id(id)) throw py::type_error("papers(): institutions must be ids (int)");
        query.institutions.push_back(id.cast<uint64_t>());
      }
    } else {
      throw py::type_error("papers(): institutions must be an id or a list of ids");
    }
  }
  if (auto author = kw->TakeInt("author")) query.author = static_cast<uint64_t>(*author);
  return query;
}

}  // namespace

void BindQuery(py::module_& m, py::class_<PyDatabase>& database) {
  py::class_<PyPaperCursor>(m, "PaperCursor",
                            R"(An iterator over the papers of Snapshot.papers(), as dicts, in
ascending id order. It keeps its Snapshot alive; it raises ClosedError once the database is
closed.)")
      .def("__iter__", [](py::object self) { return self; })
      .def("__next__", &PyPaperCursor::Next)
      .def("close", &PyPaperCursor::Close, "Frees the cursor; iteration ends.");
  py::class_<PyNeighborhoodCursor>(m, "NeighborhoodCursor",
                                   R"(An iterator over Snapshot.neighborhood(): {"id", "distance"}
dicts, nearest first, ascending id within one distance. Each level is read when reached.)")
      .def("__iter__", [](py::object self) { return self; })
      .def("__next__", &PyNeighborhoodCursor::Next)
      .def("close", &PyNeighborhoodCursor::Close, "Frees the cursor; iteration ends.");

  py::class_<PySnapshot, std::shared_ptr<PySnapshot>>(m, "Snapshot", R"(Lookups and traversals
over one consistent state of a database (Database.snapshot()): a paper ingested later is not
seen. Records are the dicts of `collabgraph query --json`; ids are the database ids that
centrality, projections and exports give. Keeps its Database open while alive, until
Database.close(), after which every use raises ClosedError. One thread at a time (calls from
several threads are serialised). Usable as a context manager (closed on exit).

Errors: NotFoundError for an id or code that names no node; InvalidArgumentError for bad
arguments.)")
      .def("close", &PySnapshot::Close, "Frees the snapshot; later use raises ClosedError.")
      .def("__enter__", [](py::object self) { return self; })
      .def("__exit__",
           [](PySnapshot& self, const py::args&) {
             self.Close();
             return false;
           })
      .def(
          "paper",
          [](PySnapshot& s, uint64_t id) {
            return One(s, [&](Snapshot& q) { return q.Paper(id); });
          },
          py::arg("id"), "The paper with this id: {id, title, venue, year, track, status, ...}.")
      .def(
          "author",
          [](PySnapshot& s, uint64_t id) {
            return One(s, [&](Snapshot& q) { return q.Author(id); });
          },
          py::arg("id"), "The author with this id: {id, name, key, external_ids}.")
      .def(
          "institution",
          [](PySnapshot& s, uint64_t id) {
            return One(s, [&](Snapshot& q) { return q.Institution(id); });
          },
          py::arg("id"), "The institution with this id: {id, name, country_code, region_code}.")
      .def(
          "country",
          [](PySnapshot& s, const std::string& code) {
            return One(s, [&](Snapshot& q) { return q.Country(code); });
          },
          py::arg("code_or_name"), "A country by ISO code or English name: {id, code, name}.")
      .def(
          "find_authors",
          [](PySnapshot& s, const std::string& name, bool normalized) {
            return Many(s, [&](Snapshot& q) { return q.FindAuthors(name, Match(normalized)); });
          },
          py::arg("name"), py::kw_only(), py::arg("normalized") = false,
          R"(Authors with this display name (normalized=True: case, diacritics and punctuation
folded), in id order.)")
      .def(
          "find_institutions",
          [](PySnapshot& s, const std::string& name, bool normalized) {
            return Many(s,
                        [&](Snapshot& q) { return q.FindInstitutions(name, Match(normalized)); });
          },
          py::arg("name"), py::kw_only(), py::arg("normalized") = false,
          "Institutions with this name (normalized=True: by normalised name), in id order.")
      .def(
          "find_author_by_external_id",
          [](PySnapshot& s, const std::string& scheme, const std::string& value) {
            return Optional(s,
                            [&](Snapshot& q) { return q.FindAuthorByExternalId(scheme, value); });
          },
          py::arg("scheme"), py::arg("value"),
          "The author with this \"orcid\", \"openalex\" or \"openreview\" id, or None.")
      .def(
          "find_paper_by_external_id",
          [](PySnapshot& s, const std::string& scheme, const std::string& value) {
            return Optional(s, [&](Snapshot& q) { return q.FindPaperByExternalId(scheme, value); });
          },
          py::arg("scheme"), py::arg("value"),
          R"(The paper with this "openalex_work" id, or ("source", "VENUE/YEAR/SOURCE_ID"), or
None.)")
      .def(
          "papers",
          [](const std::shared_ptr<PySnapshot>& s, const py::kwargs& kwargs) {
            Keywords kw("papers", kwargs);
            const PaperQuery query = TakePaperQuery(&kw);
            kw.Finish();
            auto slot = s->NewCursor<PaperCursor>([&](Snapshot& q) { return q.Papers(query); });
            return std::make_unique<PyPaperCursor>(s, std::move(slot), &ReadPaper, &JsonItem);
          },
          R"(papers(**query) -> PaperCursor

The papers that match every option given, streamed in ascending id order as dicts:
  the filters of Database.stats() (years, year_from, year_to, venues, tracks, tags,
  include_rejected, regions: the view the country lists are read in);
  any_countries: a country set with at least one of these (ISO codes or names);
  all_countries: a country set with all of these; institutions: ids (an authorship at one of
  them); author: an id.)")
      .def(
          "country_pairs",
          [](PySnapshot& s, const py::kwargs& kwargs) {
            Keywords kw("country_pairs", kwargs);
            const PaperQuery query = TakePaperQuery(&kw);
            kw.Finish();
            const auto pairs =
                s.Use([&](Snapshot& q) { return ValueOrThrow(q.CountryPairs(query)); });
            py::list out(pairs.size());
            for (size_t i = 0; i < pairs.size(); ++i) {
              py::dict d;
              d["a"] = pairs[i].a;
              d["b"] = pairs[i].b;
              d["papers"] = pairs[i].papers;
              out[i] = d;
            }
            return out;
          },
          R"(country_pairs(**query) -> list

Full-count country co-occurrence over the papers that papers(**query) selects: [{a, b,
papers}] for every pair of countries in a paper's country set, most papers first (ties by
codes), as `collabgraph query DB pairs --json`.)")
      .def(
          "authorships",
          [](PySnapshot& s, uint64_t paper) {
            return Many(s, [&](Snapshot& q) { return q.Authorships(paper); });
          },
          py::arg("paper"),
          "The authorships of a paper in position order: {position, author, institutions}.")
      .def(
          "institutions_of_paper",
          [](PySnapshot& s, uint64_t paper) {
            return Many(s, [&](Snapshot& q) { return q.InstitutionsOfPaper(paper); });
          },
          py::arg("paper"), "The distinct institutions of a paper, in id order.")
      .def(
          "countries_of_paper",
          [](PySnapshot& s, uint64_t paper, const std::string& regions) {
            const Regions r = RegionsArg(regions);
            return Many(s, [&](Snapshot& q) { return q.CountriesOfPaper(paper, r); });
          },
          py::arg("paper"), py::kw_only(), py::arg("regions") = "source",
          "The country set of a paper under `regions` (source, split, merge), in code order.")
      .def(
          "coauthors",
          [](PySnapshot& s, uint64_t author) {
            return Many(s, [&](Snapshot& q) { return q.CoAuthors(author); });
          },
          py::arg("author"),
          "The co-authors of an author, {author, papers} with the papers shared, most first.")
      .def(
          "most_prolific_authors",
          [](PySnapshot& s, size_t n) {
            return Many(s, [&](Snapshot& q) { return q.MostProlificAuthors(n); });
          },
          py::arg("n") = 20, "The `n` authors with most papers, {author, papers}, most first.")
      .def(
          "neighborhood",
          [](const std::shared_ptr<PySnapshot>& s, uint64_t start, const std::string& graph,
             uint32_t hops) {
            const GraphKind kind = TraversalGraph(graph, "neighborhood");
            auto slot = s->NewCursor<NeighborhoodCursor>(
                [&](Snapshot& q) { return ValueOrThrow(q.Neighborhood(kind, start, hops)); });
            return std::make_unique<PyNeighborhoodCursor>(s, std::move(slot), &ReadNeighbor,
                                                          &NeighborItem);
          },
          py::arg("start"), py::kw_only(), py::arg("graph") = "author", py::arg("hops") = 2,
          R"(Everything within `hops` of `start` in the author or institution collaboration
graph (the start excluded), as a NeighborhoodCursor of {id, distance}.)")
      .def(
          "shortest_path",
          [](PySnapshot& s, uint64_t from, uint64_t to, const std::string& graph,
             uint32_t max_hops) {
            const GraphKind kind = TraversalGraph(graph, "shortest_path");
            return Many(s, [&](Snapshot& q) { return q.ShortestPath(kind, from, to, max_hops); });
          },
          py::arg("source"), py::arg("target"), py::kw_only(), py::arg("graph") = "author",
          py::arg("max_hops") = 12,
          R"(A shortest collaboration path, [{id, name, via_paper}] from source to target (both
included; via_paper links a step to the one before, 0 for the first), the same one every time
on the same database; [] when there is none within max_hops edges.)");

  database.def(
      "snapshot", [](PyDatabase& self) { return std::make_shared<PySnapshot>(self.state); },
      R"(A Snapshot of the current state, for lookups and traversals (the query API).)");
}

}  // namespace collabgraph::python
