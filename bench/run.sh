#!/usr/bin/env bash
# Catalog API benchmark: wrk against a kilde server with the demo catalog, on loopback.
# Usage: bench/run.sh [BUILD_DIR]   (make bench)
# Results go to stdout and bench/out/; copy them into docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
KILDE=$BUILD_DIR/kilde
DURATION=${DURATION:-10s}
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }; }

data=$(mktemp -d)
out=bench/out
mkdir -p "$out"
"$KILDE" serve --demo --listen 127.0.0.1:0 --data-dir "$data" --log-level warn > "$data/stdout" 2> "$data/stderr" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do grep -q listening "$data/stdout" 2>/dev/null && break; sleep 0.1; done
base=$(grep -o 'http://[0-9.:]*' "$data/stdout")
echo "kilde $("$KILDE" version) at $base; $(nproc) cores; wrk -t2 -c32 -d$DURATION --latency"

run() {
  local name=$1 path=$2 accept=${3:-application/json}
  printf '\n== %s  GET %s (Accept: %s)\n' "$name" "$path" "$accept"
  wrk -t2 -c32 -d"$DURATION" --latency -H "Accept: $accept" "$base$path" | tee "$out/$name.txt" |
    grep -E 'Requests/sec|Transfer/sec|50%|99%|Non-2xx'
}
run get_dataset /api/v1/datasets/barnehageopptak-soknader
run list_datasets "/api/v1/datasets?limit=50"
run list_filtered "/api/v1/datasets?theme=EDUC&status=published"
run catalog_turtle /catalog text/turtle
run catalog_jsonld /catalog application/ld+json
run healthz /healthz
