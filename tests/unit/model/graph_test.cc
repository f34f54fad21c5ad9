#include "model/graph.h"

#include <catch2/catch.hpp>

#include "model/check.h"
#include "model/paper_writer.h"
#include "test_util.h"

using namespace collabgraph::model;
using collabgraph::testing::TempDir;

namespace {

PaperInput MakePaper(const std::string& id,
                     const std::vector<std::pair<std::string, std::string>>& authors) {
  PaperInput p;
  p.venue = "nips";
  p.year = 2016;
  p.source_id = id;
  p.props.Set("title", "Paper " + id);
  for (const auto& [name, country] : authors) {
    AuthorshipInput a;
    a.name = name;
    a.key = "name:" + name;
    InstitutionInput inst;
    inst.name = "Univ " + country;
    inst.key = "univ " + country;
    inst.country_code = country;
    inst.country_name = country;
    a.institutions.push_back(inst);
    p.authorships.push_back(a);
  }
  return p;
}

}  // namespace

TEST_CASE("WritePaper stores nodes, both edge directions, indexes and counters", "[model]") {
  TempDir dir;
  auto graph = Graph::Open(dir.Sub("db"), {});
  REQUIRE(graph.ok());
  {
    auto writer = (*graph)->NewWriter();
    REQUIRE(writer.ok());
    CHECK(absl::IsFailedPrecondition((*graph)->NewWriter().status()));  // one writer at a time
    REQUIRE(
        WritePaper(writer->get(), MakePaper("p1", {{"Ann", "US"}, {"Bo", "CN"}}), false).value() ==
        WriteOutcome::kAdded);
    REQUIRE(WritePaper(writer->get(), MakePaper("p2", {{"Ann", "US"}}), false).value() ==
            WriteOutcome::kAdded);
    CHECK(WritePaper(writer->get(), MakePaper("p1", {{"Zed", "FR"}}), false).value() ==
          WriteOutcome::kAlreadyPresent);
  }
  auto view = (*graph)->NewReadView();
  CHECK(view->NodeCount(Label::kPaper).value() == 2);
  CHECK(view->NodeCount(Label::kAuthor).value() == 2);  // Ann is reused
  CHECK(view->NodeCount(Label::kInstitution).value() == 2);
  CHECK(view->NodeCount(Label::kCountry).value() == 2);
  CHECK(view->NodeCount(Label::kVenue).value() == 1);
  CHECK(view->EdgeCount(EdgeType::kAuthored).value() == 3);
  CHECK(view->EdgeCount(EdgeType::kAffiliated).value() == 3);
  CHECK(view->EdgeCount(EdgeType::kLocatedIn).value() == 2);

  // Every edge is present in both directions.
  for (EdgeType type : kAllEdgeTypes) {
    size_t out = 0;
    size_t in = 0;
    REQUIRE(view->ScanEdges(type, Direction::kOut, std::nullopt,
                            [&](const EdgeKeyParts&, std::string_view) { ++out; })
                .ok());
    REQUIRE(view->ScanEdges(type, Direction::kIn, std::nullopt,
                            [&](const EdgeKeyParts&, std::string_view) { ++in; })
                .ok());
    CHECK(out == in);
    CHECK(out == view->EdgeCount(type).value());
  }
  auto paper = view->Lookup(PaperSourceIndexKey("nips", 2016, "p1"));
  REQUIRE(paper.ok());
  REQUIRE(paper->has_value());
  auto props = view->GetNode(Label::kPaper, **paper);
  REQUIRE(props.ok());
  CHECK(props->GetString("title") == "Paper p1");
  CHECK(props->GetInt("year") == 2016);
  // Authors of p1 in position order.
  std::vector<uint32_t> ranks;
  REQUIRE(view->ScanEdges(EdgeType::kAuthored, Direction::kIn, **paper,
                          [&](const EdgeKeyParts& e, std::string_view) { ranks.push_back(e.rank); })
              .ok());
  std::sort(ranks.begin(), ranks.end());
  CHECK(ranks == std::vector<uint32_t>{0, 1});
}

TEST_CASE("Authors are found by exact name and by external id", "[model]") {
  TempDir dir;
  auto graph = Graph::Open(dir.Sub("db"), {});
  REQUIRE(graph.ok());
  {
    auto writer = (*graph)->NewWriter();
    PaperInput p1 = MakePaper("p1", {{"Ann", "US"}, {"Bo", "CN"}});
    p1.authorships[0].external_ids = {"openreview:~Ann1"};
    p1.authorships[1].external_ids = {"openreview:~Ann1"};  // already claimed: stays with Ann
    REQUIRE(WritePaper(writer->get(), p1, false).ok());
    PaperInput p2 = MakePaper("p2", {{"Ann", "US"}});
    p2.authorships[0].external_ids = {"orcid:0000-0002"};  // a second id for the same author
    REQUIRE(WritePaper(writer->get(), p2, false).ok());
  }
  auto view = (*graph)->NewReadView();
  const NodeId ann =
      view->Lookup(StringIndexKey(IndexKind::kAuthorKey, "name:Ann")).value().value();
  CHECK(view->Lookup(ExternalIdKey("openreview", "~Ann1")).value() == ann);
  CHECK(view->Lookup(ExternalIdKey("orcid", "0000-0002")).value() == ann);
  auto props = view->GetNode(Label::kAuthor, ann);
  REQUIRE(props.ok());
  REQUIRE(props->GetStringList("external_ids") != nullptr);
  CHECK(*props->GetStringList("external_ids") == StringList{"openreview:~Ann1", "orcid:0000-0002"});
  std::vector<std::string> name_keys;
  REQUIRE(view->ScanIndex(IndexKind::kNodeName,
                          [&](std::string_view k, std::string_view) { name_keys.emplace_back(k); })
              .ok());
  CHECK(name_keys.size() == 4);  // Ann, Bo and their two institutions
  CHECK(CheckGraph(*view).value().violation_count == 0);
}

TEST_CASE("Counters and ids continue across reopen", "[model]") {
  TempDir dir;
  {
    auto graph = Graph::Open(dir.Sub("db"), {});
    REQUIRE(graph.ok());
    auto writer = (*graph)->NewWriter();
    REQUIRE(WritePaper(writer->get(), MakePaper("p1", {{"Ann", "US"}}), false).ok());
  }
  auto graph = Graph::Open(dir.Sub("db"), {});
  REQUIRE(graph.ok());
  {
    auto writer = (*graph)->NewWriter();
    REQUIRE(WritePaper(writer->get(), MakePaper("p2", {{"Cy", "DE"}}), false).ok());
  }
  auto view = (*graph)->NewReadView();
  CHECK(view->NodeCount(Label::kPaper).value() == 2);
  CHECK(view->NodeCount(Label::kAuthor).value() == 2);
  std::vector<NodeId> ids;
  REQUIRE(
      view->ScanNodes(Label::kPaper, [&](NodeId id, std::string_view) { ids.push_back(id); }).ok());
  CHECK(ids == std::vector<NodeId>{1, 2});
}

TEST_CASE("A ReadView keeps its snapshot while a writer adds papers", "[model]") {
  TempDir dir;
  auto graph = Graph::Open(dir.Sub("db"), {});
  REQUIRE(graph.ok());
  auto writer = (*graph)->NewWriter();
  REQUIRE(WritePaper(writer->get(), MakePaper("p1", {{"Ann", "US"}}), false).ok());
  auto view = (*graph)->NewReadView();
  REQUIRE(WritePaper(writer->get(), MakePaper("p2", {{"Bo", "CN"}}), false).ok());
  CHECK(view->NodeCount(Label::kPaper).value() == 1);
  CHECK(view->NodeCount(Label::kAuthor).value() == 1);
  CHECK((*graph)->NewReadView()->NodeCount(Label::kPaper).value() == 2);
}
