#!/usr/bin/env bash
# Runs clang-tidy 14 (.clang-tidy) over the library, CLI, examples and the Python bindings (when
# BUILD_DIR builds them), using the compile commands of BUILD_DIR (default build/). Prints the
# warnings; exits 1 when there are any.
# usage: scripts/clang-tidy.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
cd "$root"
sources=('lib/*.cc' 'tools/*.cc' 'examples/*.cc')
if grep -q '/bindings/python/' "$build/compile_commands.json"; then sources+=('bindings/*.cc'); fi
files=$(git ls-files "${sources[@]}" | grep -v country_table.cc)
out=$(echo "$files" | xargs -P "$(nproc)" -n 4 clang-tidy -p "$build" --quiet --extra-arg=-Wno-unknown-warning-option 2>/dev/null |
      grep -E "warning:|error:" | sort -u || true)
if [ -n "$out" ]; then
  echo "$out"
  echo "clang-tidy: $(echo "$out" | wc -l) finding(s)"
  exit 1
fi
echo "clang-tidy: $(echo "$files" | wc -l) files clean"
