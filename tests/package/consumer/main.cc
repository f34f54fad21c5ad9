// Opens a database, writes nothing, and prints its info: proof that the installed headers and
// library work from outside the source tree.
#include <cstdio>

#include <collabgraph/collabgraph.h>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  auto db = collabgraph::Database::Open(argv[1]);
  if (!db.ok()) {
    std::fprintf(stderr, "%s\n", std::string(db.status().message()).c_str());
    return 1;
  }
  auto info = (*db)->Info();
  if (!info.ok()) return 1;
  // The query API from the installed headers: an empty database has no prolific authors.
  auto top = (*db)->NewSnapshot()->MostProlificAuthors(3);
  if (!top.ok() || !top->empty()) return 1;
  auto code = collabgraph::CountryCode("United States of America");
  std::printf("%s %s format %u\n", collabgraph::LibraryVersion(), code.ok() ? code->c_str() : "?",
              info->format_read);
  return code.ok() && *code == "US" ? 0 : 1;
}
