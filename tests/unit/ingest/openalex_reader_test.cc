#include "ingest/openalex_reader.h"

#include <catch2/catch.hpp>

using namespace collabgraph::ingest;

TEST_CASE("OpenAlex works: ids, author keys, institutions with countries, references",
          "[ingest][openalex]") {
  const std::string text =
      R"({"id":"https://openalex.org/W1","title":"T","publication_year":2020,"doi":null,)"
      R"("primary_location":{"source":{"display_name":"NeurIPS"}},"referenced_works":["https://openalex.org/W2"],)"
      R"("authorships":[{"author":{"id":"https://openalex.org/A1","display_name":"Ann Lee","orcid":"https://orcid.org/0000-0001"},)"
      R"("institutions":[{"display_name":"MIT","country_code":"US"},{"display_name":"HKUST","country_code":"HK"}]},)"
      R"({"author":{"id":"https://openalex.org/A2","display_name":"Bo Chen","orcid":null},"institutions":[]},)"
      R"({"author":{"id":null,"display_name":"Cy Dee"},"institutions":[{"display_name":"X","country_code":"ZZ"}]}]})"
      "\n\n"
      R"({"id":"https://openalex.org/W2","title":"U","publication_year":2019,"authorships":[]})"
      "\n";
  auto f = ParseOpenAlex("works.jsonl", text, {});
  INFO(f.status().ToString());
  REQUIRE(f.ok());
  REQUIRE(f->papers.size() == 2);
  const auto& p = f->papers[0];
  CHECK(p.source_id == "W1");
  CHECK(p.venue == "NeurIPS");
  CHECK(p.year == 2020);
  REQUIRE(p.authorships.size() == 3);
  CHECK(p.authorships[0].key == "orcid:0000-0001");
  CHECK(p.authorships[1].key == "openalex:A2");
  CHECK(p.authorships[2].key == "name:cy dee");
  CHECK(p.authorships[0].external_ids ==
        std::vector<std::string>{"orcid:0000-0001", "openalex:A1"});
  CHECK(p.authorships[0].institutions.at(1).country_code == "HK");
  CHECK(p.props.GetStringList("references")->at(0) == "W2");
  CHECK(f->unresolved_countries.at("ZZ") == 1);
  CHECK(f->papers[1].venue == "openalex");
  CHECK(f->records == 2);
}

TEST_CASE("Malformed OpenAlex lines fail with the file and line", "[ingest][openalex]") {
  auto bad_json =
      ParseOpenAlex("w.jsonl", "{\"id\":\"W1\",\"publication_year\":2020}\n{oops\n", {});
  REQUIRE(absl::IsInvalidArgument(bad_json.status()));
  CHECK(bad_json.status().message().find("w.jsonl: line 2: not valid JSON") !=
        std::string_view::npos);
  auto bad_type = ParseOpenAlex("w.jsonl", R"({"id":"W7","publication_year":2020,"title":5})", {});
  REQUIRE(absl::IsInvalidArgument(bad_type.status()));
  CHECK(bad_type.status().message().find(
            "w.jsonl: line 1 (work W7): field \"title\" must be a string") !=
        std::string_view::npos);
  auto no_year = ParseOpenAlex("w.jsonl", R"({"id":"W8"})", {});
  CHECK(no_year.status().message().find("publication_year") != std::string_view::npos);
}
