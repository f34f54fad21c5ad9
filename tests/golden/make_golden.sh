#!/usr/bin/env bash
# Writes the golden database of the CURRENT format version into tests/golden/v<version>/ from
# tests/golden/input/, with the answers it must keep giving. Run it only together with a format
# version bump: an existing vN directory must never be regenerated.
# usage: tests/golden/make_golden.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cli=${1:?usage: make_golden.sh BUILD_DIR}/tools/collabgraph/collabgraph
version=$(grep -oP 'kFormatVersion = \K[0-9]+' "$here/../../lib/storage/store.h")
out=$here/v$version
if [ -e "$out" ]; then echo "$out exists: bump the format version first" >&2; exit 1; fi
mkdir -p "$out/expected"
"$cli" ingest "$out/db" "$here"/input/golden2020.json "$here"/input/golden2021.json > /dev/null
rm -f "$out"/db/LOG*
"$cli" info "$out/db" --hash --json | /usr/bin/python3 -c \
  'import json,sys; d=json.load(sys.stdin); d.pop("path"); d.pop("approximate_bytes"); print(json.dumps(d, indent=1, sort_keys=True))' \
  > "$out/expected/info.json"
"$cli" stats "$out/db" --by year --json | /usr/bin/python3 -m json.tool --sort-keys > "$out/expected/stats.json"
# Timings (`seconds`) are not answers.
"$cli" centrality "$out/db" --graph institution --metric betweenness --top 0 --json |
  /usr/bin/python3 -c \
  'import json,sys; d=json.load(sys.stdin); d.pop("seconds", None); print(json.dumps(d, indent=4, sort_keys=True))' \
  > "$out/expected/centrality.json"
echo "wrote $out"
