// libFuzzer target: the seven CSV tables of ingest::CsvDataset, read from memory. The input is
// the tables' text in the order of kTables, separated by the byte 0x1E (ASCII record
// separator); a table the input does not reach is missing. Never a crash or sanitizer report;
// every paper of an accepted data set is well formed and its authorships are in range.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"

#include "fuzz_util.h"
#include "ingest/csv_reader.h"

using namespace collabgraph;

namespace {
constexpr const char* kTables[] = {"papers",   "authors",    "institutions", "countries",
                                   "authored", "affiliated", "located_in"};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  std::map<std::string, std::string> tables;
  for (const char* name : kTables) {
    const size_t end = rest.find('\x1e');
    tables["fuzz/" + std::string(name) + ".csv"] = std::string(rest.substr(0, end));
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  auto dataset =
      ingest::CsvDataset::Read("fuzz", [&](const std::string& path) -> absl::StatusOr<std::string> {
        auto it = tables.find(path);
        if (it == tables.end()) return absl::NotFoundError(path + ": no such file");
        return it->second;
      });
  if (!dataset.ok()) return 0;
  ingest::ParsedFile papers;
  for (size_t i = 0; i < (*dataset)->size(); ++i) {
    // The tables have not changed since they were checked: reading papers.csv again for the
    // titles must give every row back.
    absl::StatusOr<model::PaperInput> paper = (*dataset)->Paper(i);
    FUZZ_CHECK(paper.ok());
    papers.papers.push_back(std::move(*paper));
  }
  fuzz::CheckParsedFile(papers);
  return 0;
}
