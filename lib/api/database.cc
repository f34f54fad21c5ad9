#include "collabgraph/database.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <thread>

#include "analytics/centrality.h"
#include "analytics/collab_table.h"
#include "analytics/statistics.h"
#include "collabgraph/countries.h"
#include "ingest/loader.h"
#include "model/check.h"
#include "model/graph.h"
#include "query/snapshot.h"
#include "util/status_macros.h"

namespace collabgraph {

const char* LibraryVersion() { return COLLABGRAPH_VERSION_STRING; }

struct Database::Impl {
  std::unique_ptr<model::Graph> graph;
};

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::~Database() = default;

absl::StatusOr<std::unique_ptr<Database>> Database::Open(const std::string& path,
                                                         const OpenOptions& options) {
  storage::StoreOptions so;
  so.create_if_missing = options.create_if_missing;
  so.read_only = options.read_only;
  so.block_cache_bytes = options.block_cache_bytes;
  so.write_buffer_bytes = options.write_buffer_bytes;
  auto impl = std::make_unique<Impl>();
  COLLABGRAPH_ASSIGN_OR_RETURN(impl->graph, model::Graph::Open(path, so));
  return std::unique_ptr<Database>(new Database(std::move(impl)));
}

absl::StatusOr<IngestReport> Database::Ingest(const std::vector<std::string>& paths,
                                              const IngestOptions& options) {
  try {
    return ingest::IngestFiles(impl_->graph.get(), paths, options);
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError("out of memory during ingest");
  }
}

absl::StatusOr<DatabaseInfo> Database::Info() const {
  const storage::Store& store = impl_->graph->store();
  DatabaseInfo info;
  info.path = store.path();
  info.format_read = store.read_format_version();
  info.format_write = store.write_format_version();
  info.library_format = storage::kFormatVersion;
  info.created_by = store.created_by();
  info.read_only = store.read_only();
  auto view = impl_->graph->NewReadView();
  for (model::Label label : model::kAllLabels) {
    COLLABGRAPH_ASSIGN_OR_RETURN(uint64_t n, view->NodeCount(label));
    info.nodes.emplace_back(std::string(model::LabelName(label)), n);
  }
  for (model::EdgeType type : model::kAllEdgeTypes) {
    COLLABGRAPH_ASSIGN_OR_RETURN(uint64_t n, view->EdgeCount(type));
    info.edges.emplace_back(std::string(model::EdgeTypeName(type)), n);
  }
  info.approximate_bytes = store.ApproximateSizeOnDisk();
  return info;
}

absl::StatusOr<CheckResult> Database::Check() const {
  try {
    auto view = impl_->graph->NewReadView();
    COLLABGRAPH_ASSIGN_OR_RETURN(model::CheckReport report, model::CheckGraph(*view));
    CheckResult result;
    result.nodes = report.nodes;
    result.edges = report.edges;
    result.index_entries = report.index_entries;
    result.violation_count = report.violation_count;
    for (auto& v : report.violations) {
      result.violations.emplace_back(std::move(v.invariant), std::move(v.detail));
    }
    return result;
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError("out of memory during check");
  }
}

absl::StatusOr<CompactReport> Database::Compact() {
  storage::Store& store = impl_->graph->mutable_store();
  if (store.read_only()) return store.ReadOnlyError();
  auto runs = [&store] {
    uint64_t n = 0;
    for (int i = 0; i < storage::kNumCf; ++i) {
      n += static_cast<uint64_t>(store.SortedRuns(static_cast<storage::Cf>(i)));
    }
    return n;
  };
  CompactReport report;
  // Memtables are flushed first, so the runs counted are those the compaction will merge.
  COLLABGRAPH_RETURN_IF_ERROR(store.Flush());
  report.sorted_runs_before = runs();
  report.bytes_before = store.ApproximateSizeOnDisk();
  const auto start = std::chrono::steady_clock::now();
  COLLABGRAPH_RETURN_IF_ERROR(store.Compact(std::max(1U, std::thread::hardware_concurrency())));
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report.sorted_runs_after = runs();
  report.bytes_after = store.ApproximateSizeOnDisk();
  return report;
}

absl::StatusOr<uint64_t> Database::ContentHash() const {
  auto view = impl_->graph->NewReadView();
  return model::ContentHash(*view);
}

absl::StatusOr<StatsResult> Database::Stats(const StatsOptions& options) const {
  try {
    auto view = impl_->graph->NewReadView();
    COLLABGRAPH_ASSIGN_OR_RETURN(analytics::CollabTable table,
                                 analytics::LoadCollabTable(*view, /*with_authors=*/false));
    return analytics::ComputeStats(table, options);
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError("out of memory computing statistics");
  }
}

absl::StatusOr<PairDetail> Database::DescribePair(const StatsOptions& options, const std::string& a,
                                                  const std::string& b, size_t top) const {
  for (const std::string& code : {a, b}) {
    if (code.size() != 2 || !CountryName(code).ok()) {
      return absl::InvalidArgumentError("\"" + code + "\" is not an ISO 3166-1 alpha-2 code");
    }
  }
  try {
    auto view = impl_->graph->NewReadView();
    COLLABGRAPH_ASSIGN_OR_RETURN(analytics::CollabTable table,
                                 analytics::LoadCollabTable(*view, /*with_authors=*/true));
    return analytics::ComputePairDetail(table, options, a, b, top);
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError("out of memory describing a pair");
  }
}

absl::StatusOr<CentralityResult> Database::Centrality(const CentralityOptions& options) const {
  try {
    // The analytics layer takes ISO codes; names and aliases are resolved here.
    CentralityOptions resolved = options;
    for (std::string* group : {&resolved.group_a, &resolved.group_b}) {
      if (group->empty()) continue;
      auto code = CountryCode(*group);
      if (!code.ok()) return absl::InvalidArgumentError(code.status().message());
      *group = *code;
    }
    const auto started = std::chrono::steady_clock::now();
    auto view = impl_->graph->NewReadView();
    COLLABGRAPH_ASSIGN_OR_RETURN(
        analytics::CollabTable table,
        analytics::LoadCollabTable(*view, options.graph == GraphKind::kAuthor));
    const double load_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    COLLABGRAPH_ASSIGN_OR_RETURN(CentralityResult result,
                                 analytics::ComputeCentrality(table, resolved));
    result.load_seconds = load_seconds;
    return result;
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError("out of memory computing centrality");
  }
}

std::unique_ptr<Snapshot> Database::NewSnapshot() const {
  return query::NewSnapshot(impl_->graph->NewReadView(),
                            [](const std::string& arg) { return CountryCode(arg); });
}

absl::StatusOr<GraphExport> Database::Project(const CentralityOptions& options) const {
  try {
    auto view = impl_->graph->NewReadView();
    COLLABGRAPH_ASSIGN_OR_RETURN(
        analytics::CollabTable table,
        analytics::LoadCollabTable(*view, options.graph == GraphKind::kAuthor));
    return analytics::ProjectGraph(table, options);
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError("out of memory projecting the graph");
  }
}

}  // namespace collabgraph
