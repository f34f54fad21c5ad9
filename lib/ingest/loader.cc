#include "ingest/loader.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>

#include "ingest/author_overrides.h"
#include "ingest/csv_reader.h"
#include "ingest/openalex_reader.h"
#include "ingest/paperlists_reader.h"
#include "ingest/resolver.h"
#include "ingest/tagger.h"
#include "model/identity.h"
#include "model/keys.h"
#include "model/paper_writer.h"
#include "model/roster.h"
#include "util/status_macros.h"

namespace collabgraph::ingest {

namespace {

enum class Format { kPaperlists, kOpenAlex, kCsv };

absl::StatusOr<Format> DetectFormat(const std::string& path, const std::string& format) {
  if (format == "paperlists") return Format::kPaperlists;
  if (format == "openalex") return Format::kOpenAlex;
  if (format == "csv") {
    if (IsCsvDataset(path)) return Format::kCsv;
    return absl::InvalidArgumentError(path +
                                      ": --format csv needs a directory with papers.csv, "
                                      "authors.csv, institutions.csv, countries.csv, "
                                      "authored.csv, affiliated.csv and located_in.csv");
  }
  if (format == "auto") {
    if (IsCsvDataset(path)) return Format::kCsv;
    if (path.ends_with(".jsonl") || path.ends_with(".jsonl.gz")) return Format::kOpenAlex;
    if (path.ends_with(".json") || path.ends_with(".json.gz")) return Format::kPaperlists;
    return absl::InvalidArgumentError(
        path +
        ": cannot detect the format (expected a .json or .json.gz paper list, a .jsonl "
        "or .jsonl.gz OpenAlex file, or a directory of CSV tables); give --format");
  }
  return absl::InvalidArgumentError(
      "format \"" + format + "\" is not supported (supported: auto, paperlists, openalex, csv)");
}

// One input: a parsed paper list (papers in memory) or a CSV dataset (papers made on demand).
struct Input {
  Format format = Format::kPaperlists;
  ParsedFile file;                  // for CSV: the summary, without papers
  std::unique_ptr<CsvDataset> csv;  // null for paper lists
  size_t size() const { return csv ? csv->size() : file.papers.size(); }
  std::string Identity() const {
    char hash[17];
    std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(file.content_hash));
    if (format == Format::kCsv) return std::string("csv/") + hash;
    if (format == Format::kOpenAlex) return std::string("openalex/") + hash;
    return "paperlists/" + file.venue + "/" + std::to_string(file.year) + "/" + hash;
  }
};

// Frees, on a thread of its own, the parsed papers of each file the writer is done with: the
// writer's thread is the ingest's critical path, and on the real paper lists it spent 6% of its
// time freeing them (perf, bulk ingest). Drop hands a file's papers over; the destructor
// frees what is left and joins.
class Disposer {
 public:
  Disposer() : thread_([this] { Run(); }) {}
  ~Disposer() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  Disposer(const Disposer&) = delete;
  Disposer& operator=(const Disposer&) = delete;

  void Drop(std::vector<model::PaperInput> papers) {
    if (papers.empty()) return;
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      queue_.push_back(std::move(papers));
    }
    cv_.notify_one();
  }

 private:
  void Run() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      cv_.wait(lock, [this] { return done_ || !queue_.empty(); });
      if (queue_.empty()) return;  // done_
      std::vector<model::PaperInput> papers = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      papers = {};
      lock.lock();
    }
  }
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::vector<model::PaperInput>> queue_;
  bool done_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

// Makes the papers of a CSV data set (CsvDataset::PaperInto, then `finish`) on a thread of its
// own, up to kSlots ahead of the writer, which takes them in order with Next: on the writer's
// thread, the ingest's critical path, making them was a sixth of its time in a bulk load of
// 1M papers (perf). The slots are reused, so their strings keep their storage. Each side
// tells the other how far it is only every kGroup papers, and a full ring waits until half
// of it is free: a wake-up every few papers cost more system time than it saved. The
// destructor stops the thread and joins it.
class CsvPaperMaker {
 public:
  CsvPaperMaker(CsvDataset* csv, size_t begin, std::function<void(model::PaperInput*)> finish)
      : csv_(csv),
        begin_(begin),
        end_(std::max(begin, csv->size())),
        finish_(std::move(finish)),
        thread_([this] { Run(); }) {}
  ~CsvPaperMaker() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    space_cv_.notify_one();
    thread_.join();
  }
  CsvPaperMaker(const CsvPaperMaker&) = delete;
  CsvPaperMaker& operator=(const CsvPaperMaker&) = delete;

  // Paper `begin`, then the next one at each call, up to the data set's last; it stays valid
  // until the next call. The error of making it, if that failed.
  absl::StatusOr<model::PaperInput*> Next() {
    const size_t k = taken_;  // papers taken before this one: the writer is done with them
    if (k >= made_seen_ || k - released_told_ >= kGroup) {
      std::unique_lock<std::mutex> lock(mutex_);
      released_ = k;
      released_told_ = k;
      if (maker_waits_ && released_ >= maker_wants_) space_cv_.notify_one();
      if (made_ <= k) {
        writer_waits_ = true;
        made_cv_.wait(lock, [&] { return made_ > k; });
        writer_waits_ = false;
      }
      made_seen_ = made_;
      error_seen_ = error_at_;
    }
    if (k == error_seen_) return error_;  // set once, before made_ passed it
    ++taken_;
    return &slots_[k % kSlots];
  }

 private:
  static constexpr size_t kSlots = 256;
  static constexpr size_t kGroup = 16;

  void Run() {
    const size_t n = end_ - begin_;
    size_t released = 0;  // as last read from released_
    for (size_t k = 0; k < n; ++k) {
      if (k - released >= kSlots || k % kGroup == 0) {
        std::unique_lock<std::mutex> lock(mutex_);
        made_ = k;
        if (writer_waits_) made_cv_.notify_one();
        if (k - released_ >= kSlots) {
          maker_wants_ = k - kSlots / 2;
          maker_waits_ = true;
          space_cv_.wait(lock, [&] { return stop_ || released_ >= maker_wants_; });
          maker_waits_ = false;
        }
        if (stop_) return;
        released = released_;
      }
      model::PaperInput* paper = &slots_[k % kSlots];
      absl::Status status;
      try {
        status = csv_->PaperInto(begin_ + k, paper);
        if (status.ok()) finish_(paper);
      } catch (const std::bad_alloc&) {
        status = absl::ResourceExhaustedError("out of memory while making paper row " +
                                              std::to_string(begin_ + k));
      }
      if (!status.ok()) {
        const std::lock_guard<std::mutex> lock(mutex_);
        error_ = std::move(status);
        error_at_ = k;
        made_ = k + 1;
        made_cv_.notify_one();
        return;
      }
    }
    const std::lock_guard<std::mutex> lock(mutex_);
    made_ = n;
    made_cv_.notify_one();
  }

  CsvDataset* const csv_;
  const size_t begin_;
  const size_t end_;
  const std::function<void(model::PaperInput*)> finish_;
  std::array<model::PaperInput, kSlots> slots_;
  // Guarded by mutex_ (papers counted from begin_): papers made and told, papers the writer
  // is done with, the failed paper and its error, who waits for what, the stop request.
  std::mutex mutex_;
  std::condition_variable made_cv_;
  std::condition_variable space_cv_;
  size_t made_ = 0;
  size_t released_ = 0;
  size_t error_at_ = std::numeric_limits<size_t>::max();
  absl::Status error_;
  bool writer_waits_ = false;
  bool maker_waits_ = false;
  size_t maker_wants_ = 0;  // the released_ the waiting maker needs
  bool stop_ = false;
  // The writer's side: papers taken, made_ and error_at_ as last read, released_ as last set.
  size_t taken_ = 0;
  size_t made_seen_ = 0;
  size_t error_seen_ = std::numeric_limits<size_t>::max();
  size_t released_told_ = 0;
  std::thread thread_;  // last: starts once the members above exist
};

// Adds a CITES edge for every stored reference ("references" property of a paper) whose
// cited work is in the database and not yet linked. Runs over all papers, so the edges do
// not depend on the order in which citing and cited works were ingested.
absl::Status LinkCitations(model::Graph* graph, model::Writer* writer) {
  auto view = graph->NewReadView();
  std::vector<std::pair<model::NodeId, model::StringList>> citing;
  absl::Status decode;
  COLLABGRAPH_RETURN_IF_ERROR(
      view->ScanNodes(model::Label::kPaper, [&](model::NodeId id, std::string_view value) {
        model::Properties props;
        if (!model::DecodeProperties(value, &props)) {
          decode = absl::DataLossError("Paper " + std::to_string(id) + " has a malformed value");
          return;
        }
        if (const model::StringList* refs = props.GetStringList("references")) {
          citing.emplace_back(id, *refs);
        }
      }));
  COLLABGRAPH_RETURN_IF_ERROR(decode);
  size_t pending = 0;
  for (const auto& [paper, refs] : citing) {
    for (const std::string& ref : refs) {
      COLLABGRAPH_ASSIGN_OR_RETURN(
          std::optional<model::NodeId> cited,
          view->Lookup(model::ExternalIdKey(model::kOpenAlexWorkScheme, ref)));
      if (!cited || *cited == paper) continue;
      COLLABGRAPH_ASSIGN_OR_RETURN(bool linked,
                                   writer->HasEdge(model::EdgeType::kCites, paper, *cited, 0));
      if (linked) continue;
      writer->PutEdge(model::EdgeType::kCites, paper, *cited, 0, {});
      if (++pending >= 10000) {
        COLLABGRAPH_RETURN_IF_ERROR(writer->Commit(/*sync=*/false));
        pending = 0;
      }
    }
  }
  if (writer->pending_operations() > 0) COLLABGRAPH_RETURN_IF_ERROR(writer->Commit(false));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<IngestReport> IngestFiles(model::Graph* graph, const std::vector<std::string>& paths,
                                         const IngestOptions& options) {
  ReadOptions read_options;
  read_options.venue = options.venue;
  read_options.year = options.year;
  read_options.resolve_countries = options.resolve_countries;
  read_options.skip_bad = options.skip_bad;
  read_options.max_field_bytes = options.max_field_bytes;
  read_options.max_record_bytes = options.max_record_bytes;
  read_options.max_authors = options.max_authors;
  read_options.max_depth = options.max_depth;
  std::unique_ptr<Tagger> own_tagger;
  const Tagger* tagger = options.tag ? &Tagger::Default() : nullptr;
  if (options.tag && !options.lexicon_path.empty()) {
    COLLABGRAPH_ASSIGN_OR_RETURN(own_tagger, Tagger::FromFile(options.lexicon_path));
    tagger = own_tagger.get();
  }
  auto tag_paper = [&](model::PaperInput* paper) {
    if (tagger == nullptr) return;
    std::string text(paper->props.GetString("title").value_or(""));
    text += ' ';
    text += paper->props.GetString("abstract").value_or("");
    for (const TagRule* rule : tagger->Match(text)) paper->tags.emplace_back(rule->tag, rule->kind);
  };
  std::optional<AuthorOverrides> overrides;
  if (!options.author_overrides_path.empty()) {
    COLLABGRAPH_ASSIGN_OR_RETURN(overrides,
                                 AuthorOverrides::FromFile(options.author_overrides_path));
  }
  std::unique_ptr<Resolver> resolver;
  if (!options.universities_path.empty()) {
    COLLABGRAPH_ASSIGN_OR_RETURN(resolver, Resolver::WithUniversities(options.universities_path));
    read_options.resolver = resolver.get();
  }

  // Pass 1: read and check everything, so that bad input writes nothing. Files are parsed by
  // up to hardware_concurrency threads, each taking the next unread file; results keep the
  // order of `paths`, and the first failing file in that order is the one reported. The
  // writer (pass 2) starts on each file as soon as it is parsed, but commits nothing before
  // every file is parsed and checked (`all_parsed` below): until then its records are only
  // pending in memory, and an error drops them.
  std::vector<Format> formats;
  for (const std::string& path : paths) {
    COLLABGRAPH_ASSIGN_OR_RETURN(Format format, DetectFormat(path, options.format));
    formats.push_back(format);
  }
  const auto started = std::chrono::steady_clock::now();
  IngestProgress progress;
  progress.files_total = paths.size();
  std::vector<uint64_t> file_bytes(paths.size(), 0);
  for (size_t i = 0; i < paths.size(); ++i) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(paths[i], ec)) {
      file_bytes[i] = std::filesystem::file_size(paths[i], ec);
      if (ec) file_bytes[i] = 0;
    }
    progress.bytes_total += file_bytes[i];
  }
  std::mutex progress_mutex;
  auto report_progress = [&](const std::function<void(IngestProgress*)>& update) {
    if (!options.progress) return;
    const std::lock_guard<std::mutex> lock(progress_mutex);
    update(&progress);
    progress.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    options.progress(progress);
  };
  std::vector<absl::StatusOr<Input>> results;
  results.reserve(paths.size());
  for (size_t i = 0; i < paths.size(); ++i) results.emplace_back(absl::UnknownError("not read"));
  std::mutex parsed_mutex;
  std::condition_variable parsed_cv;
  std::vector<bool> parsed(paths.size(), false);
  std::atomic<size_t> next{0};
  auto parse = [&] {
    for (size_t i = next++; i < paths.size(); i = next++) {
      // Marks file i parsed, on every way out of this iteration.
      struct Parsed {
        std::mutex& mutex;
        std::condition_variable& cv;
        std::vector<bool>& parsed;
        size_t i;
        ~Parsed() {
          {
            const std::lock_guard<std::mutex> lock(mutex);
            parsed[i] = true;
          }
          cv.notify_all();
        }
      } mark{parsed_mutex, parsed_cv, parsed, i};
      try {
        Input input;
        input.format = formats[i];
        if (formats[i] == Format::kCsv) {
          absl::StatusOr<std::unique_ptr<CsvDataset>> csv = CsvDataset::Read(paths[i]);
          if (!csv.ok()) {
            results[i] = csv.status();
            continue;
          }
          input.csv = std::move(*csv);
          input.file = input.csv->summary();
        } else {
          absl::StatusOr<ParsedFile> file = formats[i] == Format::kOpenAlex
                                                ? ReadOpenAlexFile(paths[i], read_options)
                                                : ReadPaperlistsFile(paths[i], read_options);
          if (!file.ok()) {
            results[i] = file.status();
            continue;
          }
          input.file = std::move(*file);
          // Tag here, in the parsing threads, rather than in the single writing thread.
          for (model::PaperInput& paper : input.file.papers) tag_paper(&paper);
        }
        results[i] = std::move(input);
        report_progress([&](IngestProgress* p) {
          ++p->files_done;
          p->bytes_done += file_bytes[i];
        });
      } catch (const std::bad_alloc&) {
        results[i] = absl::ResourceExhaustedError(paths[i] + ": out of memory while reading");
      }
    }
  };
  // The parsing threads, joined on every way out.
  struct Pool {
    std::vector<std::thread> threads;
    void Join() {
      for (std::thread& t : threads) {
        if (t.joinable()) t.join();
      }
    }
    ~Pool() { Join(); }
  } pool;
  const size_t threads =
      std::min<size_t>(paths.size(), std::max(1u, std::thread::hardware_concurrency()));
  for (size_t t = 0; t < threads; ++t) pool.threads.emplace_back(parse);
  auto wait_parsed = [&](size_t i) {
    std::unique_lock<std::mutex> lock(parsed_mutex);
    parsed_cv.wait(lock, [&] { return parsed[i]; });
  };
  // Every file parsed and checked: the first failing one in the order of `paths` is the error.
  bool checked = false;
  size_t papers_total = 0;
  size_t papers_done = 0;
  auto all_parsed = [&]() -> absl::Status {
    if (checked) return absl::OkStatus();
    pool.Join();
    for (const absl::StatusOr<Input>& r : results) COLLABGRAPH_RETURN_IF_ERROR(r.status());
    checked = true;
    for (const absl::StatusOr<Input>& r : results) papers_total += r->size();
    report_progress([&](IngestProgress* p) {
      p->phase = IngestProgress::Phase::kWrite;
      p->papers_total = papers_total;
      p->papers_done = papers_done;
    });
    return absl::OkStatus();
  };

  // Pass 2: write, one atomic batch per paper (or per bulk_batch papers in bulk mode). Each
  // batch also records how many papers of its input are done (the resume marker), so a rerun
  // after a crash skips them without looking each one up.
  COLLABGRAPH_ASSIGN_OR_RETURN(std::unique_ptr<model::Writer> writer, graph->NewWriter());
  if (options.bulk) writer->UseTableBatches();
  // Ends the bulk load (storage::Store::FinishBulk) on every way out, once the writer's last
  // bulk commit has landed: on an error, the status returned is the error's, and the merge is
  // only housekeeping.
  struct BulkFinisher {
    storage::Store* store;
    model::Writer* writer;
    bool done = false;
    absl::Status Finish() {
      done = true;
      absl::Status status = writer->WaitForCommits();
      status.Update(store->FinishBulk());
      return status;
    }
    ~BulkFinisher() {
      if (!done) Finish().IgnoreError();
    }
  } bulk_finisher{&graph->mutable_store(), writer.get()};
  Disposer disposer;
  IngestReport report;
  report.universities = resolver ? resolver->universities() : 0;
  size_t since_sync = 0;
  size_t pending = 0;
  for (size_t f = 0; f < paths.size(); ++f) {
    wait_parsed(f);
    if (!results[f].ok()) {
      COLLABGRAPH_RETURN_IF_ERROR(all_parsed());  // reports the first failing file
    }
    Input& input = *results[f];
    ParsedFile& file = input.file;
    IngestFileReport fr;
    fr.path = file.path;
    fr.venue = file.venue;
    fr.year = file.year;
    fr.records = file.records;
    fr.papers = input.size();
    fr.merged_duplicates = file.merged_duplicates;
    fr.derived_ids = file.derived_ids;
    fr.rejected = file.rejected;
    fr.skipped = file.skipped;
    fr.authorships = file.authorships;
    fr.authorships_with_country = file.authorships_with_country;
    fr.unresolved_countries = file.unresolved_countries;
    fr.warnings = file.warnings.size();

    const std::string marker = model::IngestFileKey(input.Identity());
    COLLABGRAPH_ASSIGN_OR_RETURN(std::optional<uint64_t> done, writer->ReadMarker(marker));
    const size_t skip = std::min<size_t>(done.value_or(0), input.size());
    fr.already_present += skip;
    papers_done += skip;
    // The ids of the CSV tables' author and institution rows (PaperInto numbers them). Not
    // kept past an error: the ingest stops at the first one. Each row's strings come with the
    // first paper made with it, and from the data set when the memo does not know the row
    // (its first paper was in the database already); not with author overrides, which read
    // and change the names of every paper.
    model::RowMemo memo;
    if (input.csv) {
      memo.source = input.csv.get();
      if (!overrides) input.csv->OmitGivenRows();
    }
    // CSV papers are made on demand, and tagged then.
    std::optional<CsvPaperMaker> maker;
    if (input.csv) maker.emplace(input.csv.get(), skip, tag_paper);
    for (size_t i = skip; i < input.size(); ++i) {
      model::WriteOptions wo;
      if (input.csv) wo.memo = &memo;
      wo.marker_key = marker;
      wo.marker_value = i + 1;
      if (options.bulk) {
        wo.bulk = true;
        // A batch ends with a roster chunk (docs/format.md): when this paper, if added, takes
        // the last id of one. Each batch's rosters file then covers chunks no other file has,
        // and RocksDB places it on the bottom level: the rosters stay one sorted run, however
        // many batches an ingest takes.
        const model::NodeId id = writer->PeekNextId(model::Label::kPaper);
        const bool chunk_end = model::RosterChunkOf(id + 1) != model::RosterChunkOf(id);
        wo.commit = ++pending >= std::max<size_t>(options.bulk_batch, 1) && chunk_end;
        if (wo.commit) pending = 0;
      } else {
        wo.sync = options.sync_every > 0 && ++since_sync >= options.sync_every;
        if (wo.sync) since_sync = 0;
      }
      // Nothing is committed before every file is checked.
      if (wo.commit) COLLABGRAPH_RETURN_IF_ERROR(all_parsed());
      model::PaperInput* made = nullptr;
      if (maker) {
        COLLABGRAPH_ASSIGN_OR_RETURN(made, maker->Next());
      }
      model::PaperInput& paper = made != nullptr ? *made : file.papers[i];
      if (overrides) report.author_overrides_applied += overrides->Apply(&paper);
      COLLABGRAPH_ASSIGN_OR_RETURN(model::WriteOutcome outcome,
                                   model::WritePaper(writer.get(), paper, wo));
      if (++papers_done % 1000 == 0 && checked) {
        report_progress([&](IngestProgress* p) { p->papers_done = papers_done; });
      }
      if (outcome == model::WriteOutcome::kAdded) {
        ++fr.added;
      } else {
        ++fr.already_present;
        // The paper was there already: only the marker moves, in its own small batch.
        writer->PutMarker(marker, i + 1);
        if (wo.commit || !options.bulk) {
          COLLABGRAPH_RETURN_IF_ERROR(all_parsed());
          COLLABGRAPH_RETURN_IF_ERROR(writer->Commit(wo.sync, wo.bulk));
        }
      }
    }
    for (ReadWarning& w : file.warnings) {
      report.warnings.push_back({file.path, w.record, std::move(w.id), std::move(w.message)});
    }
    report.files.push_back(std::move(fr));
    disposer.Drop(std::move(file.papers));
    file.papers = {};
    maker.reset();
    input.csv.reset();
  }
  COLLABGRAPH_RETURN_IF_ERROR(all_parsed());
  if (writer->pending_operations() > 0) {
    COLLABGRAPH_RETURN_IF_ERROR(writer->Commit(/*sync=*/false, /*bulk=*/options.bulk));
  }
  COLLABGRAPH_RETURN_IF_ERROR(bulk_finisher.Finish());
  if (std::any_of(formats.begin(), formats.end(),
                  [](Format f) { return f == Format::kOpenAlex; })) {
    COLLABGRAPH_RETURN_IF_ERROR(LinkCitations(graph, writer.get()));
  }
  COLLABGRAPH_RETURN_IF_ERROR(graph->mutable_store().Flush());
  report_progress([&](IngestProgress* p) { p->papers_done = papers_done; });
  return report;
}

}  // namespace collabgraph::ingest
