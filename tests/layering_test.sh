#!/usr/bin/env bash
# Checks the layering of DESIGN.md: includes point downward only, RocksDB headers only in
# lib/storage, Boost.Graph only in lib/analytics, and public headers free of RocksDB, Boost
# and fmt. Prints every violation; exits 1 if there is any.
set -u
root=${1:?usage: layering_test.sh SOURCE_DIR}
cd "$root" || exit 2
status=0
fail() { echo "layering violation: $*"; status=1; }

# Layers each layer may include (besides itself and the public headers).
declare -A allowed=(
  [util]=""
  [storage]="util"
  [model]="storage util"
  [ingest]="model storage util"
  [analytics]="model storage util"
  [query]="model storage util"
  [api]="ingest analytics query model storage util"
)
for layer in "${!allowed[@]}"; do
  [ -d "lib/$layer" ] || continue
  while IFS=: read -r file line inc; do
    target=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$inc")
    [ "$target" = "$layer" ] && continue
    case "$target" in collabgraph|absl) continue ;; esac
    case " ${allowed[$layer]} " in
      *" $target "*) ;;
      *) fail "$file:$line includes $target (lib/$layer may use: ${allowed[$layer]:-nothing})" ;;
    esac
  done < <(grep -rnE '#include "[a-z_]+/' "lib/$layer" | sed -E 's/^([^:]*):([0-9]+):/\1:\2:/')
done
while IFS= read -r hit; do fail "$hit: RocksDB outside lib/storage"; done \
  < <(grep -rlE '#include <rocksdb/' lib include tools bindings examples 2>/dev/null | grep -v '^lib/storage/')
while IFS= read -r hit; do fail "$hit: Boost.Graph outside lib/analytics"; done \
  < <(grep -rlE '#include <boost/graph/' lib include tools bindings examples 2>/dev/null | grep -v '^lib/analytics/')
while IFS= read -r hit; do fail "$hit: public header includes RocksDB, Boost or fmt"; done \
  < <(grep -rlE '#include <(rocksdb|boost|fmt)/' include)
while IFS= read -r hit; do fail "$hit: tools, examples and bindings use only the public API"; done \
  < <(grep -rlE '#include "(util|storage|model|ingest|analytics|query|api)/' tools examples bindings 2>/dev/null)
[ $status -eq 0 ] && echo "layering: ok"
exit $status
