#include "ingest/loader.h"

#include <algorithm>
#include <cstdio>

#include "ingest/paperlists_reader.h"
#include "model/keys.h"
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

  // Pass 2: write, one atomic batch per paper (or per bulk_batch papers in bulk mode). Each
  // batch also records how many papers of its file are done (the resume marker), so a rerun
  // after a crash skips them without looking each one up.
  COLLABGRAPH_ASSIGN_OR_RETURN(std::unique_ptr<model::Writer> writer, graph->NewWriter());
  IngestReport report;
  size_t since_sync = 0;
  size_t pending = 0;
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

    char hash[17];
    std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(file.content_hash));
    const std::string marker = model::IngestFileKey("paperlists/" + file.venue + "/" +
                                                    std::to_string(file.year) + "/" + hash);
    COLLABGRAPH_ASSIGN_OR_RETURN(std::optional<uint64_t> done, writer->ReadMarker(marker));
    const size_t skip = std::min<size_t>(done.value_or(0), file.papers.size());
    fr.already_present += skip;
    for (size_t i = skip; i < file.papers.size(); ++i) {
      model::WriteOptions wo;
      wo.marker_key = marker;
      wo.marker_value = i + 1;
      if (options.bulk) {
        wo.disable_wal = true;
        wo.commit = ++pending >= std::max<size_t>(options.bulk_batch, 1);
        if (wo.commit) pending = 0;
      } else {
        wo.sync = options.sync_every > 0 && ++since_sync >= options.sync_every;
        if (wo.sync) since_sync = 0;
      }
      COLLABGRAPH_ASSIGN_OR_RETURN(model::WriteOutcome outcome,
                                   model::WritePaper(writer.get(), file.papers[i], wo));
      if (outcome == model::WriteOutcome::kAdded) {
        ++fr.added;
      } else {
        ++fr.already_present;
        // The paper was there already: only the marker moves, in its own small batch.
        writer->PutMarker(marker, i + 1);
        if (wo.commit || !options.bulk) {
          COLLABGRAPH_RETURN_IF_ERROR(writer->Commit(wo.sync, wo.disable_wal));
        }
      }
    }
    for (ReadWarning& w : file.warnings) {
      report.warnings.push_back({file.path, w.record, std::move(w.id), std::move(w.message)});
    }
    report.files.push_back(std::move(fr));
    file.papers.clear();
    file.papers.shrink_to_fit();
  }
  if (writer->pending_operations() > 0) {
    COLLABGRAPH_RETURN_IF_ERROR(writer->Commit(/*sync=*/false, /*disable_wal=*/options.bulk));
  }
  COLLABGRAPH_RETURN_IF_ERROR(graph->mutable_store().Flush());
  return report;
}

}  // namespace collabgraph::ingest
