#include "ingest/loader.h"

#include "ingest/paperlists_reader.h"
#include "model/paper_writer.h"
#include "util/status_macros.h"

namespace collabgraph::ingest {

namespace {

absl::Status CheckFormat(const std::string& path, const std::string& format) {
  if (format == "paperlists") return absl::OkStatus();
  if (format == "auto") {
    const bool json = path.ends_with(".json") || path.ends_with(".json.gz");
    if (json) return absl::OkStatus();
    return absl::InvalidArgumentError(path +
                                      ": cannot detect the format (expected a .json or .json.gz "
                                      "paper list); give --format");
  }
  return absl::InvalidArgumentError("format \"" + format +
                                    "\" is not supported yet (supported: auto, paperlists)");
}

}  // namespace

absl::StatusOr<IngestReport> IngestFiles(model::Graph* graph, const std::vector<std::string>& paths,
                                         const IngestOptions& options) {
  ReadOptions read_options;
  read_options.venue = options.venue;
  read_options.year = options.year;

  // Pass 1: read and check everything, so that bad input writes nothing.
  std::vector<ParsedFile> parsed;
  parsed.reserve(paths.size());
  for (const std::string& path : paths) {
    COLLABGRAPH_RETURN_IF_ERROR(CheckFormat(path, options.format));
    COLLABGRAPH_ASSIGN_OR_RETURN(ParsedFile file, ReadPaperlistsFile(path, read_options));
    parsed.push_back(std::move(file));
  }

  // Pass 2: write, one atomic batch per paper.
  COLLABGRAPH_ASSIGN_OR_RETURN(std::unique_ptr<model::Writer> writer, graph->NewWriter());
  IngestReport report;
  size_t since_sync = 0;
  for (ParsedFile& file : parsed) {
    IngestFileReport fr;
    fr.path = file.path;
    fr.venue = file.venue;
    fr.year = file.year;
    fr.records = file.records;
    fr.papers = file.papers.size();
    fr.merged_duplicates = file.merged_duplicates;
    fr.derived_ids = file.derived_ids;
    fr.rejected = file.rejected;
    fr.authorships = file.authorships;
    fr.authorships_with_country = file.authorships_with_country;
    fr.unresolved_countries = file.unresolved_countries;
    fr.warnings = file.warnings.size();
    for (const model::PaperInput& paper : file.papers) {
      const bool sync = options.sync_every > 0 && ++since_sync >= options.sync_every;
      if (sync) since_sync = 0;
      COLLABGRAPH_ASSIGN_OR_RETURN(model::WriteOutcome outcome,
                                   model::WritePaper(writer.get(), paper, sync));
      if (outcome == model::WriteOutcome::kAdded) {
        ++fr.added;
      } else {
        ++fr.already_present;
      }
    }
    for (ReadWarning& w : file.warnings) {
      report.warnings.push_back({file.path, w.record, std::move(w.id), std::move(w.message)});
    }
    report.files.push_back(std::move(fr));
    file.papers.clear();
    file.papers.shrink_to_fit();
  }
  COLLABGRAPH_RETURN_IF_ERROR(graph->mutable_store().Flush());
  return report;
}

}  // namespace collabgraph::ingest
