#!/usr/bin/env bash
# Crash soak: SIGKILLs an ingest of the NeurIPS paper lists KILLS times (default 1000) at random
# moments, runs `collabgraph check` after every kill, then resumes and compares with a clean
# ingest. Prints the kills, how many interrupted writing, and the violations (must be 0).
# MODE bulk kills bulk ingests (--bulk, batches of 300 papers) instead of record-by-record ones.
# usage: scripts/soak-crash.sh [KILLS] [SEED] [record|bulk]     (builds build/ first if needed)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/data-dir.sh"
data=$(collabgraph_data_dir)
[ -x "$root/build/tools/collabgraph/collabgraph" ] || "$root/scripts/build.sh" "$root/build"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A private copy of the binary, so that a rebuild during the soak cannot disturb it.
cp "$root/build/tools/collabgraph/collabgraph" "$work/collabgraph"
/usr/bin/python3 "$root/tests/integration/crash_test.py" \
  "$work/collabgraph" "$data" "$work" "${1:-1000}" "${2:-$RANDOM}" "${3:-record}"
