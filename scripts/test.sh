#!/usr/bin/env bash
# The whole test suite: installs what is needed, then builds and runs every test twice,
# once in an optimised build and once under AddressSanitizer + UndefinedBehaviorSanitizer
# (built at -O1; the crash test kills 10 times there instead of 50, each kill's ingest being
# about 3x slower, and the fault-injection tests fail every third operation instead of every
# one), then
# fuzzes every libFuzzer target for COLLABGRAPH_FUZZ_SECONDS (default 60) after replaying the
# committed corpus (scripts/fuzz.sh).
# Integration tests read the real data ($COLLABGRAPH_DATA or ../shared/data); set
# COLLABGRAPH_REQUIRE_DATA=1 to fail instead of skipping when it is missing (CI does).
# usage: scripts/test.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
source "$root/scripts/data-dir.sh"
if data=$(collabgraph_data_dir); then
  export COLLABGRAPH_DATA=$data
elif [ "${COLLABGRAPH_REQUIRE_DATA:-0}" = 1 ]; then
  exit 1
fi
jobs=$(nproc)
# Prints a stage heading with the time since the script started, installation included (CI
# allows 45 minutes in all).
stage() { printf '== %s (at %d min %02d s)\n' "$1" $((SECONDS / 60)) $((SECONDS % 60)); }

stage "format check (clang-format)"
"$root/scripts/check-format.sh"

stage "release build and tests"
"$root/scripts/build.sh" "$root/build"
stage "static analysis (clang-tidy)"
"$root/scripts/clang-tidy.sh" "$root/build"
(cd "$root/build" && ctest -j "$jobs" --output-on-failure)

stage "ASan + UBSan build and tests"
"$root/scripts/build.sh" "$root/build-asan" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
  -DCOLLABGRAPH_SANITIZE=address,undefined -DCOLLABGRAPH_BUILD_EXAMPLES=OFF \
  -DCOLLABGRAPH_CRASH_KILLS=10 -DCOLLABGRAPH_CRASH_KILLS_BULK=10 -DCOLLABGRAPH_FAULT_STRIDE=3
(cd "$root/build-asan" &&
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest -j "$jobs" --output-on-failure)

stage "fuzzing (clang libFuzzer + ASan + UBSan): committed corpus, then ${COLLABGRAPH_FUZZ_SECONDS:-60} s per target"
"$root/scripts/fuzz.sh" all "${COLLABGRAPH_FUZZ_SECONDS:-60}" "$root/build-fuzz"
stage "done"
