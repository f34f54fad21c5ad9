#!/usr/bin/env bash
# Fuzzes one target (or all) for SECONDS seconds each with libFuzzer (docs/reliability.md,
# "Fuzzing"). Builds the clang fuzz build (ASan + UBSan + libFuzzer, no RocksDB) in BUILD_DIR,
# writes seeds from the real data (scripts/fuzz-seeds.py), replays the committed corpus
# tests/fuzz/corpus/TARGET (findings and minimised seeds) and then fuzzes from seeds + corpus.
# Exits non-zero on any crash, leak, timeout or sanitizer report; the input that caused it is
# saved as BUILD_DIR/findings/TARGET/crash-* (add it to the committed corpus and write a unit
# test for it). New interesting inputs go to BUILD_DIR/corpus/TARGET, not into the repository.
#
# usage: scripts/fuzz.sh TARGET|all SECONDS [BUILD_DIR]
#   TARGET: paperlists openalex csv key_codec value_codec
#   all runs the targets $FUZZ_JOBS at a time (default: the number of cores).
#   Extra libFuzzer flags may be given in $FUZZ_FLAGS (e.g. "-jobs=4" or "-only_ascii=1").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/data-dir.sh"
targets_all=(paperlists openalex csv key_codec value_codec)
[ $# -ge 2 ] || { sed -n '2,15p' "$0"; exit 1; }
target=$1 seconds=$2 build=${3:-$root/build-fuzz}
if [ "$target" = all ]; then
  targets=("${targets_all[@]}")
elif [[ " ${targets_all[*]} " == *" $target "* ]]; then
  targets=("$target")
else
  echo "fuzz.sh: unknown target '$target' (one of: ${targets_all[*]} all)" >&2
  exit 1
fi

if [ ! -f "$build/build.ninja" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja -DCOLLABGRAPH_FUZZ=ON \
    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
    -DCOLLABGRAPH_SANITIZE=address,undefined -DCOLLABGRAPH_BUILD_TESTS=OFF \
    -DCOLLABGRAPH_BUILD_TOOLS=OFF -DCOLLABGRAPH_BUILD_EXAMPLES=OFF > "$build.configure.log" 2>&1 ||
    { cat "$build.configure.log"; exit 1; }
fi
cmake --build "$build" --target "${targets[@]/#/fuzz_}"

seeds=$build/seeds
if [ ! -d "$seeds" ]; then
  if data=$(collabgraph_data_dir 2> /dev/null); then
    /usr/bin/python3 "$root/scripts/fuzz-seeds.py" "$data" "$seeds.tmp" && mv "$seeds.tmp" "$seeds"
  else
    echo "fuzz.sh: no data directory; fuzzing from the committed corpus only" >&2
  fi
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Replays the committed corpus, then fuzzes; prints one summary line.
fuzz_one() {
  local t=$1 bin=$build/tests/fuzz/fuzz_$1 committed=$root/tests/fuzz/corpus/$1
  local work=$build/corpus/$t findings=$build/findings/$t log=$build/logs/$t.log
  mkdir -p "$work" "$findings" "$build/logs" "$committed"
  local replayed
  replayed=$(find "$committed" -type f | wc -l)
  if ! "$bin" -runs=0 "$committed" > "$log.replay" 2>&1; then
    echo "fuzz $t: FAILED replaying the committed corpus ($replayed inputs); see $log.replay"
    tail -30 "$log.replay"
    return 1
  fi
  local dirs=("$work" "$committed")
  [ -d "$seeds/$t" ] && dirs+=("$seeds/$t")
  # -timeout: one input may take 10 s (sanitizers, a slow machine); -rss_limit_mb: 2 GiB.
  # shellcheck disable=SC2086
  if ! "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$findings/" ${FUZZ_FLAGS:-} "${dirs[@]}" \
    > "$log" 2>&1; then
    echo "fuzz $t: FAILED after fuzzing; the input is in $findings; log $log"
    grep -A25 -m1 "ERROR\|fuzz check failed\|runtime error" "$log" || tail -30 "$log"
    return 1
  fi
  local runs cov
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo '?')
  echo "fuzz $t: ok: replayed $replayed committed inputs; $seconds s, $runs runs," \
    "coverage $cov edges, corpus $(find "$work" -type f | wc -l) new inputs; 0 crashes"
}

jobs=${FUZZ_JOBS:-$(nproc)}
failed=0
pids=()
for t in "${targets[@]}"; do
  fuzz_one "$t" &
  pids+=($!)
  if [ ${#pids[@]} -ge "$jobs" ]; then
    wait "${pids[0]}" || failed=1
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
exit $failed
