#!/usr/bin/env bash
# Query benchmark: point lookups and 2-hop traversals (median and p99), and the three questions
# of ../shared/bench-anchors (US-China papers per year, top-20 country pairs, 2-hop
# neighbourhood of the most prolific author) timed in CollabGraph, DuckDB and Kùzu on the same
# data in the same run.
#
# usage: bench/query_bench.sh RUN_DIR [options]
#   RUN_DIR          the OUT_DIR of bench/ingest_bench.sh: it holds, per data set (real, synth),
#                    tables/ (the peers' CSV), duckdb.db, kuzu.db, collabgraph-bulk.db, and
#                    node/ (the peers from npm). Run ingest_bench.sh first.
# options:
#   --bench PATH     query_bench binary (default: build-bench/bench/query_bench, a Release build)
#   --only real|synth   one data set only (default: both)
#   --repeat N       repetitions of each question (default 5; the median is reported)
#   --peers kuzu,duckdb  which peers to run (default both; Kùzu's 2-hop takes ~12 s a run)
#   --cli PATH       collabgraph binary for `compact` (default: build-bench/tools/collabgraph/collabgraph)
#
# Every tool answers on an open database, repeated, as bench_db.js times the peers: the first
# repetition reads from disk into the caches, the median is of warm runs. CollabGraph takes a
# fresh snapshot per repetition and recomputes from storage (no result cache). The answers are
# printed next to the times (check columns) so that they can be compared.
# CollabGraph is timed twice: on the database as `ingest --bulk` left it, and on a copy after
# `collabgraph compact` (one sorted run per column family; its time is printed).
# Output: a table on stdout and RUN_DIR/query-results.jsonl.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

run= bench= cli= only= repeat=5 peers=kuzu,duckdb
while [ $# -gt 0 ]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --bench) bench=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --peers) peers=$2; shift 2 ;;
    --cli) cli=$2; shift 2 ;;
    -*) echo "unknown option $1" >&2; usage >&2; exit 1 ;;
    *) run=$1; shift ;;
  esac
done
[ -n "$run" ] || { usage >&2; exit 1; }
bench=${bench:-$root/build-bench/bench/query_bench}
cli=${cli:-$root/build-bench/tools/collabgraph/collabgraph}
[ -x "$cli" ] || { echo "no $cli: build with scripts/build.sh build-bench -DCMAKE_BUILD_TYPE=Release" >&2; exit 2; }
[ -x "$bench" ] || { echo "no $bench: build with scripts/build.sh build-bench -DCMAKE_BUILD_TYPE=Release" >&2; exit 2; }
[ -f "$run/node/bench_db.js" ] || { echo "$run/node/bench_db.js missing: run bench/ingest_bench.sh $run first" >&2; exit 2; }

results=$run/query-results.jsonl
: > "$results"
for ds in real synth; do
  [ -z "$only" ] || [ "$only" = "$ds" ] || continue
  dir=$run/$ds
  [ -d "$dir/collabgraph-bulk.db" ] || { echo "skip $ds: no $dir/collabgraph-bulk.db" >&2; continue; }
  echo "== $ds: collabgraph" >&2
  "$bench" "$dir/collabgraph-bulk.db" --repeat "$repeat" |
    sed "s/^{/{\"dataset\":\"$ds\",\"tool\":\"collabgraph\",/" >> "$results"
  echo "== $ds: collabgraph compact" >&2
  rm -rf "$dir/collabgraph-compact.db"
  cp -r "$dir/collabgraph-bulk.db" "$dir/collabgraph-compact.db"
  "$cli" compact "$dir/collabgraph-compact.db" --json |
    sed "s/^{/{\"dataset\":\"$ds\",\"tool\":\"collabgraph-compact\",\"op\":\"compact\",/" >> "$results"
  # The copy and the compaction leave a few hundred MB of dirty pages: write them back now, or
  # the kernel's writeback takes a core while the questions are timed (the two-thread Q2 then
  # ran at its one-core speed).
  sync
  "$bench" "$dir/collabgraph-compact.db" --repeat "$repeat" |
    sed "s/^{/{\"dataset\":\"$ds\",\"tool\":\"collabgraph-compact\",/" >> "$results"
  for tool in ${peers//,/ }; do
    [ -e "$dir/$tool.db" ] || { echo "skip $ds $tool: no $dir/$tool.db" >&2; continue; }
    echo "== $ds: $tool" >&2
    node "$run/node/bench_db.js" query "$tool" "$dir/tables" "$dir/$tool.db" "$repeat" |
      sed "s/^{/{\"dataset\":\"$ds\",/" >> "$results"
  done
done

/usr/bin/python3 - "$results" <<'PYEOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def med(r):
    return r["median"] if "median" in r else statistics.median(r["secs"])
by = {}
for r in rows:
    by[(r["dataset"], r["tool"], r["op"])] = r
print("\nLatency (CollabGraph, on an open database; milliseconds; as ingested / compacted)")
print(f"{'data':<6} {'operation':<24} {'n':>6} {'median':>9} {'p99':>9} {'median':>9} {'p99':>9}")
for (ds, tool, op), r in sorted(by.items()):
    if tool == "collabgraph" and "p99" in r:
        c = by.get((ds, "collabgraph-compact", op))
        cm = f"{c['median']*1e3:>9.3f} {c['p99']*1e3:>9.3f}" if c else ""
        print(f"{ds:<6} {op:<24} {r['n']:>6} {r['median']*1e3:>9.3f} {r['p99']*1e3:>9.3f} {cm}")
for ds in ("real", "synth"):
    c = by.get((ds, "collabgraph-compact", "compact"))
    if c:
        print(f"compact {ds}: {c['seconds']:.2f} s, sorted runs {c['sorted_runs_before']} -> "
              f"{c['sorted_runs_after']}, {c['bytes_before']/2**20:.1f} -> {c['bytes_after']/2**20:.1f} MiB")
print("\nThe three questions (median seconds of the repetitions; ratio = CollabGraph / DuckDB,"
      " as ingested and compacted)")
print(f"{'data':<6} {'question':<24} {'collabgraph':>12} {'compacted':>10} {'duckdb':>9} {'kuzu':>9}"
      f" {'ratio':>7} {'ratio':>7}")
for ds in ("real", "synth"):
    for op in ("q1_us_cn_per_year", "q2_top20_country_pairs", "q3_2hop_top_author"):
        cg, cc, dk, kz = (by.get((ds, t, op))
                          for t in ("collabgraph", "collabgraph-compact", "duckdb", "kuzu"))
        if cg is None:
            continue
        f = lambda r: f"{med(r):.3f}" if r else "-"
        ratio = lambda r: f"{med(r) / med(dk):.2f}x" if dk and r else "-"
        print(f"{ds:<6} {op:<24} {f(cg):>12} {f(cc):>10} {f(dk):>9} {f(kz):>9} {ratio(cg):>7}"
              f" {ratio(cc):>7}")
print("\nAnswers (to compare): ")
for ds in ("real", "synth"):
    for op in ("q1_us_cn_per_year", "q2_top20_country_pairs", "q3_2hop_top_author"):
        for t in ("collabgraph", "collabgraph-compact", "duckdb"):
            r = by.get((ds, t, op))
            if r:
                print(f"  {ds} {op} {t}: rows={r.get('rows')} {str(r.get('check'))[:160]}")
PYEOF
