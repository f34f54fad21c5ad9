#!/usr/bin/env bash
# Ingest benchmark: CollabGraph against Kùzu and DuckDB, measured in the same run.
#
# usage: bench/ingest_bench.sh OUT_DIR [options]
#   OUT_DIR            where tables, databases, logs and results go (outside the repository,
#                      e.g. /work/bench-out/run); generated tables and the npm install of the
#                      peers are kept there and reused by later runs
# options:
#   --bin PATH         collabgraph binary (default: build-bench/tools/collabgraph/collabgraph,
#                      else build/tools/collabgraph/collabgraph)
#   --build            first (re)build build-bench as Release with scripts/build.sh
#   --data DIR         data directory holding paperlists/ (default: $COLLABGRAPH_DATA, else
#                      ../shared/data beside the repository)
#   --anchors DIR      peer scripts (default: ../shared/bench-anchors beside the repository)
#   --papers N         size of the generated data set (default 1000000; authors N/2,
#                      20000 institutions, 200 countries, mean team 4.2)
#   --only real|synth  run one data set only (default: both)
#   --repeat N         run every measurement N times and report the median by wall time
#                      (default 1)
#   --repeat-real N    the same for data set (a) only (default: --repeat); it is short
#
# Data sets:
#   real   every paper list DATA/paperlists/*/*.json.gz. CollabGraph ingests the gzip JSON
#          end to end; the peers load the CSV tables that make_graph.py derives from the same
#          files (the conversion is not timed: the peers start from ready-made CSV).
#   synth  synth.py tables (papers, authors, institutions, countries, authored, affiliated,
#          located_in). Everyone loads the same CSV; CollabGraph with
#          `ingest DB TABLES --format csv` (skipped, marked pending, when the binary has no
#          CSV reader).
# For each data set, sequentially: Kùzu load, DuckDB load (node bench_db.js load, as run.sh
# does), CollabGraph record-by-record ingest, bulk ingest, and a re-ingest into the complete
# bulk database (reads and parses everything, writes no paper: the parsing share).
# Every process runs under /usr/bin/time (wall seconds, max RSS); database size = apparent
# bytes of the database directory (du -sb) after the process exits.
#
# Output: a table on stdout (also OUT_DIR/table.txt), OUT_DIR/results.jsonl (one JSON object
# per reported measurement and per goal), OUT_DIR/raw.jsonl (every single run), logs in
# OUT_DIR/logs/. Needs: /usr/bin/time (Debian `time`), /usr/bin/python3 with python3-numpy
# (synth.py), nodejs and npm (peers, installed from npm into OUT_DIR/node on first use).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
PY=/usr/bin/python3

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

out= bin= do_build=0 data= anchors= papers=1000000 only= repeat=1 repeat_real=
while [ $# -gt 0 ]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --bin) bin=$2; shift 2 ;;
    --build) do_build=1; shift ;;
    --data) data=$2; shift 2 ;;
    --anchors) anchors=$2; shift 2 ;;
    --papers) papers=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --repeat-real) repeat_real=$2; shift 2 ;;
    -*) echo "unknown option $1" >&2; usage >&2; exit 1 ;;
    *) [ -z "$out" ] || { echo "one OUT_DIR only" >&2; exit 1; }; out=$1; shift ;;
  esac
done
[ -n "$out" ] || { usage >&2; exit 1; }
repeat_real=${repeat_real:-$repeat}
case $only in ''|real|synth) ;; *) echo "--only real|synth" >&2; exit 1 ;; esac
out=$(realpath -m "$out")
case $out/ in "$root"/*) echo "OUT_DIR must be outside the repository ($root)" >&2; exit 1 ;; esac
mkdir -p "$out"

anchors=${anchors:-$root/../shared/bench-anchors}
anchors=$(cd "$anchors" && pwd)
if [ -z "$data" ]; then
  source "$root/scripts/data-dir.sh"
  data=$(collabgraph_data_dir)
fi
data=$(cd "$data" && pwd)

# ---------------------------------------------------------------- prerequisites
missing=()
[ -x /usr/bin/time ] || missing+=(time)
[ -x "$PY" ] || missing+=(python3)
"$PY" -c 'import numpy' 2>/dev/null || missing+=(python3-numpy)
command -v node > /dev/null || missing+=(nodejs)
command -v npm > /dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    echo "== installing ${missing[*]} (apt-get)" >&2
    apt-get install -y "${missing[@]}" > "$out/apt.log" 2>&1 ||
      { apt-get update > /dev/null 2>&1; apt-get install -y "${missing[@]}" >> "$out/apt.log" 2>&1; }
  else
    echo "missing: ${missing[*]}; as root: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

if [ "$do_build" = 1 ]; then
  echo "== building $root/build-bench (Release)" >&2
  "$root/scripts/build.sh" "$root/build-bench" -DCMAKE_BUILD_TYPE=Release \
    -DCOLLABGRAPH_BUILD_TESTS=OFF > "$out/build.log" 2>&1 ||
    { tail -30 "$out/build.log" >&2; exit 2; }
fi
if [ -z "$bin" ]; then
  for b in "$root/build-bench/tools/collabgraph/collabgraph" "$root/build/tools/collabgraph/collabgraph"; do
    if [ -x "$b" ]; then bin=$b; break; fi
  done
fi
[ -n "$bin" ] && [ -x "$bin" ] || { echo "no collabgraph binary; build with --build or pass --bin" >&2; exit 1; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

# peers: Kùzu and DuckDB from npm, as run.sh installs them
mkdir -p "$out/node" "$out/logs"
cp "$anchors/node/package.json" "$anchors/node/bench_db.js" "$out/node/"
if [ ! -d "$out/node/node_modules/kuzu" ] || [ ! -d "$out/node/node_modules/@duckdb/node-api" ]; then
  echo "== npm install (Kùzu, DuckDB) into $out/node" >&2
  (cd "$out/node" && npm install --no-audit --no-fund > "$out/logs/npm.log" 2>&1) ||
    { tail -20 "$out/logs/npm.log" >&2; exit 2; }
fi

raw=$out/raw.jsonl
: > "$raw"

# Does this collabgraph read the CSV tables? Probe: ingest seven header-only tables.
csv_probe() {
  local d=$out/csv-probe t
  rm -rf "$d" "$d.db"; mkdir -p "$d"
  for t in papers:id,title,venue,year authors:id,name institutions:id,name countries:id,name \
           authored:author,paper,position affiliated:author,paper,institution located_in:institution,country; do
    printf '%s\n' "${t#*:}" > "$d/${t%%:*}.csv"
  done
  "$bin" ingest "$d.db" "$d" --format csv > "$out/logs/csv-probe.log" 2>&1
}
has_csv=0
if csv_probe; then has_csv=1; fi
rm -rf "$out/csv-probe" "$out/csv-probe.db"

# ---------------------------------------------------------------- run metadata
git_head=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
git_dirty=$([ -n "$(git -C "$root" --no-optional-locks status --porcelain --untracked-files=no 2>/dev/null)" ] && echo True || echo False)
allocator=$("$bin" --version 2>/dev/null | sed -n 's/^allocator: //p')
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$(dirname "$bin")/../../CMakeCache.txt" 2>/dev/null || true)
"$PY" - "$raw" <<PYEOF
import json, os, platform, sys, time
meta = {"record": "run", "date": time.strftime("%Y-%m-%d %H:%M:%S %z"), "host": platform.node(),
        "cpus": os.cpu_count(), "mem_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "kernel": platform.release(), "collabgraph_bin": "$bin", "build_type": "$build_type",
        "allocator": "$allocator",
        "git_head": "$git_head", "git_dirty": $git_dirty, "csv_reader": bool($has_csv),
        "data": "$data", "synth_papers": $papers, "repeat": {"real": $repeat_real, "synth": $repeat},
        "node": os.popen("node --version").read().strip(), "loadavg_start": os.getloadavg()}
try:
    pkg = json.load(open("$out/node/node_modules/kuzu/package.json"))["version"]
    meta["kuzu"] = pkg
    meta["duckdb"] = json.load(open("$out/node/node_modules/@duckdb/node-api/package.json"))["version"]
except Exception:
    pass
open(sys.argv[1], "a").write(json.dumps(meta) + "\n")
PYEOF

# ---------------------------------------------------------------- measuring
# timed LOG -- CMD...: runs CMD under /usr/bin/time, stdout+stderr to LOG; sets rc, and
# t_wall t_user t_sys t_rss (KiB)
timed() {
  local log=$1; shift; shift  # the "--"
  local tf=$log.time
  rc=0
  /usr/bin/time -f '%e %U %S %M' -o "$tf" "$@" > "$log" 2>&1 || rc=$?
  read -r t_wall t_user t_sys t_rss < <(tail -1 "$tf")
}

# record FIELDS_JSON: appends one raw line (FIELDS_JSON is a JSON object text)
record() { printf '%s\n' "$1" >> "$raw"; }

warm() { cat "$@" > /dev/null 2>&1 || true; }

run_peer() {  # DATASET TOOL TABLES RUN
  local ds=$1 tool=$2 tables=$3 run=$4
  local db=$out/$ds/$tool.db log=$out/logs/$ds-$tool-load-$run.log
  rm -rf "$db" "$db".*
  echo "   $tool load (run $run)" >&2
  timed "$log" -- node "$out/node/bench_db.js" load "$tool" "$tables" "$db"
  local line
  line=$(grep -m1 '"op":"bulk_load"' "$log" || echo '{}')
  "$PY" - "$raw" "$line" "$tables/stats.json" <<PYEOF
import json, sys
inner = json.loads(sys.argv[2]); st = json.load(open(sys.argv[3]))
rec = {"record": "raw", "dataset": "$ds", "system": "$tool", "path": "csv_load", "run": $run,
       "rc": $rc, "wall_s": $t_wall, "user_s": $t_user, "sys_s": $t_sys, "maxrss_kib": $t_rss,
       "inner_load_s": (inner.get("secs") or [None])[0], "per_table_s": inner.get("per_table"),
       "db_bytes": inner.get("db_bytes"), "papers": st.get("papers"),
       "authorships": st.get("authored"), "log": "$log"}
open(sys.argv[1], "a").write(json.dumps(rec) + "\n")
PYEOF
}

run_ours() {  # DATASET PATH RUN DB KEEP_DB -- INGEST_ARGS...
  local ds=$1 path=$2 run=$3 db=$4 keep=$5; shift 6
  local log=$out/logs/$ds-collabgraph-$path-$run.log
  [ "$keep" = keep ] || rm -rf "$db" "$db".creating
  echo "   collabgraph $path (run $run)" >&2
  timed "$log" -- "$bin" ingest "$@"
  local info='{}' bytes=0
  if [ -d "$db" ]; then
    info=$("$bin" info --json "$db" 2> /dev/null || echo '{}')
    bytes=$(du -sb "$db" | cut -f1)
  fi
  "$PY" - "$raw" "$info" <<PYEOF
import json, sys
info = json.loads(sys.argv[2] or "{}")
rec = {"record": "raw", "dataset": "$ds", "system": "collabgraph", "path": "$path", "run": $run,
       "rc": $rc, "wall_s": $t_wall, "user_s": $t_user, "sys_s": $t_sys, "maxrss_kib": $t_rss,
       "db_bytes": $bytes, "papers": info.get("nodes", {}).get("Paper"),
       "authorships": info.get("edges", {}).get("AUTHORED"), "log": "$log"}
open(sys.argv[1], "a").write(json.dumps(rec) + "\n")
PYEOF
}

run_dataset() {  # DATASET TABLES INPUT_ARGS...
  local ds=$1 tables=$2; shift 2
  local inputs=("$@")
  local r n=$repeat
  [ "$ds" = real ] && n=$repeat_real
  echo "== $ds" >&2
  # page cache: the tables and the peers' native libraries (the collabgraph binary is small)
  warm "$tables"/*.csv $(find "$out/node/node_modules" -name '*.node' -o -name '*.so*' 2>/dev/null) "$bin"
  for r in $(seq 1 "$n"); do
    run_peer "$ds" kuzu "$tables" "$r"
    run_peer "$ds" duckdb "$tables" "$r"
  done
  if [ "$ds" = synth ] && [ "$has_csv" = 0 ]; then
    "$PY" -c 'import json,sys; print(json.dumps({"record":"raw","dataset":"synth","system":"collabgraph","path":"pending",
      "note":"no CSV reader: " + open(sys.argv[1]).read().strip()[-300:]}))' "$out/logs/csv-probe.log" >> "$raw"
    return
  fi
  local rec_db=$out/$ds/collabgraph-record.db bulk_db=$out/$ds/collabgraph-bulk.db
  for r in $(seq 1 "$n"); do
    [ "$ds" = real ] && warm "${inputs[@]}"
    run_ours "$ds" record "$r" "$rec_db" fresh -- "$rec_db" "${inputs[@]}"
    run_ours "$ds" bulk "$r" "$bulk_db" fresh -- --bulk "$bulk_db" "${inputs[@]}"
    run_ours "$ds" reingest "$r" "$bulk_db" keep -- --bulk "$bulk_db" "${inputs[@]}"
  done
}

if [ "$only" != synth ]; then
  mkdir -p "$out/real"
  if [ ! -f "$out/real/tables/stats.json" ]; then
    echo "== make_graph.py: real tables" >&2
    "$PY" "$anchors/make_graph.py" "$out/real/tables" --data "$data/paperlists" > "$out/logs/make_graph.log" 2>&1
  fi
  shopt -s nullglob
  real_inputs=("$data"/paperlists/*/*.json.gz)
  shopt -u nullglob
  [ ${#real_inputs[@]} -gt 0 ] || { echo "no $data/paperlists/*/*.json.gz" >&2; exit 1; }
  "$PY" - "$raw" "${real_inputs[@]}" <<'PYEOF'
import json, os, sys
files = sys.argv[2:]
open(sys.argv[1], "a").write(json.dumps({"record": "input", "dataset": "real", "files": len(files),
    "bytes": sum(os.path.getsize(f) for f in files)}) + "\n")
PYEOF
  run_dataset real "$out/real/tables" "${real_inputs[@]}"
fi

if [ "$only" != real ]; then
  mkdir -p "$out/synth"
  stats=$out/synth/tables/stats.json
  if [ ! -f "$stats" ] || ! "$PY" -c "import json,sys; sys.exit(json.load(open('$stats'))['papers'] != $papers)"; then
    echo "== synth.py: $papers papers" >&2
    rm -rf "$out/synth/tables"
    "$PY" "$anchors/synth.py" "$out/synth/tables" --papers "$papers" --authors $((papers / 2)) \
      --institutions 20000 --countries 200 --mean-team 4.2 > "$out/logs/synth.log" 2>&1
  fi
  "$PY" - "$raw" "$out/synth/tables" <<'PYEOF'
import json, os, sys
d = sys.argv[2]
open(sys.argv[1], "a").write(json.dumps({"record": "input", "dataset": "synth", "files": 7,
    "bytes": sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d) if f.endswith(".csv"))}) + "\n")
PYEOF
  run_dataset synth "$out/synth/tables" "$out/synth/tables" --format csv
fi

"$PY" -c 'import json, os, sys, time
open(sys.argv[1], "a").write(json.dumps({"record": "end", "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
                                         "loadavg_end": os.getloadavg()}) + "\n")' "$raw"
"$PY" "$here/ingest_report.py" "$raw" "$out/results.jsonl" | tee "$out/table.txt"
echo
echo "results: $out/results.jsonl  table: $out/table.txt  every run: $raw"
