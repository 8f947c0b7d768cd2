#!/usr/bin/env bash
# All data-product benchmarks (issues 3 and 4) in one run, then a markdown summary for docs/benchmarks.md.
# Usage: bench/products/run_all.sh [BUILD_DIR]        (make bench-products; default build)
# Env:   ROWS=1000000 (ingest, query)  SCALE_ROWS=10000000 (scale)  RUNS=3  DURATION=10s
#        SKIP_SCALE=1 to leave out the 10M-row run.  OUT=bench/out/products
# Installs what it needs (postgresql-15, wrk, sqlite3, nodejs, npm, time) with apt-get if missing.
# For numbers worth publishing use a Release build on a quiet machine:
#   cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release
#   cmake --build build-bench -j2 --target kilde
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
BUILD_DIR=${1:-build}
KILDE=$(kilde_bin "$BUILD_DIR")
OUT=${OUT:-$here/../out/products}
export OUT ROWS=${ROWS:-1000000} RUNS=${RUNS:-3} DURATION=${DURATION:-10s}
mkdir -p "$OUT"
started=$(date -u +%Y-%m-%dT%H:%MZ)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

bash "$here/ingest.sh" "$BUILD_DIR"
bash "$here/query.sh" "$BUILD_DIR"
# Access (issue 4): six alternating rounds of 5 s, its own median.
DURATION=${ACCESS_DURATION:-5s} bash "$here/access.sh" "$BUILD_DIR" >"$OUT/access.md"
if [[ ${SKIP_SCALE:-0} != 1 ]]; then
  ROWS=${SCALE_ROWS:-10000000} bash "$here/scale.sh" "$BUILD_DIR"
else
  rm -f "$OUT/scale.md"
fi

{
  echo "## Data products benchmark — $started"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME");" \
    "load average before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg)." \
    "$("$KILDE" version), $KILDE ($(grep -s '^CMAKE_BUILD_TYPE' "$(dirname "$KILDE")/CMakeCache.txt" | cut -d= -f2 || true)" \
    "build; checkout at commit $(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo '?'), which the binary may predate)."
  echo
  cat "$OUT/ingest.md"
  echo
  cat "$OUT/query.md"
  echo
  cat "$OUT/access.md"
  if [[ -f $OUT/scale.md ]]; then echo; cat "$OUT/scale.md"; fi
} >"$OUT/summary.md"
echo
echo "================ summary ($OUT/summary.md)"
cat "$OUT/summary.md"
