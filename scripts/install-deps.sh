#!/usr/bin/env bash
# Installs every Debian 12 package that building, testing and the examples need.
# Non-interactive and idempotent: installs only what is missing, and runs apt-get update only
# then. Uses sudo when not run as root. With --check, installs nothing: lists what is missing
# and exits 1 when anything is.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config git           # toolchain
  librocksdb-dev libboost-graph-dev libabsl-dev   # storage, graphs, status types
  libfmt-dev libsimdjson-dev zlib1g-dev           # formatting, JSON, gzip
  libdeflate-dev                                  # whole-file gzip inflate (ingest)
  libgoogle-perftools-dev                         # tcmalloc for the tool (COLLABGRAPH_TCMALLOC)
  catch2                                          # unit tests (Catch2 v2)
  python3 python3-networkx                        # integration tests (Debian's python3)
  python3-dev pybind11-dev python3-numpy          # the Python module (bindings/python)
  python3-pytest python3-pandas python3-matplotlib  # its tests and examples/python
  clang-format clang-tidy                         # style checks (.clang-format, .clang-tidy)
  chromium fonts-dejavu-core python3-pil          # report test: headless browser, screenshot
  clang-14 libclang-rt-14-dev                     # fuzzing: clang's libFuzzer (scripts/fuzz.sh)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
if [ "${1:-}" = --check ]; then
  echo "install-deps: missing ${missing[*]}"
  exit 1
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
