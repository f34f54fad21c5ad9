#!/usr/bin/env bash
# Fetches the public Paper Copilot paper lists (GitHub: papercopilot/paperlists) into
# DEST/paperlists, for users who do not have ../shared/data. Needs git and a network.
# usage: scripts/fetch-data.sh DEST
set -euo pipefail
dest=${1:?usage: scripts/fetch-data.sh DEST}
mkdir -p "$dest"
if [ -d "$dest/paperlists/.git" ]; then
  git -C "$dest/paperlists" pull --ff-only
else
  git clone --depth 1 https://github.com/papercopilot/paperlists.git "$dest/paperlists"
fi
echo "paper lists in $dest/paperlists; now: export COLLABGRAPH_DATA=$dest"
