#!/usr/bin/env bash
# Graph benchmark: exact betweenness of the author and institution co-authorship graphs of all
# the real data, CollabGraph against igraph and graph-tool measured in the same run.
#
# usage: bench/graph_bench.sh OUT_DIR [options]
#   OUT_DIR            databases, CSV tables, logs and results (outside the repository)
# options:
#   --bin PATH         collabgraph binary (default: build-bench/tools/collabgraph/collabgraph,
#                      else build/tools/collabgraph/collabgraph)
#   --data DIR         data directory holding paperlists/ (default: $COLLABGRAPH_DATA, else
#                      ../shared/data beside the repository)
#   --anchors DIR      peer scripts (default: ../shared/bench-anchors beside the repository)
#   --threads N        CollabGraph worker threads (default 0: all cores)
#   --repeat N         run every CollabGraph measurement N times, report the median by wall
#                      time (default 1)
#   --no-peers         do not run igraph and graph-tool
#   --peer-author      also time igraph's exact betweenness of the author graph
#                      (exact_real.py; about 23 minutes)
#
# Rows, each one process under /usr/bin/time (wall, user+system CPU, peak RSS):
#   CollabGraph `centrality DB --graph G --metric degree`: open, load the table, build the
#     projection, degree (the cost around betweenness);
#   CollabGraph `centrality DB --graph G --metric betweenness`: the same plus exact
#     betweenness (closed twins, leaf sources, all threads);
#   igraph / graph-tool: graph_bench.py of the anchors on make_graph.py's CSV tables of the
#     same files (author identity = exact name, institution = name + country, so their graphs
#     have slightly more vertices than CollabGraph's normalised-name identities); their time
#     is the betweenness call inside the process, without reading and building the graph.
# Needs /usr/bin/time, /usr/bin/python3 with python3-numpy, python3-igraph and
# python3-graph-tool for the peers (the rows are marked missing without them).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
PY=/usr/bin/python3

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

out= bin= data= anchors= threads=0 repeat=1 peers=1 peer_author=0
while [ $# -gt 0 ]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --bin) bin=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --anchors) anchors=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --no-peers) peers=0; shift ;;
    --peer-author) peer_author=1; shift ;;
    -*) echo "unknown option $1" >&2; usage >&2; exit 1 ;;
    *) [ -z "$out" ] || { usage >&2; exit 1; }; out=$1; shift ;;
  esac
done
[ -n "$out" ] || { usage >&2; exit 1; }
data=${data:-${COLLABGRAPH_DATA:-$root/../shared/data}}
anchors=${anchors:-$root/../shared/bench-anchors}
if [ -z "$bin" ]; then
  bin=$root/build-bench/tools/collabgraph/collabgraph
  [ -x "$bin" ] || bin=$root/build/tools/collabgraph/collabgraph
fi
[ -x "$bin" ] || { echo "no collabgraph binary at $bin (build first)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package time)" >&2; exit 1; }
mkdir -p "$out/logs"
out=$(cd "$out" && pwd)
raw=$out/raw.jsonl
: > "$raw"
db=$out/all.db
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# measure NAME GRAPH CMD...: one row of raw.jsonl per run.
measure() {
  local name=$1 graph=$2; shift 2
  local i
  for i in $(seq "$repeat"); do
    /usr/bin/time -f '%e %U %S %M' -o "$out/logs/$name.time" "$@" > "$out/logs/$name.out" \
      2> "$out/logs/$name.err"
    read -r wall user sys rss < <(tail -1 "$out/logs/$name.time")
    printf '{"name":"%s","graph":"%s","wall":%s,"cpu":%s,"maxrss_kb":%s,"output":"%s"}\n' \
      "$name" "$graph" "$wall" "$(awk "BEGIN{print $user + $sys}")" "$rss" "$out/logs/$name.out" \
      >> "$raw"
  done
}

echo "ingest: $bin ingest --bulk $db ($data/paperlists/*/*.json.gz)" >&2
rm -rf "$db"
"$bin" ingest --bulk "$db" "$data"/paperlists/*/*.json.gz > "$out/logs/ingest.out"

for graph in institution author; do
  echo "collabgraph: $graph graph" >&2
  measure "collabgraph-$graph-degree" "$graph" \
    "$bin" centrality "$db" --graph "$graph" --metric degree --top 0 --json
  measure "collabgraph-$graph-betweenness" "$graph" \
    "$bin" centrality "$db" --graph "$graph" --metric betweenness --top 0 --json \
    --threads "$threads"
  for metric in pagerank core components; do
    measure "collabgraph-$graph-$metric" "$graph" \
      "$bin" centrality "$db" --graph "$graph" --metric "$metric" --top 0 --json
  done
done

peer_file=$out/peers.jsonl
: > "$peer_file"
if [ "$peers" = 1 ]; then
  if [ ! -f "$out/tables/authored.csv" ]; then
    $PY "$anchors/make_graph.py" "$out/tables" --data "$data/paperlists" > "$out/logs/make_graph.out"
  fi
  for tool in igraph graph-tool; do
    mod=${tool/-/_}
    if ! $PY -c "import $mod" 2> /dev/null; then
      echo "{\"tool\":\"$tool\",\"missing\":true}" >> "$peer_file"
      continue
    fi
    echo "peer: $tool (graph_bench.py --small-graphs)" >&2
    $PY "$anchors/graph_bench.py" "$tool" "$out/tables" real --small-graphs --repeats 1 \
      --skip closeness --exact-limit 240 \
      >> "$peer_file" 2> "$out/logs/$tool.err" || echo "{\"tool\":\"$tool\",\"failed\":true}" >> "$peer_file"
  done
  if [ "$peer_author" = 1 ]; then
    echo "peer: igraph exact betweenness of the author graph (exact_real.py)" >&2
    $PY "$anchors/exact_real.py" betweenness "$out/tables" real igraph >> "$peer_file"
  fi
fi
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

$PY - "$raw" "$peer_file" "$out" "$bin" "$load_start" "$load_end" "$threads" "$root" <<'EOF' | tee "$out/table.txt"
import json, os, statistics, subprocess, sys, datetime
raw, peers, out, binary, load_start, load_end, threads, root = sys.argv[1:9]
runs = [json.loads(l) for l in open(raw)]
peer = [json.loads(l) for l in open(peers) if l.strip()]
try:
    commit = subprocess.run(["git", "-C", root, "describe", "--always", "--dirty"],
                            capture_output=True, text=True).stdout.strip()
except OSError:
    commit = "?"
def median(name):
    rs = sorted((r for r in runs if r["name"] == name), key=lambda r: r["wall"])
    return rs[len(rs) // 2] if rs else None
def peer_secs(tool, graph, op="betweenness_exact"):
    built = next((p for p in peer if p.get("tool") == tool and p.get("graph") == graph
                  and p.get("op") == "build_graph"), {})
    for p in peer:
        if p.get("tool") == tool and p.get("graph") == graph and p.get("op") == op and p.get("secs"):
            return min(p["secs"]), dict(p, V=p.get("V", built.get("V")), E=p.get("E", built.get("E")))
    return None, None
def size(graph):
    r = median(f"collabgraph-{graph}-betweenness")
    d = json.load(open(r["output"]))
    return d["nodes"], d["edges"], d["rules"].get("threads", "?")
print(f"CollabGraph graph benchmark  {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M:%S %z}  "
      f"{os.cpu_count()} cores; binary {binary} (git {commit})")
print(f"load average (1/5/15 min) at start {load_start}, at end {load_end}")
print()
hdr = f"{'system':12s} {'graph':12s} {'what':44s} {'vertices':>9s} {'edges':>9s} {'wall s':>8s} {'CPU s':>8s} {'peak RSS MiB':>12s} {'vs igraph':>9s} {'vs graph-tool':>13s}"
print(hdr); print("-" * len(hdr))
results = []
for graph in ("institution", "author"):
    n, m, th = size(graph)
    ig, _ = peer_secs("igraph", graph)
    gt, gtrow = peer_secs("graph-tool", graph)
    for what, name in (("load + projection + degree", f"collabgraph-{graph}-degree"),
                       ("load + projection + exact betweenness", f"collabgraph-{graph}-betweenness")):
        r = median(name)
        ratio_ig = f"{r['wall'] / ig:.2f}" if ig and "betweenness" in name else ""
        ratio_gt = f"{r['wall'] / gt:.2f}" if gt and "betweenness" in name else ""
        print(f"{'CollabGraph':12s} {graph:12s} {what:44s} {n:9,d} {m:9,d} {r['wall']:8.2f} {r['cpu']:8.2f} "
              f"{r['maxrss_kb'] / 1024:12.0f} {ratio_ig:>9s} {ratio_gt:>13s}")
        results.append(dict(record="result", system="collabgraph", graph=graph, what=what,
                            nodes=n, edges=m, threads=th, wall=r["wall"], cpu=r["cpu"],
                            maxrss_kb=r["maxrss_kb"],
                            walls=[x["wall"] for x in runs if x["name"] == name]))
    for tool, secs in (("igraph", ig), ("graph-tool", gt)):
        _, row = peer_secs(tool, graph)
        skipped = next((p for p in peer if p.get("tool") == tool and p.get("graph") == graph
                        and p.get("op") == "betweenness_exact"), None)
        if secs is not None:
            print(f"{tool:12s} {graph:12s} {'exact betweenness (in process)':44s} {row.get('V', 0) or 0:9,d} "
                  f"{row.get('E', 0) or 0:9,d} {secs:8.2f} {'':>8s} {row['maxrss_kb'] / 1024:12.0f}")
        elif skipped is not None:
            print(f"{tool:12s} {graph:12s} {'exact betweenness: ' + (skipped.get('notes') or '')[:60]}")
        elif any(p.get("tool") == tool and (p.get("missing") or p.get("failed")) for p in peer):
            print(f"{tool:12s} {graph:12s} not installed or failed")
        results.append(dict(record="peer", system=tool, graph=graph, secs=secs))
print()
print("CollabGraph rows are whole processes (open, load, project, compute, print JSON); the")
print("peers' rows are their betweenness call alone. 'vs' = CollabGraph wall / peer seconds.")
print()
print("The algorithm alone, on a graph already in memory (CollabGraph: the 'seconds.metric' its")
print("JSON reports, the median run; peers: their call, the fastest of their repeats):")
hdr2 = f"{'graph':12s} {'metric':14s} {'CollabGraph s':>13s} {'igraph s':>9s} {'graph-tool s':>12s} {'vs igraph':>9s} {'vs graph-tool':>13s}"
print(hdr2); print("-" * len(hdr2))
for graph in ("institution", "author"):
    for metric, op in (("betweenness", "betweenness_exact"), ("pagerank", "pagerank"),
                       ("core", "kcore"), ("components", "connected_components")):
        r = median(f"collabgraph-{graph}-{metric}")
        if r is None:
            continue
        ours = json.load(open(r["output"]))["seconds"]["metric"]
        ig, _ = peer_secs("igraph", graph, op)
        gt, _ = peer_secs("graph-tool", graph, op)
        fmt = lambda x: f"{x:.4f}" if x is not None else "-"
        ratio = lambda x: f"{ours / x:.2f}" if x else "-"
        print(f"{graph:12s} {metric:14s} {ours:13.4f} {fmt(ig):>9s} {fmt(gt):>12s} {ratio(ig):>9s} {ratio(gt):>13s}")
        results.append(dict(record="algorithm", graph=graph, metric=metric, collabgraph=ours,
                            igraph=ig, graph_tool=gt))
print("('vs' below 1.00: CollabGraph faster. PageRank: ours iterates to an L1 change of 1e-12,")
print("igraph's PRPACK solves exactly, graph-tool stops at 1e-6.)")
with open(os.path.join(out, "results.jsonl"), "w") as f:
    f.write(json.dumps(dict(record="run", binary=binary, commit=commit, threads=threads,
                            load_start=load_start, load_end=load_end)) + "\n")
    for r in results:
        f.write(json.dumps(r) + "\n")
EOF
