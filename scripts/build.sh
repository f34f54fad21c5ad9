#!/usr/bin/env bash
# Configures and builds into BUILD_DIR (default build/) with Ninja.
# usage: scripts/build.sh [BUILD_DIR] [extra cmake arguments...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
shift || true
data_arg=()
if [ -n "${COLLABGRAPH_DATA:-}" ]; then data_arg=(-DCOLLABGRAPH_DATA_DIR="$COLLABGRAPH_DATA"); fi
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPython3_EXECUTABLE=/usr/bin/python3 "${data_arg[@]}" "$@" > /tmp/collabgraph-configure.$$.log 2>&1 ||
  { cat /tmp/collabgraph-configure.$$.log; rm -f /tmp/collabgraph-configure.$$.log; exit 1; }
rm -f /tmp/collabgraph-configure.$$.log
cmake --build "$build" -j "$(nproc)"
