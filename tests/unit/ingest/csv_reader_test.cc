#include "ingest/csv_reader.h"

#include <filesystem>

#include <catch2/catch.hpp>

#include "test_util.h"

using namespace collabgraph::ingest;
using collabgraph::testing::TempDir;

namespace {

// Writes the seven tables; `overrides` replaces a table's whole text.
std::string WriteTables(const TempDir& dir,
                        const std::map<std::string, std::string>& overrides = {}) {
  std::map<std::string, std::string> tables = {
      {"papers",
       "id,title,venue,year\n10,\"Graphs, \"\"quoted\"\", "
       "and\nmultiline\",icml,2020\n11,Plain,nips,2021\n"},
      {"authors", "id,name\n1,Ann Lee\n2,Bo Chen\n3,Cy Dee\n"},
      {"institutions", "id,name\n100,MIT\n101,Peking University\n102,Nowhere Lab\n"},
      {"countries", "id,name\n7,United States\n8,China\n9,Atlantis\n"},
      {"authored", "author,paper,position\n2,10,1\n1,10,0\n3,11,4\n"},
      {"affiliated", "author,paper,institution\n1,10,100\n2,10,101\n2,10,100\n3,11,102\n"},
      {"located_in", "institution,country\n100,7\n101,8\n102,9\n"},
  };
  for (const auto& [name, text] : overrides) tables[name] = text;
  std::filesystem::create_directories(dir.Sub("tables"));
  for (const auto& [name, text] : tables) dir.Write("tables/" + name + ".csv", text);
  return dir.Sub("tables");
}

}  // namespace

TEST_CASE("CSV tables become papers with positions, institutions and countries", "[ingest][csv]") {
  TempDir dir;
  const std::string path = WriteTables(dir);
  REQUIRE(IsCsvDataset(path));
  auto d = CsvDataset::Read(path);
  INFO(d.status().ToString());
  REQUIRE(d.ok());
  REQUIRE((*d)->size() == 2);
  const auto p = (*d)->Paper(0);
  CHECK(p.venue == "icml");
  CHECK(p.year == 2020);
  CHECK(p.source_id == "10");
  CHECK(p.props.GetString("title") == "Graphs, \"quoted\", and\nmultiline");
  REQUIRE(p.authorships.size() == 2);
  CHECK(p.authorships[0].name == "Ann Lee");  // ordered by position, not by row
  CHECK(p.authorships[1].name == "Bo Chen");
  REQUIRE(p.authorships[1].institutions.size() == 2);
  CHECK(p.authorships[1].institutions[0].country_code == "US");
  CHECK(p.authorships[1].institutions[1].country_code == "CN");
  const auto q = (*d)->Paper(1);
  REQUIRE(q.authorships.size() == 1);  // position 4 alone: renumbered by order
  CHECK(q.authorships[0].institutions.at(0).country_code.empty());
  CHECK((*d)->summary().unresolved_countries.at("Atlantis") == 1);
  CHECK((*d)->summary().authorships == 3);
  CHECK((*d)->summary().authorships_with_country == 2);
}

TEST_CASE("Malformed CSV tables fail naming the file, line and field", "[ingest][csv]") {
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"papers", "id,title,venue\n", "papers.csv: line 1: the header must be"},
      {"papers", "id,title,venue,year\n1,T,icml,20x0\n",
       "papers.csv: line 2: field \"year\" must be an integer"},
      {"papers", "id,title,venue,year\n1,T,icml,2020\n1,U,icml,2020\n", "duplicate paper id 1"},
      {"papers", "id,title,venue,year\n1,\"T,icml,2020\n", "unterminated quoted field"},
      {"authored", "author,paper,position\n1,99,0\n",
       "authored.csv: line 2: paper 99 is not in papers.csv"},
      {"authored", "author,paper,position\n1,10\n",
       "authored.csv: line 2: expected 3 fields, found 2"},
      {"affiliated", "author,paper,institution\n1,10,555\n",
       "institution 555 is not in institutions.csv"},
      {"located_in", "institution,country\n100,77\n", "country 77 is not in countries.csv"},
  };
  for (const auto& [table, text, needle] : cases) {
    TempDir dir;
    auto d = CsvDataset::Read(WriteTables(dir, {{table, text}}));
    INFO(table << ": " << d.status().ToString());
    REQUIRE(absl::IsInvalidArgument(d.status()));
    CHECK(d.status().message().find(needle) != std::string_view::npos);
  }
  TempDir missing;
  std::filesystem::create_directories(missing.Sub("t"));
  missing.Write("t/papers.csv", "id,title,venue,year\n");
  CHECK(absl::IsNotFound(CsvDataset::Read(missing.Sub("t")).status()));
}
