#!/usr/bin/env bash
# Soak runs (docs/reliability.md, "Soak"): three long runs that the CI suite runs only briefly.
#   crash        the SIGKILL loop of tests/integration/crash_test.py: KILLS kills of an ingest of
#                the NeurIPS paper lists, `check` after each, then resume == clean ingest
#   concurrency  one writer and two snapshot readers (the hidden "[soak]" unit test) for MINUTES
#                minutes, rounds of the NeurIPS papers into fresh databases; 0 violations
#   memory       `collabgraph generate` of PAPERS papers, then `ingest --bulk` of them under
#                /usr/bin/time -v; peak RSS must stay under LIMIT MiB
# Each run fails the script on a violation. The figures, with the commit id, replace the
# "Soak figures" section of docs/reliability.md (or --out FILE).
#
# usage: scripts/soak.sh [--kills N] [--minutes M] [--papers N] [--limit-mib L] [--parallel]
#                        [--only crash|concurrency|memory]... [--build DIR] [--work DIR]
#                        [--out FILE] [--seed S]
#   defaults: --kills 1000 --minutes 30 --papers 10000000 --limit-mib 2048, sequential,
#   all three runs, build/ of this checkout (built when missing), a temporary work directory.
#   --parallel runs the three at once (shorter wall time; each run's figures are its own).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/data-dir.sh"

kills=1000 minutes=30 papers=10000000 limit_mib=2048 parallel=0 build=$root/build
work="" out=$root/docs/reliability.md seed=$RANDOM only=()
while [ $# -gt 0 ]; do
  case $1 in
    --kills) kills=$2; shift 2 ;;
    --minutes) minutes=$2; shift 2 ;;
    --papers) papers=$2; shift 2 ;;
    --limit-mib) limit_mib=$2; shift 2 ;;
    --parallel) parallel=1; shift ;;
    --only) only+=("$2"); shift 2 ;;
    --build) build=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    -h | --help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "soak.sh: unknown argument $1" >&2; exit 1 ;;
  esac
done
[ ${#only[@]} -gt 0 ] || only=(crash concurrency memory)
for part in "${only[@]}"; do
  case $part in crash | concurrency | memory) ;; *) echo "soak.sh: unknown run $part" >&2; exit 1 ;; esac
done
data=$(collabgraph_data_dir)

if [ ! -x "$build/tools/collabgraph/collabgraph" ] || [ ! -x "$build/tests/collabgraph_unit_tests" ]; then
  [ -f "$build/build.ninja" ] || "$root/scripts/build.sh" "$build"
  cmake --build "$build" --target collabgraph_cli collabgraph_unit_tests
fi
if [ -z "$work" ]; then
  work=$(mktemp -d /tmp/collabgraph-soak.XXXXXX)
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work/results"
# Private copies: a rebuild during the soak cannot disturb them.
cp "$build/tools/collabgraph/collabgraph" "$work/collabgraph"
cp "$build/tests/collabgraph_unit_tests" "$work/unit_tests"
commit=$(git -C "$root" rev-parse --short=12 HEAD)
if ! git -C "$root" diff --quiet HEAD -- lib include tools tests 2>/dev/null; then
  commit="$commit (with uncommitted changes)"
fi

# Prints "wall_seconds peak_rss_kib" from a /usr/bin/time -v log.
time_figures() {
  awk -F': ' '/Elapsed \(wall clock\)/ {
                 n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; wall = s }
              /Maximum resident set size/ { rss = $2 }
              END { printf "%.1f %d\n", wall, rss }' "$1"
}

run_crash() {
  local log=$work/results/crash.log start=$SECONDS
  echo "soak: crash loop, $kills kills (seed $seed)"
  mkdir -p "$work/crash"
  if /usr/bin/python3 "$root/tests/integration/crash_test.py" "$work/collabgraph" "$data" \
    "$work/crash" "$kills" "$seed" > "$log" 2>&1; then status=pass; else status=FAIL; fi
  local line
  line=$(grep '^kills ' "$log" | tail -1 || true)
  printf '%s|%s|%s|%s\n' "$status" "$((SECONDS - start))" "$seed" "${line:-$(tail -3 "$log")}" \
    > "$work/results/crash"
  rm -rf "$work/crash"
  [ $status = pass ]
}

run_concurrency() {
  local log=$work/results/concurrency.log start=$SECONDS
  echo "soak: concurrent readers and writer, $minutes minutes"
  if COLLABGRAPH_SOAK_SECONDS=$((minutes * 60)) TMPDIR=$work \
    "$work/unit_tests" "[soak]" > "$log" 2>&1; then status=pass; else status=FAIL; fi
  local line
  line=$(grep '^soak-concurrency:' "$log" | tail -1 || true)
  printf '%s|%s|%s\n' "$status" "$((SECONDS - start))" "${line:-$(tail -3 "$log")}" \
    > "$work/results/concurrency"
  [ $status = pass ]
}

run_memory() {
  local dir=$work/memory status=pass
  echo "soak: memory, $papers generated papers, ingest --bulk"
  rm -rf "$dir" && mkdir -p "$dir"
  /usr/bin/time -v "$work/collabgraph" generate "$dir/csv" --papers "$papers" \
    > "$dir/generate.out" 2> "$dir/generate.time" || status=FAIL
  /usr/bin/time -v "$work/collabgraph" ingest --bulk "$dir/db" "$dir/csv" \
    > "$dir/ingest.out" 2> "$dir/ingest.time" || status=FAIL
  local got
  got=$("$work/collabgraph" info "$dir/db" --json 2> /dev/null |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["nodes"]["Paper"])' ||
    echo "?")
  read -r gen_wall gen_rss < <(time_figures "$dir/generate.time")
  read -r ing_wall ing_rss < <(time_figures "$dir/ingest.time")
  local db_mib csv_mib
  db_mib=$(du -sm "$dir/db" 2> /dev/null | cut -f1 || echo "?")
  csv_mib=$(du -sm "$dir/csv" 2> /dev/null | cut -f1 || echo "?")
  [ "$got" = "$papers" ] || status=FAIL
  [ "$((ing_rss / 1024))" -lt "$limit_mib" ] || status=FAIL
  printf '%s|%s|%s|%s|%s|%s|%s|%s|%s\n' "$status" "$papers" "$got" "$gen_wall" \
    "$((gen_rss / 1024))" "$ing_wall" "$((ing_rss / 1024))" "$db_mib" "$csv_mib" \
    > "$work/results/memory"
  [ $status = pass ] || tail -n5 "$dir/ingest.time" "$dir/ingest.out" >&2 || :
  rm -rf "$dir"
  [ $status = pass ]
}

start=$SECONDS
failed=0
if [ $parallel = 1 ]; then
  pids=()
  for part in "${only[@]}"; do
    "run_$part" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
else
  for part in "${only[@]}"; do "run_$part" || failed=1; done
fi
total=$((SECONDS - start))

mode=sequential
[ $parallel = 1 ] && mode="parallel (the three runs at once)"
{
  echo "Run of $(date -u '+%Y-%m-%d %H:%M UTC') at commit \`$commit\`, $(nproc) cores" \
    "(shared with other jobs), $mode, $((total / 60)) min in all. Command:"
  echo
  echo "    scripts/soak.sh --kills $kills --minutes $minutes --papers $papers" \
    "--limit-mib $limit_mib$([ $parallel = 1 ] && echo ' --parallel')"
  echo
  echo "| run | result | figures |"
  echo "|---|---|---|"
  if [ -f "$work/results/crash" ]; then
    IFS='|' read -r st secs sd line < "$work/results/crash"
    echo "| crash loop ($kills SIGKILLs, seed $sd) | $st | $line; $((secs / 60)) min |"
  fi
  if [ -f "$work/results/concurrency" ]; then
    IFS='|' read -r st secs line < "$work/results/concurrency"
    echo "| concurrent readers + writer ($minutes min) | $st | ${line#soak-concurrency: } |"
  fi
  if [ -f "$work/results/memory" ]; then
    IFS='|' read -r st n got gw gr iw ir dbm csvm < "$work/results/memory"
    echo "| memory ($n generated papers, ingest --bulk) | $st | peak RSS $ir MiB" \
      "(limit $limit_mib MiB), ingest $iw s wall, $got papers in the database," \
      "database $dbm MiB from $csvm MiB of CSV; generate: $gw s, peak RSS $gr MiB |"
  fi
} > "$work/results/section.md"
cat "$work/results/section.md"

# Replace the text between the markers of the "Soak figures" section.
/usr/bin/python3 - "$out" "$work/results/section.md" << 'PY'
import sys
path, section = sys.argv[1], open(sys.argv[2]).read()
begin, end = "<!-- soak:begin -->", "<!-- soak:end -->"
try:
    text = open(path).read()
except FileNotFoundError:
    text = "# Reliability\n\n## Soak figures\n\n" + begin + "\n" + end + "\n"
if begin not in text:
    text += "\n## Soak figures\n\n" + begin + "\n" + end + "\n"
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
open(path, "w").write(head + begin + "\n" + section + end + tail)
PY
echo "soak: figures written to $out"
exit $failed
