#!/usr/bin/env bash
# Fails when a C++ file does not follow .clang-format (clang-format 14).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bad=$(git ls-files '*.cc' '*.h' | xargs clang-format --dry-run -Werror 2>&1 | grep -o '^[^:]*' | sort -u || true)
if [ -n "$bad" ]; then
  echo "not clang-formatted (run clang-format -i):"; echo "$bad"; exit 1
fi
echo "clang-format: $(git ls-files '*.cc' '*.h' | wc -l) files ok"
