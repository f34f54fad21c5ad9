#include "model/mutations.h"

#include <catch2/catch.hpp>

#include "model/check.h"
#include "model/keys.h"
#include "test_util.h"

using namespace collabgraph::model;
using collabgraph::testing::TempDir;

namespace {

Properties Props(std::initializer_list<std::pair<std::string, PropertyValue>> list) {
  Properties p;
  for (const auto& [k, v] : list) p.Set(k, v);
  return p;
}

void ExpectConsistent(Graph& graph) {
  auto report = CheckGraph(*graph.NewReadView());
  REQUIRE(report.ok());
  for (const auto& v : report->violations) INFO(v.invariant << ": " << v.detail);
  CHECK(report->violation_count == 0);
}

}  // namespace

TEST_CASE("Nodes and edges are created, updated and deleted with indexes and counters intact",
          "[model][mutations]") {
  TempDir dir;
  auto graph = Graph::Open(dir.Sub("db"), {});
  REQUIRE(graph.ok());
  auto writer = (*graph)->NewWriter();
  REQUIRE(writer.ok());
  Writer* w = writer->get();

  auto venue = CreateNode(w, Label::kVenue, Props({{"name", std::string("icml")}}));
  auto paper = CreateNode(w, Label::kPaper,
                          Props({{"venue", std::string("icml")},
                                 {"year", int64_t{2020}},
                                 {"source_id", std::string("p1")},
                                 {"title", std::string("T")}}));
  auto ann = CreateNode(w, Label::kAuthor,
                        Props({{"key", std::string("name:ann")}, {"name", std::string("Ann")}}));
  REQUIRE(venue.ok());
  REQUIRE(paper.ok());
  REQUIRE(ann.ok());
  // Same identity in the same pending record: refused.
  CHECK(absl::IsAlreadyExists(
      CreateNode(w, Label::kAuthor, Props({{"key", std::string("name:ann")}})).status()));
  CHECK(absl::IsInvalidArgument(CreateNode(w, Label::kTag, Props({})).status()));
  REQUIRE(w->Commit(false).ok());

  REQUIRE(CreateEdge(w, EdgeType::kAuthored, *ann, *paper, 0, {}).ok());
  REQUIRE(CreateEdge(w, EdgeType::kPublishedIn, *paper, *venue, 0, {}).ok());
  w->PutIndex(PaperByVenueKey(*venue, *paper), "");
  CHECK(absl::IsNotFound(CreateEdge(w, EdgeType::kAuthored, 999, *paper, 1, {})));
  REQUIRE(w->Commit(false).ok());
  CHECK(absl::IsAlreadyExists(CreateEdge(w, EdgeType::kAuthored, *ann, *paper, 0, {})));
  ExpectConsistent(**graph);

  // Update: a new identity moves the index entry; properties of an edge change in both records.
  REQUIRE(
      UpdateNode(w, Label::kAuthor, *ann,
                 Props({{"key", std::string("name:ann lee")}, {"name", std::string("Ann Lee")}}))
          .ok());
  Properties weight = Props({{"weight", 0.5}});
  REQUIRE(UpdateEdge(w, EdgeType::kAuthored, *ann, *paper, 0, weight).ok());
  REQUIRE(w->Commit(false).ok());
  ExpectConsistent(**graph);
  auto view = (*graph)->NewReadView();
  CHECK(view->Lookup(StringIndexKey(IndexKind::kAuthorKey, "name:ann")).value() == std::nullopt);
  CHECK(view->Lookup(StringIndexKey(IndexKind::kAuthorKey, "name:ann lee")).value() == ann.value());
  CHECK(view->EdgeCount(EdgeType::kAuthored).value() == 1);
  size_t seen = 0;
  REQUIRE(view->ScanEdges(EdgeType::kAuthored, Direction::kIn, *paper,
                          [&](const EdgeKeyParts&, std::string_view v) {
                            Properties p;
                            REQUIRE(DecodeProperties(v, &p));
                            CHECK(p.GetDouble("weight") == 0.5);
                            ++seen;
                          })
              .ok());
  CHECK(seen == 1);

  // Delete: a node with edges is refused; after its edges go, it can go.
  CHECK(absl::IsFailedPrecondition(DeleteNode(w, Label::kAuthor, *ann)));
  REQUIRE(DeleteEdge(w, EdgeType::kAuthored, *ann, *paper, 0).ok());
  REQUIRE(w->Commit(false).ok());
  CHECK(absl::IsNotFound(DeleteEdge(w, EdgeType::kAuthored, *ann, *paper, 0)));
  REQUIRE(DeleteNode(w, Label::kAuthor, *ann).ok());
  REQUIRE(w->Commit(false).ok());
  CHECK(absl::IsNotFound(DeleteNode(w, Label::kAuthor, *ann)));
  ExpectConsistent(**graph);
  view = (*graph)->NewReadView();
  CHECK(view->NodeCount(Label::kAuthor).value() == 0);
  CHECK(view->EdgeCount(EdgeType::kAuthored).value() == 0);
  CHECK(view->NodeCount(Label::kPaper).value() == 1);
}

TEST_CASE("Paper rosters follow every AUTHORED and AFFILIATED change, in any record",
          "[model][mutations]") {
  TempDir dir;
  auto graph = Graph::Open(dir.Sub("db"), {});
  REQUIRE(graph.ok());
  auto writer = (*graph)->NewWriter();
  REQUIRE(writer.ok());
  Writer* w = writer->get();
  auto node = [&](Label label, Properties props) {
    auto id = CreateNode(w, label, props);
    REQUIRE(id.ok());
    return *id;
  };
  auto paper_props = [](const std::string& source) {
    return Props({{"venue", std::string("icml")},
                  {"year", int64_t{2020}},
                  {"source_id", source},
                  {"title", std::string("T")}});
  };
  const NodeId p1 = node(Label::kPaper, paper_props("p1"));
  const NodeId p2 = node(Label::kPaper, paper_props("p2"));
  const NodeId ann = node(Label::kAuthor, Props({{"key", std::string("name:ann")}}));
  const NodeId bob = node(Label::kAuthor, Props({{"key", std::string("name:bob")}}));
  const NodeId mit =
      node(Label::kInstitution,
           Props({{"key", std::string("mit")}, {"country_code", std::string("US")}}));
  REQUIRE(RosterChunkOf(p1) == RosterChunkOf(p2));  // one chunk holds both
  auto roster = [&](NodeId paper) {
    std::string value;
    REQUIRE((*graph)
                ->NewReadView()
                ->ScanRaw(collabgraph::storage::Cf::kRosters,
                          [&](std::string_view, std::string_view v) { value = std::string(v); })
                .ok());
    RosterChunk papers;
    REQUIRE(DecodeRosterChunk(RosterChunkOf(paper), value, &papers));
    Roster r;
    for (const auto& [id, encoded] : papers) {
      if (id == paper) REQUIRE(DecodeRoster(encoded, &r));
    }
    return std::pair{r, papers.size()};
  };
  // Edges to papers created in the same record, then in later records (read back).
  REQUIRE(CreateEdge(w, EdgeType::kAuthored, ann, p1, 0, {}).ok());
  REQUIRE(w->Commit(false).ok());
  CHECK(roster(p1).first.authors == std::vector<std::pair<uint32_t, NodeId>>{{0, ann}});
  CHECK(roster(p1).second == 2);  // p2 has an empty roster
  REQUIRE(CreateEdge(w, EdgeType::kAuthored, bob, p1, 1, {}).ok());
  REQUIRE(CreateEdge(w, EdgeType::kAffiliated, p1, mit, 1, {}).ok());
  REQUIRE(CreateEdge(w, EdgeType::kAuthored, bob, p2, 0, {}).ok());
  REQUIRE(w->Commit(false).ok());
  CHECK(roster(p1).first.authors == std::vector<std::pair<uint32_t, NodeId>>{{0, ann}, {1, bob}});
  CHECK(roster(p1).first.institutions == std::vector<std::pair<uint32_t, NodeId>>{{1, mit}});
  CHECK(roster(p2).first.authors == std::vector<std::pair<uint32_t, NodeId>>{{0, bob}});
  // An edge property update leaves the roster; a delete removes the pair.
  REQUIRE(UpdateEdge(w, EdgeType::kAuthored, ann, p1, 0, Props({{"w", 1.0}})).ok());
  REQUIRE(DeleteEdge(w, EdgeType::kAffiliated, p1, mit, 1).ok());
  REQUIRE(w->Commit(false).ok());
  CHECK(roster(p1).first.authors.size() == 2);
  CHECK(roster(p1).first.institutions.empty());
  // An aborted record changes nothing, and the writer's cached chunk stays right.
  REQUIRE(DeleteEdge(w, EdgeType::kAuthored, ann, p1, 0).ok());
  w->Abort();
  CHECK(roster(p1).first.authors.size() == 2);
  // A deleted paper leaves the chunk; the other paper stays in it.
  REQUIRE(DeleteEdge(w, EdgeType::kAuthored, bob, p2, 0).ok());
  REQUIRE(w->Commit(false).ok());
  REQUIRE(DeleteNode(w, Label::kPaper, p2).ok());
  REQUIRE(w->Commit(false).ok());
  CHECK(roster(p1).second == 1);
  // check compares every roster with the edges (these papers lack a venue, which it reports
  // under other invariants).
  auto report = CheckGraph(*(*graph)->NewReadView());
  REQUIRE(report.ok());
  CHECK(report->violation_count > 0);
  for (const auto& v : report->violations) CHECK(v.invariant != "roster");
}

TEST_CASE("A writer's lookups see its pending identity changes before its cache",
          "[model][mutations]") {
  TempDir dir;
  auto graph = Graph::Open(dir.Sub("db"), {});
  REQUIRE(graph.ok());
  auto writer = (*graph)->NewWriter();
  REQUIRE(writer.ok());
  Writer* w = writer->get();
  auto ann = CreateNode(w, Label::kAuthor,
                        Props({{"key", std::string("name:ann")}, {"name", std::string("Ann")}}));
  auto bob = CreateNode(w, Label::kAuthor,
                        Props({{"key", std::string("name:bob")}, {"name", std::string("Bob")}}));
  REQUIRE(ann.ok());
  REQUIRE(bob.ok());
  REQUIRE(w->Commit(false).ok());
  const std::string ann_key = StringIndexKey(IndexKind::kAuthorKey, "name:ann");
  const std::string bob_key = StringIndexKey(IndexKind::kAuthorKey, "name:bob");
  // The commit put both keys in the writer's cache, which Lookup asks first.
  REQUIRE(w->Lookup(ann_key).value() == ann.value());
  REQUIRE(w->Lookup(bob_key).value() == bob.value());

  // Ann's key moves away and Bob takes it, in one pending record.
  REQUIRE(UpdateNode(w, Label::kAuthor, *ann,
                     Props({{"key", std::string("name:ann lee")}, {"name", std::string("Ann")}}))
              .ok());
  CHECK(w->Lookup(ann_key).value() == std::nullopt);
  REQUIRE(UpdateNode(w, Label::kAuthor, *bob,
                     Props({{"key", std::string("name:ann")}, {"name", std::string("Bob")}}))
              .ok());
  CHECK(w->Lookup(ann_key).value() == bob.value());
  CHECK(w->Lookup(bob_key).value() == std::nullopt);

  // Dropped: the committed entries are found again.
  w->Abort();
  CHECK(w->Lookup(ann_key).value() == ann.value());
  CHECK(w->Lookup(bob_key).value() == bob.value());

  // Committed: the moved entries stay moved.
  REQUIRE(UpdateNode(w, Label::kAuthor, *ann,
                     Props({{"key", std::string("name:ann lee")}, {"name", std::string("Ann")}}))
              .ok());
  REQUIRE(w->Commit(false).ok());
  CHECK(w->Lookup(ann_key).value() == std::nullopt);
  CHECK(w->Lookup(StringIndexKey(IndexKind::kAuthorKey, "name:ann lee")).value() == ann.value());
  ExpectConsistent(**graph);
}
