// collabgraph: the command-line tool. Parses arguments, calls the public API, formats output.
// Exit codes: 0 success, 1 usage error, 2 data or I/O error, 3 integrity failure.

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include <dlfcn.h>
#include <fmt/format.h>
#include <unistd.h>

#include "args.h"
#include "collabgraph/collabgraph.h"
#include "generate.h"

namespace collabgraph::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 1;
constexpr int kExitData = 2;
constexpr int kExitIntegrity = 3;

constexpr const char* kMainHelp = R"(collabgraph - research-collaboration graph database

usage: collabgraph COMMAND [ARGS] [--help]

commands:
  ingest DB FILE...     read paper lists into the database DB (created when missing)
  info DB               counts per label and edge type, format version
  stats DB              country statistics (papers, international, country pairs)
  pairs DB              country pairs ranked by co-authored papers
  report DB -o FILE     one self-contained HTML report: charts, network, tables, rules
  centrality DB         centrality ranking on an author, institution or country graph
  check DB              verify every invariant of the stored graph (exit 3 on violations)
  compact DB            rewrite the files as one sorted run per column family (faster scans)
  export DB             write a collaboration graph as GraphML, GEXF, VOSviewer, CSV or JSON
  query DB WHAT         look up papers, authors, institutions; co-authors, k-hop, paths
  generate DIR          write synthetic data (CSV tables) for scale tests and benchmarks

Every command prints a readable table, or JSON with --json.
exit codes: 0 ok, 1 usage error, 2 data or I/O error, 3 integrity failure
)";

constexpr const char* kFilterHelp = R"(filters:
  --venue V             only venue V (repeatable)
  --years A:B           only years A to B (inclusive; A: or :B leave one end open)
  --track T             only track T (repeatable, case-insensitive)
  --tag T               only papers tagged T (repeatable: any of them), e.g. --tag llama
  --include-rejected    also count rejected/withdrawn submissions (left out by default)
  --regions R           source | split | merge: how Hong Kong, Macao, Taiwan count
)";

void PrintError(const absl::Status& status) {
  std::fprintf(stderr, "collabgraph: %s\n", std::string(status.message()).c_str());
}

int Usage(const std::string& message, const char* help) {
  std::fprintf(stderr, "collabgraph: %s\n\n%s", message.c_str(), help);
  return kExitUsage;
}

// Adds the filter options to `spec`.
void AddFilterSpec(ArgSpec* spec) {
  spec->value_options.insert({"venue", "years", "track", "tag", "regions"});
  spec->flags.insert("include-rejected");
}

bool ParseInt(const std::string& s, int* out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// Returns an error message, empty on success.
std::string ParseFilters(const Args& args, Filters* filters, Regions* regions) {
  filters->venues = args.Values("venue");
  filters->tracks = args.Values("track");
  filters->tags = args.Values("tag");
  filters->include_rejected = args.Flag("include-rejected");
  if (auto years = args.Value("years")) {
    const size_t colon = years->find(':');
    const std::string from = colon == std::string::npos ? *years : years->substr(0, colon);
    const std::string to = colon == std::string::npos ? *years : years->substr(colon + 1);
    int v = 0;
    if (!from.empty()) {
      if (!ParseInt(from, &v)) return "--years: \"" + *years + "\" is not A:B";
      filters->year_from = v;
    }
    if (!to.empty()) {
      if (!ParseInt(to, &v)) return "--years: \"" + *years + "\" is not A:B";
      filters->year_to = v;
    }
  }
  const std::string r = args.Value("regions").value_or("source");
  if (r == "source") {
    *regions = Regions::kSource;
  } else if (r == "split") {
    *regions = Regions::kSplit;
  } else if (r == "merge") {
    *regions = Regions::kMerge;
  } else {
    return "--regions must be source, split or merge";
  }
  return "";
}

std::string RulesLine(const Rules& rules) {
  std::string s = "rules:";
  for (const auto& [k, v] : rules.entries) s += fmt::format(" {}={}", k, v);
  return s;
}

absl::StatusOr<std::unique_ptr<Database>> OpenExisting(const std::string& path, bool read_only) {
  OpenOptions options;
  options.create_if_missing = false;
  options.read_only = read_only;
  return Database::Open(path, options);
}

// ---------------------------------------------------------------------------------------------
constexpr const char* kIngestHelp = R"(usage: collabgraph ingest DB FILE... [options]

Reads paper lists (Paper Copilot JSON), OpenAlex works (JSON Lines) or CSV tables, plain or
.gz, into DB, which is created when missing.
All files are read and checked before anything is written; a file with an error names the
file, record and field, and nothing is written. Papers already in DB are left unchanged.

options:
  --format F      auto | paperlists | openalex | csv (default auto: *.json[.gz] paper lists,
                  *.jsonl[.gz] OpenAlex works, a directory with papers.csv CSV tables)
  --venue V       venue for every file (default: from the file name, nips2016.json -> nips)
  --year Y        year for every file (default: from the file name)
  --sync-every N  fsync the write-ahead log every N papers (default 0: at the end)
  --universities PATH
                  the Hipo world universities list, to resolve countries of affiliations that
                  come without one (default: $COLLABGRAPH_DATA/reference/
                  world_universities_and_domains.json.gz when it exists)
  --lexicon FILE  tag papers with this lexicon instead of the shipped one
  --no-tags       do not tag papers
  --no-resolve    keep only the countries the source gives (no resolution of affiliations
                  without one)
  --bulk          bulk mode: batches of 20000 papers ingested as sorted SST files, the
                  index merged into one sorted run at the end, the edges into a few; same
                  result, faster; a crash loses the last two batches at most (rerun resumes)
  --bulk-batch N  papers per bulk batch (default 20000; with --bulk): smaller batches hold
                  less memory and lose less in a crash, larger ones write fewer files
  --authors FILE  author overrides: "merge: A | B" lines make names or ids one author,
                  "split: NAME @ INSTITUTION" lines tell homonyms apart (docs/methodology.md)
  --skip-bad      leave bad records out (each one reported on stderr, counted per file)
                  instead of failing; a truncated file keeps the records before the damage
  --max-authors N       cap on the authors of one paper (default 10000)
  --max-field-bytes N   cap on one text field (default 4194304)
                  (a record over a cap is bad input: an error, or skipped with --skip-bad)
  --warnings      print every warning (default: a count per file)
  --json          print the ingest report as JSON
)";

int Ingest(const std::vector<std::string>& argv) {
  ArgSpec spec{{"format", "venue", "year", "sync-every", "universities", "lexicon", "authors",
                "max-authors", "max-field-bytes", "bulk-batch"},
               {"json", "warnings", "bulk", "no-resolve", "no-tags", "skip-bad", "help"}};
  Args args;
  if (std::string err = args.Parse(argv, spec); !err.empty()) return Usage(err, kIngestHelp);
  if (args.Flag("help")) return std::fputs(kIngestHelp, stdout), kExitOk;
  if (args.positional().size() < 2)
    return Usage("ingest needs DB and at least one FILE", kIngestHelp);
  IngestOptions options;
  options.format = args.Value("format").value_or("auto");
  options.bulk = args.Flag("bulk");
  options.resolve_countries = !args.Flag("no-resolve");
  options.tag = !args.Flag("no-tags");
  options.skip_bad = args.Flag("skip-bad");
  if (auto authors = args.Value("authors")) options.author_overrides_path = *authors;
  for (const auto& [flag, field] : {std::pair{"max-authors", &options.max_authors},
                                    std::pair{"max-field-bytes", &options.max_field_bytes}}) {
    if (auto v = args.Value(flag)) {
      int n = 0;
      if (!ParseInt(*v, &n) || n < 1) {
        return Usage(std::string("--") + flag + " must be a number >= 1", kIngestHelp);
      }
      *field = static_cast<size_t>(n);
    }
  }
  if (auto lexicon = args.Value("lexicon")) options.lexicon_path = *lexicon;
  if (auto u = args.Value("universities")) {
    options.universities_path = *u;
  } else if (const char* data = std::getenv("COLLABGRAPH_DATA"); data != nullptr) {
    const std::string path =
        std::string(data) + "/reference/world_universities_and_domains.json.gz";
    // A regular file only: opening a FIFO here would block the ingest.
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec)) options.universities_path = path;
  }
  options.venue = args.Value("venue");
  if (auto y = args.Value("year")) {
    int year = 0;
    if (!ParseInt(*y, &year)) return Usage("--year must be a number", kIngestHelp);
    options.year = year;
  }
  if (auto n = args.Value("bulk-batch")) {
    int v = 0;
    if (!ParseInt(*n, &v) || v < 1) return Usage("--bulk-batch must be a number >= 1", kIngestHelp);
    if (!options.bulk) return Usage("--bulk-batch needs --bulk", kIngestHelp);
    options.bulk_batch = static_cast<size_t>(v);
  }
  if (auto n = args.Value("sync-every")) {
    int v = 0;
    if (!ParseInt(*n, &v) || v < 0) return Usage("--sync-every must be a number >= 0", kIngestHelp);
    options.sync_every = static_cast<size_t>(v);
  }
  // A progress line on a terminal, rewritten in place at most 4 times a second; nothing in a
  // pipe or a file.
  bool progress_shown = false;
  if (isatty(fileno(stderr)) != 0 && !args.Flag("json")) {
    auto last = std::chrono::steady_clock::time_point();
    double write_start = -1;
    options.progress = [&progress_shown, last, write_start](const IngestProgress& p) mutable {
      const auto now = std::chrono::steady_clock::now();
      const bool phase_end = p.phase == IngestProgress::Phase::kRead
                                 ? p.files_done == p.files_total
                                 : p.papers_done == p.papers_total;
      if (!phase_end && now - last < std::chrono::milliseconds(250)) return;
      last = now;
      std::string line;
      if (p.phase == IngestProgress::Phase::kRead) {
        const double mb = static_cast<double>(p.bytes_done) / 1e6;
        const double rate = p.seconds > 0 ? mb / p.seconds : 0.0;
        const double left = static_cast<double>(p.bytes_total - p.bytes_done) / 1e6;
        line =
            fmt::format("reading {}/{} files, {:.1f} of {:.1f} MB ({:.1f} MB/s), ETA {:.0f} s",
                        p.files_done, p.files_total, mb, static_cast<double>(p.bytes_total) / 1e6,
                        rate, rate > 0 ? left / rate : 0.0);
      } else {
        if (write_start < 0) write_start = p.seconds;
        const double elapsed = p.seconds - write_start;
        const double rate = elapsed > 0 ? static_cast<double>(p.papers_done) / elapsed : 0.0;
        line = fmt::format(
            "writing {}/{} papers ({:.0f} papers/s), ETA {:.0f} s", p.papers_done, p.papers_total,
            rate, rate > 0 ? static_cast<double>(p.papers_total - p.papers_done) / rate : 0.0);
      }
      fmt::print(stderr, "\r\033[K{}", line);
      std::fflush(stderr);
      progress_shown = true;
    };
  }
  const std::string& path = args.positional()[0];
  std::error_code ec;
  const bool existed = std::filesystem::exists(path, ec);
  auto db = Database::Open(path);
  if (!db.ok()) return PrintError(db.status()), kExitData;
  std::vector<std::string> files(args.positional().begin() + 1, args.positional().end());
  const auto started = std::chrono::steady_clock::now();
  auto report = (*db)->Ingest(files, options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (progress_shown) fmt::print(stderr, "\r\033[K");
  if (!report.ok()) {
    PrintError(report.status());
    if (!existed) {
      // This command created the database: on failure, leave nothing behind.
      db->reset();
      std::filesystem::remove_all(path, ec);
    }
    return kExitData;
  }
  if (args.Flag("json")) {
    fmt::print("{}\n", ToJson(*report));
    return kExitOk;
  }
  fmt::print("{:<28} {:>5} {:>7} {:>7} {:>7} {:>7} {:>7} {:>9} {:>8}\n", "file", "year", "records",
             "papers", "added", "present", "merged", "aff.ctry%", "warnings");
  for (const IngestFileReport& f : report->files) {
    const std::string name = f.path.substr(f.path.find_last_of('/') + 1);
    const double share = f.authorships == 0
                             ? 0.0
                             : 100.0 * static_cast<double>(f.authorships_with_country) /
                                   static_cast<double>(f.authorships);
    fmt::print("{:<28} {:>5} {:>7} {:>7} {:>7} {:>7} {:>7} {:>8.1f}% {:>8}\n", name, f.year,
               f.records, f.papers, f.added, f.already_present, f.merged_duplicates, share,
               f.warnings);
    size_t shown = 0;
    for (const auto& [label, n] : f.unresolved_countries) {
      if (++shown > 10 && !args.Flag("warnings")) {
        fmt::print("  ... and {} more unresolved country labels (--warnings or --json lists all)\n",
                   f.unresolved_countries.size() - 10);
        break;
      }
      fmt::print("  unresolved country label \"{}\" in {} record(s)\n", label, n);
    }
  }
  if (report->universities > 0) {
    fmt::print("countries of affiliations without one resolved with {} universities of {}\n",
               report->universities, options.universities_path);
  }
  size_t skipped = 0;
  size_t added = 0;
  size_t present = 0;
  size_t authorships = 0;
  size_t with_country = 0;
  for (const IngestFileReport& f : report->files) {
    skipped += f.skipped;
    added += f.added;
    present += f.already_present;
    authorships += f.authorships;
    with_country += f.authorships_with_country;
  }
  fmt::print(
      "{} file(s) in {:.1f} s: {} papers added, {} already present, {} authorships ({:.1f}% "
      "with a country), {} warning(s), {} skipped\n",
      report->files.size(), seconds, added, present, authorships,
      authorships == 0
          ? 0.0
          : 100.0 * static_cast<double>(with_country) / static_cast<double>(authorships),
      report->warnings.size(), skipped);
  if (!options.author_overrides_path.empty()) {
    fmt::print("author overrides of {}: {} authorship(s) re-identified\n",
               options.author_overrides_path, report->author_overrides_applied);
  }
  if (skipped > 0) {
    fmt::print("{} bad record(s) skipped (--skip-bad):\n", skipped);
    for (const IngestWarning& w : report->warnings) {
      if (w.message.starts_with("skipped")) {
        fmt::print(stderr, "skipped: {}: record {}: {}\n", w.file, w.record,
                   std::string_view(w.message).substr(w.message.find(':') + 2));
      }
    }
  }
  if (args.Flag("warnings")) {
    for (const IngestWarning& w : report->warnings) {
      fmt::print(stderr, "warning: {}: record {}{}: {}\n", w.file, w.record,
                 w.id.empty() ? "" : " (id \"" + w.id + "\")", w.message);
    }
  } else if (!report->warnings.empty()) {
    fmt::print("{} warning(s); --warnings lists them\n", report->warnings.size());
  }
  return kExitOk;
}

// ---------------------------------------------------------------------------------------------
constexpr const char* kInfoHelp = R"(usage: collabgraph info DB [--hash] [--json]

Prints the number of nodes per label and edges per edge type, and the format versions.
--hash adds a hash of the whole logical content (equal content, equal hash). Opens DB
read-only.
)";

int Info(const std::vector<std::string>& argv) {
  ArgSpec spec{{}, {"json", "hash", "help"}};
  Args args;
  if (std::string err = args.Parse(argv, spec); !err.empty()) return Usage(err, kInfoHelp);
  if (args.Flag("help")) return std::fputs(kInfoHelp, stdout), kExitOk;
  if (args.positional().size() != 1) return Usage("info needs DB", kInfoHelp);
  auto db = OpenExisting(args.positional()[0], /*read_only=*/true);
  if (!db.ok()) return PrintError(db.status()), kExitData;
  auto info = (*db)->Info();
  if (!info.ok()) return PrintError(info.status()), kExitData;
  std::string hash;
  if (args.Flag("hash")) {
    auto h = (*db)->ContentHash();
    if (!h.ok()) return PrintError(h.status()), kExitData;
    hash = fmt::format("{:016x}", *h);
  }
  if (args.Flag("json")) {
    std::string json = ToJson(*info);
    if (!hash.empty()) json.insert(json.size() - 1, ",\"content_hash\":\"" + hash + "\"");
    fmt::print("{}\n", json);
    return kExitOk;
  }
  if (!hash.empty()) fmt::print("content hash {}\n", hash);
  fmt::print(
      "database  {}\nformat    read {} / write {} (this library writes {})\ncreated by "
      "collabgraph {}\nsize      ~{:.1f} MiB\n",
      info->path, info->format_read, info->format_write, info->library_format, info->created_by,
      static_cast<double>(info->approximate_bytes) / (1 << 20));
  fmt::print("\n{:<14} {:>10}\n", "label", "nodes");
  for (const auto& [name, n] : info->nodes) fmt::print("{:<14} {:>10}\n", name, n);
  fmt::print("\n{:<14} {:>10}\n", "edge type", "edges");
  for (const auto& [name, n] : info->edges) fmt::print("{:<14} {:>10}\n", name, n);
  return kExitOk;
}

// ---------------------------------------------------------------------------------------------
constexpr const char* kCheckHelp = R"(usage: collabgraph check DB [--json]

Verifies every invariant of the stored graph under one snapshot: every key and value decodes,
each edge has its reverse, no edge has a missing endpoint, authorship positions are 0..k-1,
every index entry matches a node and every node has its index entries, and the counters equal
a recount. Exit 0 when all hold, 3 when any is violated (each is listed), 2 on I/O errors.
Opens DB read-only.
)";

int Check(const std::vector<std::string>& argv) {
  ArgSpec spec{{}, {"json", "help"}};
  Args args;
  if (std::string err = args.Parse(argv, spec); !err.empty()) return Usage(err, kCheckHelp);
  if (args.Flag("help")) return std::fputs(kCheckHelp, stdout), kExitOk;
  if (args.positional().size() != 1) return Usage("check needs DB", kCheckHelp);
  auto db = OpenExisting(args.positional()[0], /*read_only=*/true);
  if (!db.ok()) return PrintError(db.status()), kExitData;
  auto result = (*db)->Check();
  if (!result.ok()) return PrintError(result.status()), kExitData;
  if (args.Flag("json")) {
    fmt::print("{}\n", ToJson(*result));
  } else {
    fmt::print("checked {} node, {} edge and {} index records: {}\n", result->nodes, result->edges,
               result->index_entries,
               result->ok() ? "every invariant holds"
                            : fmt::format("{} violation(s)", result->violation_count));
    for (const auto& [invariant, detail] : result->violations) {
      fmt::print("  {}: {}\n", invariant, detail);
    }
  }
  return result->ok() ? kExitOk : kExitIntegrity;
}

// ---------------------------------------------------------------------------------------------
constexpr const char* kCompactHelp = R"(usage: collabgraph compact DB [--json]

Rewrites the database files so that each column family is one sorted run on its bottom level,
using every core. An ingest leaves its records spread over several levels and level-0 files,
which every scan and traversal must merge; after compact they read one table per key range.
The content is unchanged (same `info`, same content hash) and readers may run meanwhile.
Prints the sorted runs and the size before and after, and the time taken.
Exit 0 when done, 2 on I/O errors or when another process has DB open for writing.
)";

int Compact(const std::vector<std::string>& argv) {
  ArgSpec spec{{}, {"json", "help"}};
  Args args;
  if (std::string err = args.Parse(argv, spec); !err.empty()) return Usage(err, kCompactHelp);
  if (args.Flag("help")) return std::fputs(kCompactHelp, stdout), kExitOk;
  if (args.positional().size() != 1) return Usage("compact needs DB", kCompactHelp);
  auto db = OpenExisting(args.positional()[0], /*read_only=*/false);
  if (!db.ok()) return PrintError(db.status()), kExitData;
  auto report = (*db)->Compact();
  if (!report.ok()) return PrintError(report.status()), kExitData;
  if (args.Flag("json")) {
    fmt::print("{}\n", ToJson(*report));
  } else {
    fmt::print("compacted {} in {:.1f} s: {} sorted runs -> {}, {:.1f} MiB -> {:.1f} MiB\n",
               args.positional()[0], report->seconds, report->sorted_runs_before,
               report->sorted_runs_after, static_cast<double>(report->bytes_before) / (1 << 20),
               static_cast<double>(report->bytes_after) / (1 << 20));
  }
  return kExitOk;
}

// ---------------------------------------------------------------------------------------------
std::string StatsHelp() {
  return std::string(
             R"(usage: collabgraph stats DB [filters] [--by year|venue|tag] [--pair A,B] [--json]

Country statistics of the papers that pass the filters (rules: docs/methodology.md).
The table shows, per group: papers, papers with a known country, international papers
(two or more countries) and papers with both countries of --pair (default US,CN).
--json prints every country and pair with full and fractional counts.

options:
  --by year|venue|tag   one row per year, venue or tag (default: one row for all papers);
                        by tag, a paper counts under each of its tags, untagged papers
                        in the group (no tag)
  --counting full|fractional  order countries and pairs by this count (default full)
  --pair A,B            the country pair of the table's last columns (codes or names)
  --pair-rule any|bilateral   a pair counts when both countries are in the paper's set (any,
                        default) or when the set is exactly the two (bilateral)
  --attribution all|first|last  countries of all authors (default), or of the first or the
                        last author only
  --json                machine-readable output
)") + kFilterHelp;
}

struct StatsCommand {
  StatsOptions options;
  Args args;
};

// Parses the options shared by stats, pairs and report (plus `extra` ones); returns an exit
// code or -1 to continue.
int ParseStatsArgs(const std::vector<std::string>& argv, const std::string& help, StatsCommand* cmd,
                   const ArgSpec& extra = {}) {
  ArgSpec spec{{"by", "counting", "pair", "top", "pair-rule", "attribution", "detail"},
               {"json", "help"}};
  AddFilterSpec(&spec);
  spec.value_options.insert(extra.value_options.begin(), extra.value_options.end());
  spec.flags.insert(extra.flags.begin(), extra.flags.end());
  if (std::string err = cmd->args.Parse(argv, spec); !err.empty()) return Usage(err, help.c_str());
  if (cmd->args.Flag("help")) return std::fputs(help.c_str(), stdout), kExitOk;
  if (cmd->args.positional().size() != 1) return Usage("needs exactly one DB", help.c_str());
  if (std::string err = ParseFilters(cmd->args, &cmd->options.filters, &cmd->options.regions);
      !err.empty()) {
    return Usage(err, help.c_str());
  }
  const std::string by = cmd->args.Value("by").value_or("none");
  if (by == "year") {
    cmd->options.group_by = GroupBy::kYear;
  } else if (by == "venue") {
    cmd->options.group_by = GroupBy::kVenue;
  } else if (by == "tag") {
    cmd->options.group_by = GroupBy::kTag;
  } else if (by != "none") {
    return Usage("--by must be year, venue or tag", help.c_str());
  }
  const std::string pair_rule = cmd->args.Value("pair-rule").value_or("any");
  if (pair_rule == "bilateral") {
    cmd->options.pair_rule = PairRule::kBilateral;
  } else if (pair_rule != "any") {
    return Usage("--pair-rule must be any or bilateral", help.c_str());
  }
  const std::string attribution = cmd->args.Value("attribution").value_or("all");
  if (attribution == "first") {
    cmd->options.attribution = Attribution::kFirst;
  } else if (attribution == "last") {
    cmd->options.attribution = Attribution::kLast;
  } else if (attribution != "all") {
    return Usage("--attribution must be all, first or last", help.c_str());
  }
  const std::string counting = cmd->args.Value("counting").value_or("full");
  if (counting == "fractional") {
    cmd->options.counting = Counting::kFractional;
  } else if (counting != "full") {
    return Usage("--counting must be full or fractional", help.c_str());
  }
  return -1;
}

// A usage error for the first of `options` given to `command`, which shares the parser of
// stats, pairs and report but has no use for them; -1 when none was given.
int RejectOptions(const StatsCommand& cmd, std::initializer_list<const char*> options,
                  const char* command, const std::string& help) {
  for (const char* option : options) {
    if (cmd.args.Value(option)) {
      return Usage(fmt::format("--{} is not an option of {}", option, command), help.c_str());
    }
  }
  return -1;
}

int Stats(const std::vector<std::string>& argv) {
  const std::string help = StatsHelp();
  StatsCommand cmd;
  if (int rc = ParseStatsArgs(argv, help, &cmd); rc >= 0) return rc;
  if (int rc = RejectOptions(cmd, {"top", "detail"}, "stats", help); rc >= 0) return rc;
  std::string pair_a = "US";
  std::string pair_b = "CN";
  if (auto pair = cmd.args.Value("pair")) {
    const size_t comma = pair->find(',');
    if (comma == std::string::npos) return Usage("--pair must be A,B", help.c_str());
    auto a = CountryCode(pair->substr(0, comma));
    auto b = CountryCode(pair->substr(comma + 1));
    if (!a.ok()) return Usage(std::string(a.status().message()), help.c_str());
    if (!b.ok()) return Usage(std::string(b.status().message()), help.c_str());
    pair_a = *a;
    pair_b = *b;
  }
  auto db = OpenExisting(cmd.args.positional()[0], /*read_only=*/true);
  if (!db.ok()) return PrintError(db.status()), kExitData;
  auto result = (*db)->Stats(cmd.options);
  if (!result.ok()) return PrintError(result.status()), kExitData;
  if (cmd.args.Flag("json")) {
    fmt::print("{}\n", ToJson(*result));
    return kExitOk;
  }
  const std::string pair_label = pair_a + "-" + pair_b;
  fmt::print("{}\n\n", RulesLine(result->rules));
  size_t key_width = 10;
  for (const StatsGroup& g : result->groups) key_width = std::max(key_width, g.key.size());
  fmt::print("{:<{}} {:>8} {:>9} {:>8} {:>13} {:>7} {:>9} {:>8}\n", "group", key_width, "papers",
             "excluded", "country", "international", "intl%", pair_label, "share%");
  for (const StatsGroup& g : result->groups) {
    int64_t pair_papers = 0;
    for (const PairStat& p : g.pairs) {
      if ((p.a == pair_a && p.b == pair_b) || (p.a == pair_b && p.b == pair_a))
        pair_papers = p.papers;
    }
    const double denom = g.papers == 0 ? 1.0 : static_cast<double>(g.papers);
    fmt::print("{:<{}} {:>8} {:>9} {:>8} {:>13} {:>6.1f}% {:>9} {:>7.2f}%\n", g.key, key_width,
               g.papers, g.excluded_papers, g.papers_with_country, g.international_papers,
               100.0 * static_cast<double>(g.international_papers) / denom, pair_papers,
               100.0 * static_cast<double>(pair_papers) / denom);
  }
  if (!result->grouped && !result->groups.empty()) {
    const StatsGroup& g = result->groups.front();
    fmt::print("\n{:<4} {:<28} {:>8} {:>11}\n", "code", "country", "papers", "fractional");
    for (size_t i = 0; i < g.countries.size() && i < 15; ++i) {
      const CountryStat& c = g.countries[i];
      fmt::print("{:<4} {:<28} {:>8} {:>11.2f}\n", c.code, c.name, c.papers, c.fractional);
    }
  }
  fmt::print("\npercentages are of all counted papers, including those without a known country\n");
  return kExitOk;
}

// ---------------------------------------------------------------------------------------------
std::string PairsHelp() {
  return std::string(
             R"(usage: collabgraph pairs DB [filters] [--by year|venue|tag] [--counting full|fractional]
                         [--top N] [--json]

Country pairs ranked by co-authored papers (full) or by fractional weight, with Salton's
cosine, Jaccard, association strength and the probabilistic affinity index; --json adds the
affinity index of each side (rules: docs/methodology.md).

options:
  --by year|venue|tag   one ranking per group (see stats --help)
  --counting full|fractional  ranking (default full)
  --pair-rule any|bilateral   see stats --help
  --attribution all|first|last  see stats --help
  --detail A,B          instead: the pair's papers per year, the institutions and authors on
                        its papers (--top each), and per tag the papers with only A, only B,
                        both, or neither
  --top N               print the N first pairs (default 20; 0 for all)
  --json                machine-readable output (the --top first pairs, like the table)
)") + kFilterHelp;
}

int Pairs(const std::vector<std::string>& argv) {
  const std::string help = PairsHelp();
  StatsCommand cmd;
  if (int rc = ParseStatsArgs(argv, help, &cmd); rc >= 0) return rc;
  if (int rc = RejectOptions(cmd, {"pair"}, "pairs", help); rc >= 0) return rc;
  int top = 20;
  if (auto t = cmd.args.Value("top")) {
    if (!ParseInt(*t, &top) || top < 0) return Usage("--top must be a number >= 0", help.c_str());
  }
  auto db = OpenExisting(cmd.args.positional()[0], /*read_only=*/true);
  if (!db.ok()) return PrintError(db.status()), kExitData;
  if (auto detail = cmd.args.Value("detail")) {
    const size_t comma = detail->find(',');
    if (comma == std::string::npos) return Usage("--detail must be A,B", help.c_str());
    auto a = CountryCode(detail->substr(0, comma));
    auto b = CountryCode(detail->substr(comma + 1));
    if (!a.ok()) return Usage(std::string(a.status().message()), help.c_str());
    if (!b.ok()) return Usage(std::string(b.status().message()), help.c_str());
    auto d = (*db)->DescribePair(cmd.options, *a, *b, static_cast<size_t>(top));
    if (!d.ok()) return PrintError(d.status()), kExitData;
    if (cmd.args.Flag("json")) {
      fmt::print("{}\n", ToJson(*d));
      return kExitOk;
    }
    fmt::print("{}\n\n{}-{} papers per year\n{:<6} {:>8} {:>8} {:>8}\n", RulesLine(d->rules), d->a,
               d->b, "year", "papers", "pair", "share%");
    for (const auto& p : d->series) {
      fmt::print("{:<6} {:>8} {:>8} {:>7.2f}%\n", p.year, p.papers, p.pair_papers, 100.0 * p.share);
    }
    fmt::print("\ninstitutions on {}-{} papers\n", d->a, d->b);
    for (const auto& c : d->institutions) {
      fmt::print("{:>6}  {} ({})\n", c.papers, c.name, c.code.empty() ? "?" : c.code);
    }
    fmt::print("\nauthors on {}-{} papers\n", d->a, d->b);
    for (const auto& c : d->authors) fmt::print("{:>6}  {}\n", c.papers, c.name);
    fmt::print("\n{:<24} {:>8} {:>8} {:>8} {:>8}\n", "tag", d->a + " only", d->b + " only",
               d->a + "-" + d->b, "other");
    for (const auto& t : d->tags) {
      fmt::print("{:<24} {:>8} {:>8} {:>8} {:>8}\n", t.tag, t.only_a, t.only_b, t.both, t.other);
    }
    return kExitOk;
  }
  auto result = (*db)->Stats(cmd.options);
  if (!result.ok()) return PrintError(result.status()), kExitData;
  if (top > 0) {
    for (StatsGroup& g : result->groups) {
      if (g.pairs.size() > static_cast<size_t>(top)) g.pairs.resize(static_cast<size_t>(top));
    }
  }
  if (cmd.args.Flag("json")) {
    fmt::print("{}\n", ToJson(*result));
    return kExitOk;
  }
  fmt::print("{}\n", RulesLine(result->rules));
  for (const StatsGroup& g : result->groups) {
    fmt::print("\n{} ({} papers, {} international)\n", g.key, g.papers, g.international_papers);
    fmt::print("{:<4} {:<4} {:>8} {:>11} {:>8} {:>8} {:>8} {:>8}\n", "a", "b", "papers",
               "fractional", "salton", "jaccard", "assoc", "pai");
    for (const PairStat& p : g.pairs) {
      fmt::print("{:<4} {:<4} {:>8} {:>11.2f} {:>8.4f} {:>8.4f} {:>8.3f} {:>8.3f}\n", p.a, p.b,
                 p.papers, p.fractional, p.salton, p.jaccard, p.association_strength,
                 p.probabilistic_affinity);
    }
  }
  return kExitOk;
}

// ---------------------------------------------------------------------------------------------
std::string ReportHelp() {
  return std::string(
             R"(usage: collabgraph report DB -o FILE [filters] [--pair A,B] [options] [--json]

Writes one self-contained HTML file (inline CSS and SVG; no scripts, nothing fetched) on the
collaboration of two countries: summary figures; per year, the pair's share and the
international share of all papers (charts, gaps for years without papers) and the papers;
the country collaboration network of the largest countries; the top countries, the top
country pairs (Salton, Jaccard, PAI) and the institutions bridging the two countries (bridge
and brokerage, see centrality --help); and the counting rules of every number. The numbers
are those of stats and centrality for the same options. The file is written whole or not at
all.

options:
  -o, --output FILE     where to write (required)
  --pair A,B            the two countries (codes or names; default US,CN)
  --counting full|fractional  order of the country and pair tables (default full)
  --pair-rule any|bilateral   see stats --help
  --attribution all|first|last  see stats --help
  --top N               rows of each table (default 15)
  --network N           countries in the network picture (default 25)
  --network-links N     strongest links drawn among them (default 80)
  --title TEXT          heading (default "Collaboration between A and B")
  --threads N           threads for the bridge score (default 0 = all cores)
  --max-members N       see centrality --help (default 1000)
  --json                print a summary of what was written as JSON
)") + kFilterHelp;
}

int Report(const std::vector<std::string>& argv) {
  const std::string help = ReportHelp();
  std::vector<std::string> args_in;
  args_in.reserve(argv.size());
  for (const std::string& a : argv) args_in.push_back(a == "-o" ? "--output" : a);
  StatsCommand cmd;
  const ArgSpec extra{{"output", "title", "network", "network-links", "threads", "max-members"},
                      {}};
  if (int rc = ParseStatsArgs(args_in, help, &cmd, extra); rc >= 0) return rc;
  if (int rc = RejectOptions(cmd, {"by", "detail"}, "report", help); rc >= 0) return rc;
  ReportOptions options;
  options.stats = cmd.options;
  if (auto pair = cmd.args.Value("pair")) {
    const size_t comma = pair->find(',');
    if (comma == std::string::npos) return Usage("--pair must be A,B", help.c_str());
    options.country_a = pair->substr(0, comma);
    options.country_b = pair->substr(comma + 1);
  }
  for (const auto& [flag, field, min] :
       {std::tuple{"top", &options.top, 1}, std::tuple{"network", &options.network_countries, 1},
        std::tuple{"network-links", &options.network_links, 0},
        std::tuple{"max-members", &options.max_members, 0}}) {
    if (auto v = cmd.args.Value(flag)) {
      int n = 0;
      if (!ParseInt(*v, &n) || n < min) {
        return Usage(fmt::format("--{} must be a number >= {}", flag, min), help.c_str());
      }
      *field = static_cast<size_t>(n);
    }
  }
  if (auto t = cmd.args.Value("threads")) {
    int threads = 0;
    if (!ParseInt(*t, &threads) || threads < 0) {
      return Usage("--threads must be a number >= 0", help.c_str());
    }
    options.threads = static_cast<unsigned>(threads);
  }
  if (auto title = cmd.args.Value("title")) options.title = *title;
  const auto output = cmd.args.Value("output");
  if (!output) return Usage("-o FILE is required", help.c_str());
  const std::string& path = cmd.args.positional()[0];
  options.source = "Database " + path;
  auto db = OpenExisting(path, /*read_only=*/true);
  if (!db.ok()) return PrintError(db.status()), kExitData;
  auto summary = WriteReport(**db, options, *output);
  if (absl::IsInvalidArgument(summary.status())) {
    return Usage(std::string(summary.status().message()), help.c_str());
  }
  if (!summary.ok()) return PrintError(summary.status()), kExitData;
  if (cmd.args.Flag("json")) {
    fmt::print("{}\n", ToJson(*summary));
    return kExitOk;
  }
  fmt::print(
      "report written to {} ({:.1f} KiB in {:.2f} s): {} papers, {} years, {}-{} papers {}, "
      "{} countries in the network, {} institutions\n",
      summary->path, static_cast<double>(summary->bytes) / 1024, summary->seconds, summary->papers,
      summary->years.size(), summary->country_a, summary->country_b, summary->pair_papers,
      summary->network_nodes, summary->table_institutions);
  return kExitOk;
}

// The options that choose a projection, shared by centrality and export: filters, --graph
// (required) and --max-members. Returns an error message, empty on success.
std::string ParseProjectionArgs(const Args& args, CentralityOptions* options) {
  if (std::string err = ParseFilters(args, &options->filters, &options->regions); !err.empty()) {
    return err;
  }
  const auto graph = args.Value("graph");
  if (!graph) return "--graph is required";
  if (*graph == "author") {
    options->graph = GraphKind::kAuthor;
  } else if (*graph == "institution") {
    options->graph = GraphKind::kInstitution;
  } else if (*graph == "country") {
    options->graph = GraphKind::kCountry;
  } else {
    return "--graph must be author, institution or country";
  }
  if (auto m = args.Value("max-members")) {
    int cap = 0;
    if (!ParseInt(*m, &cap) || cap < 0) return "--max-members must be a number >= 0";
    options->max_members = static_cast<size_t>(cap);
  }
  return "";
}

// ---------------------------------------------------------------------------------------------
std::string CentralityHelp() {
  return std::string(
             R"(usage: collabgraph centrality DB --graph author|institution|country --metric M [--top N] [--json]

Ranks the nodes of a collaboration graph projected from DB (nodes joined when they share a
paper). Values are normalised as NetworkX does by default (docs/methodology.md, "Centrality").

metrics:
  betweenness           Brandes, exact (or sampled with --samples); normalised by
                        2/((n-1)(n-2))
  bridge                group betweenness: sum over s in A, t in B of sigma_st(v)/sigma_st,
                        unnormalised (needs --between A,B)
  brokerage             papers with both countries of --between A,B the node appears on,
                        and their share of all such papers
  degree                degree / (n-1)
  pagerank              damping 0.85, dangling mass spread uniformly; sums to 1
  harmonic              sum of 1/distance to every other node
  closeness             closeness within each component, scaled as NetworkX (wf_improved)
  core                  core number (k-core)
  clustering            local clustering coefficient
  eigenvector           power iteration on A+I, unit L2 norm, unweighted (as NetworkX)
  strength              sum of edge weights (--weights; default papers in common)
  components            connected components: each node's component id (0 = largest) and
                        its size as the value; the number of components
  louvain               Louvain communities under --weights (resolution 1, --seed): each
                        node's community id (0 = largest), its size as the value, and the
                        partition's modularity

options:
  --graph G             author | institution | country (required)
  --metric M            (required)
  --top N               print the N highest (default 20; 0 for all)
  --weights W           none | full | fractional: edge weight of strength and louvain
                        (default full = papers in common; fractional = Newman's 1/(n-1))
  --seed S              seed of louvain's vertex order and of betweenness's sample (default
                        1); the same seed gives the same result
  --threads N           threads for betweenness, bridge, pagerank, eigenvector, harmonic and
                        closeness (default 0 = all cores); results are identical for every N
  --max-members N       a paper with more members than N adds no edges, only vertices
                        (default 1000; 0 = no cap); a warning says how many
  --json                machine-readable output
betweenness and bridge:
  --weighted W          full | fractional: shortest paths with edge length 1/weight, weight =
                        papers in common (full) or Newman's sum of 1/(n-1) (fractional);
                        default: unweighted
  --samples K           betweenness only: estimate from K sources drawn uniformly (default 0:
                        exact); the rules state the error bound
bridge and brokerage:
  --between A,B         two countries (ISO codes or English names), e.g. US,CN; an author has
                        every country of their institutions
)") + kFilterHelp;
}

int Centrality(const std::vector<std::string>& argv) {
  const std::string help = CentralityHelp();
  ArgSpec spec{{"graph", "metric", "top", "weights", "weighted", "threads", "samples", "seed",
                "between", "max-members"},
               {"json", "help"}};
  AddFilterSpec(&spec);
  Args args;
  if (std::string err = args.Parse(argv, spec); !err.empty()) return Usage(err, help.c_str());
  if (args.Flag("help")) return std::fputs(help.c_str(), stdout), kExitOk;
  if (args.positional().size() != 1) return Usage("centrality needs exactly one DB", help.c_str());
  CentralityOptions options;
  if (std::string err = ParseProjectionArgs(args, &options); !err.empty()) {
    return Usage(err, help.c_str());
  }
  const auto metric = args.Value("metric");
  if (!metric) return Usage("--metric is required", help.c_str());
  options.metric = *metric;
  int top = 20;
  if (auto t = args.Value("top")) {
    if (!ParseInt(*t, &top) || top < 0) return Usage("--top must be a number >= 0", help.c_str());
  }
  options.top = static_cast<size_t>(top);
  if (auto w = args.Value("weights")) {
    if (*w == "none") {
      options.weights = EdgeWeight::kNone;
    } else if (*w == "full") {
      options.weights = EdgeWeight::kFull;
    } else if (*w == "fractional") {
      options.weights = EdgeWeight::kFractional;
    } else {
      return Usage("--weights must be none, full or fractional", help.c_str());
    }
  }
  if (auto w = args.Value("weighted")) {
    if (*w == "full") {
      options.weighting = Weighting::kFull;
    } else if (*w == "fractional") {
      options.weighting = Weighting::kFractional;
    } else {
      return Usage("--weighted must be full or fractional", help.c_str());
    }
  }
  if (auto t = args.Value("threads")) {
    int threads = 0;
    if (!ParseInt(*t, &threads) || threads < 0) {
      return Usage("--threads must be a number >= 0", help.c_str());
    }
    options.threads = static_cast<unsigned>(threads);
  }
  for (const char* name : {"samples", "seed"}) {
    if (auto v = args.Value(name)) {
      uint64_t x = 0;
      auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), x);
      if (ec != std::errc() || ptr != v->data() + v->size()) {
        return Usage(fmt::format("--{} must be a number >= 0", name), help.c_str());
      }
      (std::string(name) == "samples" ? options.samples : options.seed) = x;
    }
  }
  if (auto between = args.Value("between")) {
    const size_t comma = between->find(',');
    if (comma == std::string::npos || comma == 0 || comma + 1 == between->size()) {
      return Usage("--between must be two countries A,B", help.c_str());
    }
    options.group_a = between->substr(0, comma);
    options.group_b = between->substr(comma + 1);
  }
  auto db = OpenExisting(args.positional()[0], /*read_only=*/true);
  if (!db.ok()) return PrintError(db.status()), kExitData;
  auto result = (*db)->Centrality(options);
  if (absl::IsInvalidArgument(result.status())) {
    return Usage(std::string(result.status().message()), help.c_str());
  }
  if (!result.ok()) return PrintError(result.status()), kExitData;
  if (result->capped_papers > 0) {
    fmt::print(stderr,
               "warning: {} paper(s) with more than {} members add no edges to the {} graph "
               "(--max-members; rule member_cap)\n",
               result->capped_papers, options.max_members, result->graph);
  }
  if (args.Flag("json")) {
    fmt::print("{}\n", ToJson(*result));
    return kExitOk;
  }
  const bool partition = result->metric == "components" || result->metric == "louvain";
  fmt::print("{}\n{} graph: {} nodes, {} edges; {}{}\n", RulesLine(result->rules), result->graph,
             result->nodes, result->edges, result->metric,
             partition            ? ""
             : result->normalized ? " (normalised)"
                                  : " (unnormalised)");
  if (partition) {
    fmt::print("{} {}; modularity {:.6f}\n", result->group_sizes.size(),
               result->metric == "louvain" ? "communities" : "components", result->modularity);
    fmt::print("\n{:>4}  {:<48} {:>8} {:>8}\n", "rank", "name", "group", "size");
  } else {
    fmt::print("\n{:>4}  {:<48} {:>12}\n", "rank", "name", "value");
  }
  for (size_t i = 0; i < result->results.size(); ++i) {
    const CentralityEntry& e = result->results[i];
    const std::string name = e.code.empty() ? e.name : fmt::format("{} ({})", e.name, e.code);
    if (partition) {
      fmt::print("{:>4}  {:<48} {:>8} {:>8}\n", i + 1, name, e.group, e.value);
    } else {
      fmt::print("{:>4}  {:<48} {:>12.6f}", i + 1, name, e.value);
      if (e.share) fmt::print("  share {:.6f}", *e.share);
      fmt::print("\n");
    }
  }
  return kExitOk;
}

// ---------------------------------------------------------------------------------------------
std::string ExportHelp() {
  return std::string(
             R"(usage: collabgraph export DB --graph author|institution|country --format F -o FILE [filters]

Writes the collaboration graph (nodes joined when they share a paper; docs/methodology.md,
"Projections") for other tools. Every edge carries both weights: papers in common and
Newman's fractional weight.

formats:
  graphml     GraphML (Gephi, NetworkX, igraph): node data name, code, db_id; edge data
              weight (papers in common) and fractional
  gexf        GEXF 1.2 (Gephi): node label and attributes code, db_id; edge weight and
              attribute fractional
  vosviewer   VOSviewer map and network files: FILE_map.txt and FILE_network.txt
  csv         edge list: source_id,source,target_id,target,papers,fractional
  json        {"rules", "graph", "nodes": [{id, name, code}], "edges": [{source, target,
              papers, fractional}]} (database ids)

options:
  --graph G             author | institution | country (required)
  --format F            (required)
  -o, --output FILE     where to write (required); written whole or not at all
  --max-members N       a paper with more members than N adds no edges (default 1000; 0 = none)
  --json                print what was written: {"rules", "graph", "format", "nodes", "edges",
                        "files"}
)") + kFilterHelp;
}

int Export(const std::vector<std::string>& argv) {
  const std::string help = ExportHelp();
  std::vector<std::string> args_in;
  args_in.reserve(argv.size());
  for (const std::string& a : argv) args_in.push_back(a == "-o" ? "--output" : a);
  ArgSpec spec{{"graph", "format", "output", "max-members"}, {"help", "json"}};
  AddFilterSpec(&spec);
  Args args;
  if (std::string err = args.Parse(args_in, spec); !err.empty()) return Usage(err, help.c_str());
  if (args.Flag("help")) return std::fputs(help.c_str(), stdout), kExitOk;
  if (args.positional().size() != 1) return Usage("export needs exactly one DB", help.c_str());
  CentralityOptions options;
  if (std::string err = ParseProjectionArgs(args, &options); !err.empty()) {
    return Usage(err, help.c_str());
  }
  ExportFormat format = ExportFormat::kGraphMl;
  const auto format_name = args.Value("format");
  if (!format_name) return Usage("--format is required", help.c_str());
  if (absl::Status st = ParseExportFormat(*format_name, &format); !st.ok()) {
    return Usage(std::string(st.message()), help.c_str());
  }
  const auto output = args.Value("output");
  if (!output) return Usage("-o FILE is required", help.c_str());
  auto db = OpenExisting(args.positional()[0], /*read_only=*/true);
  if (!db.ok()) return PrintError(db.status()), kExitData;
  auto projected = (*db)->Project(options);
  if (!projected.ok()) return PrintError(projected.status()), kExitData;
  if (absl::Status st = WriteGraph(*projected, format, *output); !st.ok()) {
    return PrintError(st), kExitData;
  }
  std::vector<std::string> files = {*output};
  if (format == ExportFormat::kVosviewer) files = {*output + "_map.txt", *output + "_network.txt"};
  if (args.Flag("json")) {
    std::string rules;
    for (const auto& [k, v] : projected->rules.entries) {
      rules += (rules.empty() ? "" : ",") + JsonQuote(k) + ":" + JsonQuote(v);
    }
    std::string written;
    for (const std::string& f : files) written += (written.empty() ? "" : ",") + JsonQuote(f);
    fmt::print(
        "{{\"rules\":{{{}}},\"graph\":{},\"format\":{},\"nodes\":{},\"edges\":{},"
        "\"files\":[{}]}}\n",
        rules, JsonQuote(projected->graph), JsonQuote(*format_name), projected->nodes.size(),
        projected->edges.size(), written);
    return kExitOk;
  }
  fmt::print("{} graph: {} nodes, {} edges written to {}\n", projected->graph,
             projected->nodes.size(), projected->edges.size(),
             files.size() == 2 ? files[0] + " and " + files[1] : files[0]);
  return kExitOk;
}

// ---------------------------------------------------------------------------------------------
std::string QueryHelp() {
  return std::string(R"(usage: collabgraph query DB WHAT [ARGS] [options]

Looks things up and walks the graph, all from one snapshot of DB (docs/api.md has the same
queries in C++). Ids are the database ids that --json output, centrality and exports print.

what:
  paper ID                   a paper with its authorships, institutions and country set
  paper --source VENUE/YEAR/SOURCE_ID | --external SCHEME:VALUE   (e.g. openalex_work:W123)
  author ID | --name NAME [--normalized] | --external SCHEME:VALUE   (orcid, openreview, ...)
  institution ID | --name NAME [--normalized]
  country CODE|NAME
  papers [filters]           papers matching every option given, ascending id:
      --country C (repeatable: any of them)  --all-countries C (repeatable: all of them)
      --institution ID (repeatable)  --author ID
  pairs [filters]            country pairs by papers co-authored (full counting), most
                             first; --country / --all-countries narrow the papers as above
  coauthors AUTHOR_ID        co-authors with the papers shared, most first
  neighborhood ID --graph author|institution [--hops K]   everything within K hops (default 2)
  path FROM TO --graph author|institution [--max-hops N]   a shortest collaboration path
  prolific                   the authors with the most papers

options:
  --limit N             print at most N results (default 20; 0 = all); counts cover all
  --json                print JSON: {"query", "count", "results": [...]}
)") + kFilterHelp;
}

int Query(const std::vector<std::string>& argv) {
  const std::string help = QueryHelp();
  ArgSpec spec{{"source", "external", "name", "country", "all-countries", "institution", "author",
                "graph", "hops", "max-hops", "limit"},
               {"help", "json", "normalized"}};
  AddFilterSpec(&spec);
  Args args;
  if (std::string err = args.Parse(argv, spec); !err.empty()) return Usage(err, help.c_str());
  if (args.Flag("help")) return std::fputs(help.c_str(), stdout), kExitOk;
  const auto& pos = args.positional();
  if (pos.size() < 2) return Usage("query needs DB and WHAT", help.c_str());
  const std::string& what = pos[1];
  const bool json = args.Flag("json");
  PaperQuery pq;
  if (std::string err = ParseFilters(args, &pq.filters, &pq.regions); !err.empty()) {
    return Usage(err, help.c_str());
  }
  auto id_arg = [&](size_t i, uint64_t* out) {
    if (pos.size() <= i) return false;
    auto [ptr, ec] = std::from_chars(pos[i].data(), pos[i].data() + pos[i].size(), *out);
    return ec == std::errc() && ptr == pos[i].data() + pos[i].size();
  };
  auto int_option = [&](const char* name, int fallback, int* out) {
    *out = fallback;
    auto v = args.Value(name);
    return !v || (ParseInt(*v, out) && *out >= 0);
  };
  int limit = 20;
  if (!int_option("limit", 20, &limit)) return Usage("--limit must be a count", help.c_str());
  GraphKind graph = GraphKind::kAuthor;
  if (auto g = args.Value("graph")) {
    if (*g == "author") {
      graph = GraphKind::kAuthor;
    } else if (*g == "institution") {
      graph = GraphKind::kInstitution;
    } else {
      return Usage("--graph must be author or institution", help.c_str());
    }
  }
  auto split_scheme = [](const std::string& s, std::string* scheme, std::string* value) {
    const size_t colon = s.find(':');
    if (colon == std::string::npos || colon == 0) return false;
    *scheme = s.substr(0, colon);
    *value = s.substr(colon + 1);
    return true;
  };

  auto db = OpenExisting(pos[0], /*read_only=*/true);
  if (!db.ok()) return PrintError(db.status()), kExitData;
  auto snap = (*db)->NewSnapshot();

  // Every branch fills `items` (JSON objects) and `lines` (table rows); `count` is the number
  // of results before --limit.
  std::vector<std::string> items;
  std::vector<std::string> lines;
  uint64_t count = 0;
  auto keep = [&](std::string item, std::string line) {
    ++count;
    if (limit != 0 && count > static_cast<uint64_t>(limit)) return;
    items.push_back(std::move(item));
    lines.push_back(std::move(line));
  };
  auto fail = [&](const absl::Status& st) {
    PrintError(st);
    return kExitData;
  };
  auto paper_line = [](const PaperRecord& p) {
    return fmt::format("{:>9}  {} {:<6} {}", p.id, p.year, p.venue, p.title);
  };
  auto author_line = [](const AuthorRecord& a) { return fmt::format("{:>9}  {}", a.id, a.name); };
  auto inst_line = [](const InstitutionRecord& r) {
    return fmt::format("{:>9}  {:<2} {}", r.id,
                       r.region_code.empty() ? r.country_code : r.region_code, r.name);
  };
  std::string scheme;
  std::string value;
  uint64_t id = 0;

  if (what == "paper") {
    absl::StatusOr<std::optional<PaperRecord>> found = std::optional<PaperRecord>();
    if (auto source = args.Value("source")) {
      found = snap->FindPaperByExternalId("source", *source);
    } else if (auto ext = args.Value("external")) {
      if (!split_scheme(*ext, &scheme, &value))
        return Usage("--external is SCHEME:VALUE", help.c_str());
      found = snap->FindPaperByExternalId(scheme, value);
    } else if (id_arg(2, &id)) {
      auto p = snap->Paper(id);
      if (!p.ok()) return fail(p.status());
      found = std::optional<PaperRecord>(*p);
    } else {
      return Usage("paper needs an ID, --source or --external", help.c_str());
    }
    if (!found.ok()) return fail(found.status());
    if (!*found) return fail(absl::NotFoundError("no such paper"));
    const PaperRecord& p = **found;
    auto authorships = snap->Authorships(p.id);
    if (!authorships.ok()) return fail(authorships.status());
    auto countries = snap->CountriesOfPaper(p.id, pq.regions);
    if (!countries.ok()) return fail(countries.status());
    if (json) {
      std::string out = "{\"query\":\"paper\",\"paper\":" + ToJson(p) + ",\"authorships\":[";
      for (size_t i = 0; i < authorships->size(); ++i) {
        out += (i ? "," : "") + ToJson((*authorships)[i]);
      }
      out += "],\"countries\":[";
      for (size_t i = 0; i < countries->size(); ++i) {
        out += (i ? "," : "") + ToJson((*countries)[i]);
      }
      fmt::print("{}]}}\n", out);
      return kExitOk;
    }
    fmt::print("paper {}: {}\n{} {} {}{}\n", p.id, p.title, p.venue, p.year, p.track,
               p.status.empty() ? "" : " (" + p.status + ")");
    for (const AuthorshipRecord& a : *authorships) {
      std::string insts;
      for (const InstitutionRecord& r : a.institutions) {
        insts += (insts.empty() ? "" : "; ") + r.name +
                 (r.country_code.empty() ? "" : " [" + r.country_code + "]");
      }
      fmt::print("  {:>3}. {} (author {}){}\n", a.position + 1, a.author.name, a.author.id,
                 insts.empty() ? "" : " - " + insts);
    }
    std::string codes;
    for (const CountryRecord& c : *countries) codes += (codes.empty() ? "" : " ") + c.code;
    fmt::print("countries: {}\n", codes.empty() ? "(unknown)" : codes);
    return kExitOk;
  }

  if (what == "author" || what == "institution") {
    const bool author = what == "author";
    const NameMatch match = args.Flag("normalized") ? NameMatch::kNormalized : NameMatch::kExact;
    if (auto name = args.Value("name")) {
      if (author) {
        auto found = snap->FindAuthors(*name, match);
        if (!found.ok()) return fail(found.status());
        for (const AuthorRecord& a : *found) keep(ToJson(a), author_line(a));
      } else {
        auto found = snap->FindInstitutions(*name, match);
        if (!found.ok()) return fail(found.status());
        for (const InstitutionRecord& r : *found) keep(ToJson(r), inst_line(r));
      }
    } else if (auto ext = args.Value("external"); ext && author) {
      if (!split_scheme(*ext, &scheme, &value))
        return Usage("--external is SCHEME:VALUE", help.c_str());
      auto found = snap->FindAuthorByExternalId(scheme, value);
      if (!found.ok()) return fail(found.status());
      if (*found) keep(ToJson(**found), author_line(**found));
    } else if (id_arg(2, &id)) {
      if (author) {
        auto a = snap->Author(id);
        if (!a.ok()) return fail(a.status());
        keep(ToJson(*a), author_line(*a));
      } else {
        auto r = snap->Institution(id);
        if (!r.ok()) return fail(r.status());
        keep(ToJson(*r), inst_line(*r));
      }
    } else {
      return Usage(what + " needs an ID, --name" + (author ? " or --external" : ""), help.c_str());
    }
  } else if (what == "country") {
    if (pos.size() < 3) return Usage("country needs a CODE or NAME", help.c_str());
    auto c = snap->Country(pos[2]);
    if (!c.ok()) return fail(c.status());
    keep(ToJson(*c), fmt::format("{:>9}  {} {}", c->id, c->code, c->name));
  } else if (what == "papers") {
    pq.any_countries = args.Values("country");
    pq.all_countries = args.Values("all-countries");
    for (const std::string& s : args.Values("institution")) {
      pq.institutions.push_back(0);
      auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), pq.institutions.back());
      if (ec != std::errc() || ptr != s.data() + s.size()) {
        return Usage("--institution takes an id", help.c_str());
      }
    }
    if (auto a = args.Value("author")) {
      uint64_t author = 0;
      auto [ptr, ec] = std::from_chars(a->data(), a->data() + a->size(), author);
      if (ec != std::errc() || ptr != a->data() + a->size()) {
        return Usage("--author takes an id", help.c_str());
      }
      pq.author = author;
    }
    auto cursor = snap->Papers(pq);
    for (; cursor->Valid(); cursor->Next())
      keep(ToJson(cursor->paper()), paper_line(cursor->paper()));
    if (!cursor->status().ok()) return fail(cursor->status());
  } else if (what == "pairs") {
    pq.any_countries = args.Values("country");
    pq.all_countries = args.Values("all-countries");
    auto pairs = snap->CountryPairs(pq);
    if (!pairs.ok()) return fail(pairs.status());
    for (const CountryPairCount& p : *pairs) {
      keep(fmt::format("{{\"a\":{},\"b\":{},\"papers\":{}}}", JsonQuote(p.a), JsonQuote(p.b),
                       p.papers),
           fmt::format("{}-{}  {:>8}", p.a, p.b, p.papers));
    }
  } else if (what == "coauthors") {
    if (!id_arg(2, &id)) return Usage("coauthors needs an AUTHOR_ID", help.c_str());
    auto found = snap->CoAuthors(id);
    if (!found.ok()) return fail(found.status());
    for (const CoAuthorRecord& c : *found) {
      keep(ToJson(c), fmt::format("{:>9}  {:>5}  {}", c.author.id, c.papers, c.author.name));
    }
  } else if (what == "prolific") {
    auto found = snap->MostProlificAuthors(limit == 0 ? 1000000 : static_cast<size_t>(limit));
    if (!found.ok()) return fail(found.status());
    for (const AuthorCount& c : *found) {
      keep(ToJson(c), fmt::format("{:>9}  {:>5}  {}", c.author.id, c.papers, c.author.name));
    }
  } else if (what == "neighborhood") {
    int hops = 2;
    if (!int_option("hops", 2, &hops)) return Usage("--hops must be a count", help.c_str());
    if (!id_arg(2, &id)) return Usage("neighborhood needs an ID", help.c_str());
    auto cursor = snap->Neighborhood(graph, id, static_cast<uint32_t>(hops));
    if (!cursor.ok()) return fail(cursor.status());
    std::map<uint32_t, uint64_t> per_distance;
    for (auto& c = *cursor; c->Valid(); c->Next()) {
      ++per_distance[c->distance()];
      keep(fmt::format("{{\"id\":{},\"distance\":{}}}", c->id(), c->distance()),
           fmt::format("{:>9}  {}", c->id(), c->distance()));
    }
    if (!(*cursor)->status().ok()) return fail((*cursor)->status());
    if (!json) {
      for (const auto& [d, n] : per_distance)
        lines.push_back(fmt::format("at distance {}: {}", d, n));
    }
  } else if (what == "path") {
    uint64_t to = 0;
    if (!id_arg(2, &id) || !id_arg(3, &to))
      return Usage("path needs FROM and TO ids", help.c_str());
    int max_hops = 12;
    if (!int_option("max-hops", 12, &max_hops))
      return Usage("--max-hops must be a count", help.c_str());
    auto path = snap->ShortestPath(graph, id, to, static_cast<uint32_t>(max_hops));
    if (!path.ok()) return fail(path.status());
    for (const PathStep& s : *path) {
      keep(ToJson(s), s.via_paper == 0
                          ? fmt::format("{:>9}  {}", s.id, s.name)
                          : fmt::format("{:>9}  {}  (paper {})", s.id, s.name, s.via_paper));
    }
  } else {
    return Usage("unknown query \"" + what + "\"", help.c_str());
  }

  if (json) {
    std::string out =
        "{\"query\":" + JsonQuote(what) + ",\"count\":" + std::to_string(count) + ",\"results\":[";
    for (size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + items[i];
    fmt::print("{}]}}\n", out);
    return kExitOk;
  }
  for (const std::string& line : lines) fmt::print("{}\n", line);
  fmt::print(
      "{} result{}{}\n", count, count == 1 ? "" : "s",
      count > lines.size() ? fmt::format(" ({} shown; --limit 0 for all)", lines.size()) : "");
  return kExitOk;
}

// The allocator this process runs on, as `--version` names it: gperftools' tcmalloc when it is
// linked in (the COLLABGRAPH_TCMALLOC build option) or preloaded, else "system malloc" (the C
// library's, or a sanitizer's).
std::string AllocatorName() {
  using TcVersion = const char* (*)(int*, int*, const char**);
  void* symbol = dlsym(RTLD_DEFAULT, "tc_version");
  if (symbol == nullptr) return "system malloc";
  int major = 0;
  int minor = 0;
  const char* patch = nullptr;
  return std::string(reinterpret_cast<TcVersion>(symbol)(&major, &minor, &patch)) + " tcmalloc";
}

}  // namespace
}  // namespace collabgraph::cli

int main(int argc, char** argv) {
  namespace cli = collabgraph::cli;
  if (argc < 2) return std::fputs(cli::kMainHelp, stderr), cli::kExitUsage;
  const std::string command = argv[1];
  const std::vector<std::string> rest(argv + 2, argv + argc);
  if (command == "--help" || command == "-h" || command == "help") {
    return std::fputs(cli::kMainHelp, stdout), cli::kExitOk;
  }
  if (command == "--version") {
    return std::printf("collabgraph %s\nallocator: %s\n", collabgraph::LibraryVersion(),
                       cli::AllocatorName().c_str()),
           cli::kExitOk;
  }
  if (command == "ingest") return cli::Ingest(rest);
  if (command == "info") return cli::Info(rest);
  if (command == "stats") return cli::Stats(rest);
  if (command == "pairs") return cli::Pairs(rest);
  if (command == "report") return cli::Report(rest);
  if (command == "centrality") return cli::Centrality(rest);
  if (command == "check") return cli::Check(rest);
  if (command == "compact") return cli::Compact(rest);
  if (command == "generate") return cli::Generate(rest);
  if (command == "export") return cli::Export(rest);
  if (command == "query") return cli::Query(rest);
  std::fprintf(stderr, "collabgraph: unknown command \"%s\"\n\n%s", command.c_str(),
               cli::kMainHelp);
  return cli::kExitUsage;
}
