#!/usr/bin/env bash
# The main job: installs what is needed, builds, and runs examples/us_china_neurips: ingests
# every NeurIPS paper list into build/neurips.db, prints the per-year US-China table, the
# institutions, country pairs and tag cross-tab, and writes build/us_china_neurips.svg.
# usage: scripts/main.sh   (data from $COLLABGRAPH_DATA or ../shared/data)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
source "$root/scripts/data-dir.sh"
data=$(collabgraph_data_dir)
"$root/scripts/build.sh" "$root/build" > /dev/null
cli="$root/build/tools/collabgraph/collabgraph"
db="$root/build/neurips.db"
rm -rf "$db"
shopt -s nullglob
files=("$data"/paperlists/nips/nips*.json "$data"/paperlists/nips/nips*.json.gz)
if [ ${#files[@]} -eq 0 ]; then
  echo "no NeurIPS files (nips<year>.json[.gz]) in $data/paperlists/nips" >&2
  exit 1
fi
universities=()
if [ -f "$data/reference/world_universities_and_domains.json.gz" ]; then
  universities=(--universities "$data/reference/world_universities_and_domains.json.gz")
fi
echo "== ingest of ${#files[@]} NeurIPS files into $db, then the US-China report"
"$root/build/examples/us_china_neurips" "$db" --svg "$root/build/us_china_neurips.svg" \
  "${universities[@]}" "${files[@]}"
echo
echo "== the same per year with Hong Kong, Macao and Taiwan counted apart (--regions split)"
"$cli" stats "$db" --by year --years 2010: --regions split
echo
echo "== country betweenness on the NeurIPS country collaboration graph"
"$cli" centrality "$db" --graph country --metric betweenness --top 10
