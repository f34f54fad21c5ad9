#!/usr/bin/env bash
# Prints the data directory: $COLLABGRAPH_DATA, else ../shared/data beside the repository.
# Exits 1 with instructions when neither holds the paper lists. Sourced by the other scripts.
collabgraph_data_dir() {
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  local dir=${COLLABGRAPH_DATA:-$root/../shared/data}
  if [ ! -d "$dir/paperlists" ]; then
    cat >&2 <<MSG
collabgraph: no paper lists found in $dir/paperlists.

The data are the public Paper Copilot paper lists: the GitHub repository papercopilot/paperlists
(one JSON file per venue and year, e.g. nips/nips2016.json). With a network connection,
  scripts/fetch-data.sh ~/collabgraph-data
clones them into ~/collabgraph-data/paperlists; then point CollabGraph at that directory:
  export COLLABGRAPH_DATA=~/collabgraph-data
(CollabGraph reads <data>/paperlists/<venue>/<venue><year>.json or .json.gz.)
MSG
    return 1
  fi
  (cd "$dir" && pwd)
}
