// Bulk commits land on a thread of their own (model::Writer::Commit): the writer must see the
// records in flight, keep later ones out after a failed commit, and answer lookups from its
// own filter only when that is exact.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "gate_file_system.h"
#include "ingest/loader.h"
#include "model/check.h"
#include "model/graph.h"
#include "model/keys.h"
#include "model/paper_writer.h"
#include "rocksdb/env.h"
#include "rocksdb/file_system.h"
#include "test_util.h"

using namespace collabgraph::model;
using collabgraph::testing::GateFileSystem;
using collabgraph::testing::TempDir;

namespace {

PaperInput MakePaper(const std::string& id, const std::string& author) {
  PaperInput p;
  p.venue = "nips";
  p.year = 2016;
  p.source_id = id;
  p.props.Set("title", "Paper " + id);
  AuthorshipInput a;
  a.name = author;
  a.key = "name:" + author;
  a.external_ids.push_back("openreview:~" + author + "1");
  InstitutionInput inst;
  inst.name = "Univ US";
  inst.key = "univ us";
  inst.country_code = "US";
  inst.country_name = "United States";
  a.institutions.push_back(inst);
  p.authorships.push_back(a);
  return p;
}

WriteOptions BulkCommit() {
  WriteOptions options;
  options.bulk = true;
  return options;
}

WriteOptions NoCommit() {
  WriteOptions options;
  options.commit = false;
  return options;
}

struct GatedGraph {
  GatedGraph()
      // Holds every bulk SST file (storage::Store::IngestAsTables): a bulk commit then stays
      // in flight as long as a test needs, or fails.
      : fs(std::make_shared<GateFileSystem>(
            rocksdb::FileSystem::Default(),
            [](const std::string& f) { return f.find("/bulk-") != std::string::npos; })),
        env(rocksdb::NewCompositeEnv(fs)) {
    collabgraph::storage::StoreOptions options;
    options.env = env.get();
    auto opened = Graph::Open(dir.Sub("db"), options);
    REQUIRE(opened.ok());
    graph = std::move(*opened);
  }
  TempDir dir;
  std::shared_ptr<GateFileSystem> fs;
  std::unique_ptr<rocksdb::Env> env;
  std::unique_ptr<Graph> graph;
};

}  // namespace

TEST_CASE("A writer sees its bulk commit in flight: no paper or author is written twice",
          "[model]") {
  GatedGraph g;
  {
    auto writer = g.graph->NewWriter();
    REQUIRE(writer.ok());
    g.fs->Set(false);
    WriteOptions with_marker = BulkCommit();
    with_marker.marker_key = IngestFileKey("gate-test");
    with_marker.marker_value = 1;
    REQUIRE(WritePaper(writer->get(), MakePaper("p1", "Ann"), with_marker).value() ==
            WriteOutcome::kAdded);
    g.fs->AwaitWaiter();  // p1's batch is in flight and cannot land
    auto marker = (*writer)->ReadMarker(IngestFileKey("gate-test"));
    REQUIRE(marker.ok());
    CHECK(*marker == std::optional<uint64_t>(1));
    // The same paper again, and a new paper by the same author, while p1 is in flight: the
    // store does not have them yet, the writer must.
    CHECK(WritePaper(writer->get(), MakePaper("p1", "Zed"), NoCommit()).value() ==
          WriteOutcome::kAlreadyPresent);
    CHECK(WritePaper(writer->get(), MakePaper("p2", "Ann"), NoCommit()).value() ==
          WriteOutcome::kAdded);
    auto ann = (*writer)->Lookup(StringIndexKey(IndexKind::kAuthorKey, "name:Ann"));
    REQUIRE(ann.ok());
    REQUIRE(ann->has_value());
    CHECK((*writer)->GetNode(Label::kAuthor, **ann).ok());
    CHECK(g.graph->NewReadView()->NodeCount(Label::kPaper).value() == 0);
    g.fs->Set(true);
    REQUIRE((*writer)->Commit(/*sync=*/false, /*bulk=*/true).ok());
    REQUIRE((*writer)->WaitForCommits().ok());
  }
  auto view = g.graph->NewReadView();
  CHECK(view->NodeCount(Label::kPaper).value() == 2);
  CHECK(view->NodeCount(Label::kAuthor).value() == 1);
  CHECK(view->NodeCount(Label::kInstitution).value() == 1);
  CHECK(view->EdgeCount(EdgeType::kAuthored).value() == 2);
}

TEST_CASE("After a failed bulk commit no later record lands", "[model]") {
  GatedGraph g;
  {
    auto writer = g.graph->NewWriter();
    REQUIRE(writer.ok());
    REQUIRE(WritePaper(writer->get(), MakePaper("p0", "Ann"), BulkCommit()).ok());
    REQUIRE((*writer)->WaitForCommits().ok());
    g.fs->Fail();
    // The commit returns before its files are written; the failure surfaces at the next one.
    REQUIRE(WritePaper(writer->get(), MakePaper("p1", "Bo"), BulkCommit()).ok());
    auto next = WritePaper(writer->get(), MakePaper("p2", "Cy"), BulkCommit());
    REQUIRE(!next.ok());
    CHECK(next.status().message().find("gate: file refused") != std::string::npos);
    // Neither a bulk nor a record-by-record commit lands after it.
    CHECK(!WritePaper(writer->get(), MakePaper("p3", "Di"), BulkCommit()).ok());
    CHECK(!WritePaper(writer->get(), MakePaper("p4", "Ed"), false).ok());
    CHECK(!(*writer)->WaitForCommits().ok());
  }
  auto view = g.graph->NewReadView();
  CHECK(view->NodeCount(Label::kPaper).value() == 1);
  CHECK(view->NodeCount(Label::kAuthor).value() == 1);
}

TEST_CASE("A bulk load into a database that has papers finds them without the lookup filter",
          "[model]") {
  TempDir dir;
  auto graph = Graph::Open(dir.Sub("db"), {});
  REQUIRE(graph.ok());
  {
    auto writer = (*graph)->NewWriter();
    REQUIRE(writer.ok());
    REQUIRE(WritePaper(writer->get(), MakePaper("p1", "Ann"), false).value() ==
            WriteOutcome::kAdded);
  }
  {
    // A second writer: the index is no longer empty, so its lookups read the database.
    auto writer = (*graph)->NewWriter();
    REQUIRE(writer.ok());
    CHECK(WritePaper(writer->get(), MakePaper("p1", "Zed"), BulkCommit()).value() ==
          WriteOutcome::kAlreadyPresent);
    CHECK(WritePaper(writer->get(), MakePaper("p2", "Ann"), BulkCommit()).value() ==
          WriteOutcome::kAdded);
    REQUIRE((*writer)->WaitForCommits().ok());
    REQUIRE((*graph)->mutable_store().FinishBulk().ok());
  }
  auto view = (*graph)->NewReadView();
  CHECK(view->NodeCount(Label::kPaper).value() == 2);
  CHECK(view->NodeCount(Label::kAuthor).value() == 1);  // Ann, found in the database
  CHECK(view->EdgeCount(EdgeType::kAuthored).value() == 2);
}

TEST_CASE("A resume marker alone is a pending record, and its commit writes it", "[model]") {
  // The loader commits a file's last papers only when the writer has pending operations; a
  // file whose papers were all present already leaves nothing pending but its marker.
  TempDir dir;
  auto graph = Graph::Open(dir.Sub("db"), {});
  REQUIRE(graph.ok());
  for (const bool bulk : {true, false}) {
    const std::string key = IngestFileKey(bulk ? "bulk-file" : "record-file");
    {
      auto writer = (*graph)->NewWriter();
      REQUIRE(writer.ok());
      REQUIRE((*writer)->pending_operations() == 0);
      (*writer)->PutMarker(key, 2);
      (*writer)->PutMarker(key, 3);  // the last value wins
      CHECK((*writer)->pending_operations() == 1);
      REQUIRE((*writer)->Commit(/*sync=*/false, bulk).ok());
      REQUIRE((*writer)->WaitForCommits().ok());
      CHECK((*writer)->pending_operations() == 0);
      if (bulk) REQUIRE((*graph)->mutable_store().FinishBulk().ok());
    }
    auto reader = (*graph)->NewWriter();
    REQUIRE(reader.ok());
    auto marker = (*reader)->ReadMarker(key);
    REQUIRE(marker.ok());
    CHECK(*marker == std::optional<uint64_t>(3));
  }
}

TEST_CASE("A bulk commit with a delete is refused at once, and the writer goes on", "[model]") {
  TempDir dir;
  auto graph = Graph::Open(dir.Sub("db"), {});
  REQUIRE(graph.ok());
  {
    auto writer = (*graph)->NewWriter();
    REQUIRE(writer.ok());
    REQUIRE(WritePaper(writer->get(), MakePaper("p1", "Ann"), BulkCommit()).ok());
    (*writer)->DeleteIndex(StringIndexKey(IndexKind::kAuthorKey, "name:Nobody"));
    const absl::Status refused = (*writer)->Commit(/*sync=*/false, /*bulk=*/true);
    CHECK(absl::IsInvalidArgument(refused));
    CHECK(refused.message().find("puts only") != std::string::npos);
    CHECK(WritePaper(writer->get(), MakePaper("p2", "Bo"), BulkCommit()).ok());
    REQUIRE((*writer)->WaitForCommits().ok());
    REQUIRE((*graph)->mutable_store().FinishBulk().ok());
  }
  CHECK((*graph)->NewReadView()->NodeCount(Label::kPaper).value() == 2);
}

TEST_CASE("A bulk load past the writer's cache of entity keys reads the index as it compacts",
          "[model][data]") {
  if (!std::filesystem::exists(collabgraph::testing::DataDir() + "/paperlists")) return;
  std::vector<std::string> files;
  for (int year = 1987; year <= 2016; ++year) {
    files.push_back(collabgraph::testing::DataDir() + "/paperlists/nips/nips" +
                    std::to_string(year) + ".json.gz");
  }
  collabgraph::IngestOptions options;
  options.bulk = true;
  options.bulk_batch = 100;  // ~100 batches: the index's level 0 passes 20 files
  auto load = [&](const std::string& path) -> uint64_t {
    auto graph = Graph::Open(path, {});
    REQUIRE(graph.ok());
    auto report = collabgraph::ingest::IngestFiles(graph->get(), files, options);
    INFO(report.status().ToString());
    REQUIRE(report.ok());
    // The index compacted during the load is merged into one run at the end all the same.
    CHECK((*graph)->store().SortedRuns(collabgraph::storage::Cf::kIndex) == 1);
    auto checked = CheckGraph(*(*graph)->NewReadView());
    REQUIRE(checked.ok());
    CHECK(checked->violation_count == 0);
    auto hash = ContentHash(*(*graph)->NewReadView());
    REQUIRE(hash.ok());
    return *hash;
  };
  TempDir dir;
  const uint64_t cached = load(dir.Sub("cached"));
  // Past 500 entity keys the writer empties its cache: from the next batch on, its lookups
  // read the index (the filter no longer answers for the keys the cache dropped), and the
  // index compacts during the load (storage::Store::SetBulkCompaction).
  SetIndexCacheLimitForTesting(500);
  struct Restore {
    ~Restore() { SetIndexCacheLimitForTesting(0); }
  } restore;
  CHECK(load(dir.Sub("emptied")) == cached);
}
