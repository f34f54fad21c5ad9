#include <filesystem>

#include <catch2/catch.hpp>

#include "collabgraph/database.h"
#include "test_util.h"

using namespace collabgraph;
using collabgraph::testing::DataDir;
using collabgraph::testing::TempDir;

TEST_CASE("PageRank, eigenvector, harmonic and closeness are identical for 1, 2, 3 and 8 threads",
          "[analytics][parallel][data]") {
  const std::string file = DataDir() + "/paperlists/nips/nips2016.json.gz";
  if (!std::filesystem::exists(file)) {
    WARN("skipped: " << file << " is missing");
    return;
  }
  TempDir dir;
  auto db = Database::Open(dir.Sub("db"));
  REQUIRE(db.ok());
  IngestOptions ingest;
  ingest.resolve_countries = false;
  REQUIRE((*db)->Ingest({file}, ingest).ok());
  // The author graph: 1,598 vertices, so the iterative metrics run over two blocks of 1,024
  // vertices and the BFS sweeps over a hundred blocks of 16 sources.
  for (const std::string metric : {"pagerank", "eigenvector", "harmonic", "closeness"}) {
    CentralityOptions options;
    options.graph = GraphKind::kAuthor;
    options.metric = metric;
    options.threads = 1;
    auto one = (*db)->Centrality(options);
    REQUIRE(one.ok());
    REQUIRE(one->nodes > 1024);
    for (unsigned threads : {2u, 3u, 8u}) {
      options.threads = threads;
      auto many = (*db)->Centrality(options);
      REQUIRE(many.ok());
      REQUIRE(many->results.size() == one->results.size());
      size_t differ = 0;
      for (size_t i = 0; i < one->results.size(); ++i) {
        if (many->results[i].id != one->results[i].id ||
            many->results[i].value != one->results[i].value) {
          ++differ;
        }
      }
      INFO(metric << " with " << threads << " threads");
      CHECK(differ == 0);
    }
  }
}
