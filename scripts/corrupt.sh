#!/usr/bin/env bash
# Corrupted database files (docs/reliability.md, "Faults"): CASES byte flips and truncations of
# SST, MANIFEST, WAL and OPTIONS files of databases built from the real paper lists; each must
# end in a corruption error (exit 2 or 3, with a message) or a clean check, never a crash or a
# hang. CI runs 20 cases (ctest); this runs 200 by default.
# usage: scripts/corrupt.sh [CASES] [SEED] [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/data-dir.sh"
data=$(collabgraph_data_dir)
build=${3:-$root/build}
[ -x "$build/tools/collabgraph/collabgraph" ] || cmake --build "$build" --target collabgraph_cli
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$root/tests/integration/corruption_test.py" \
  "$build/tools/collabgraph/collabgraph" "$data" "$work" "${1:-200}" "${2:-$RANDOM}"
