#include "ingest/author_overrides.h"

#include <catch2/catch.hpp>

#include "util/text.h"

using collabgraph::ingest::AuthorKeyOf;
using collabgraph::ingest::AuthorOverrides;

namespace {

collabgraph::model::AuthorshipInput Authorship(const std::string& name, const std::string& inst) {
  collabgraph::model::AuthorshipInput a;
  a.name = name;
  a.key = AuthorKeyOf(name);
  if (!inst.empty()) {
    collabgraph::model::InstitutionInput i;
    i.name = inst;
    i.key = collabgraph::util::NormalizeKey(inst);
    a.institutions.push_back(i);
  }
  return a;
}

}  // namespace

TEST_CASE("Author overrides: merge and split", "[ingest][authors]") {
  CHECK(AuthorKeyOf("  Michael I. Jordan ") == "name:michael i jordan");
  CHECK(AuthorKeyOf("ORCID:0000-0001") == "orcid:0000-0001");
  auto o = AuthorOverrides::Parse("a.txt", R"(# comment
merge: Michael I. Jordan | Michael Jordan | orcid:0000-0001
split: Yang Liu @ Tsinghua University
split: Yang Liu @ Microsoft Research Asia
)");
  REQUIRE(o.ok());
  CHECK(o->merges() == 3);
  CHECK(o->splits() == 2);
  collabgraph::model::PaperInput p;
  p.authorships = {Authorship("Michael Jordan", ""),
                   Authorship("Yang Liu", "Tsinghua University"),
                   Authorship("Yang Liu", "Dept. of CS, Tsinghua University, Beijing"),
                   Authorship("Yang Liu", "Microsoft Research Asia"),
                   Authorship("Yang Liu", "Tsinghua Universityx"),
                   Authorship("Ann Lee", "MIT")};
  for (uint32_t row = 0; row < p.authorships.size(); ++row) p.authorships[row].row = row;
  CHECK(o->Apply(&p) == 4);
  // A changed key no longer has the caller's row (model::RowMemo); an unchanged one keeps it.
  CHECK(p.authorships[0].row == collabgraph::model::kNoRow);
  CHECK(p.authorships[3].row == collabgraph::model::kNoRow);
  CHECK(p.authorships[4].row == 4);
  CHECK(p.authorships[5].row == 5);
  CHECK(p.authorships[0].key == "name:michael i jordan");
  CHECK(p.authorships[1].key == "name:yang liu@tsinghua university");
  CHECK(p.authorships[1].name == "Yang Liu (Tsinghua University)");
  CHECK(p.authorships[2].key == "name:yang liu@tsinghua university");
  CHECK(p.authorships[3].key == "name:yang liu@microsoft research asia");
  CHECK(p.authorships[4].key == "name:yang liu");  // whole words only
  CHECK(p.authorships[5].key == "name:ann lee");
}

TEST_CASE("Author overrides: errors name the file and line", "[ingest][authors]") {
  auto message = [](const std::string& text) {
    auto o = AuthorOverrides::Parse("a.txt", text);
    return o.ok() ? std::string("ok") : std::string(o.status().message());
  };
  CHECK(message("merge: A | B\nmerge: C | a\n") ==
        "a.txt: line 2: \"name:a\" is already in another merge");
  CHECK(message("\nmerge: A\n").starts_with("a.txt: line 2: a merge needs two or more items"));
  CHECK(message("split: Yang Liu\n").starts_with("a.txt: line 1: a split is"));
  CHECK(message("rename: A -> B\n").starts_with("a.txt: line 1: expected"));
  CHECK(message("merge: A | | B\n").starts_with("a.txt: line 1: an empty item"));
}
