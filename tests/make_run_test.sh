#!/usr/bin/env bash
# Checks that `make run` (what the README tells a new user to type) serves the
# demo catalog: the server answers /readyz within seconds and lists oslo-kommune.
#
# Usage: make_run_test.sh SOURCE_DIR BINARY
#   SOURCE_DIR  the repository (where the Makefile is)
#   BINARY      the built kilde; its directory is passed as BUILD_DIR so that
#               `make run` reuses this build instead of building elsewhere.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 SOURCE_DIR BINARY" >&2
  exit 2
fi
source_dir=$1
binary=$2
build_dir=$(cd "$(dirname "$binary")" && pwd)

for tool in curl make setsid; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/kilde-make-run.XXXXXX")
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then
    # make and the server run in their own process group (setsid below).
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 -- "-$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# A free port: bind port 0, read it, release it (python3), else a random high port.
if command -v python3 >/dev/null; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
else
  port=$((20000 + RANDOM % 40000))
fi
base="http://127.0.0.1:$port"

# `make run` depends on `deps` (scripts/install-deps.sh), which is expected to be
# a quick no-op when everything is installed, and on the build, a no-op when built.
setsid make -C "$source_dir" run LISTEN="127.0.0.1:$port" DATA_DIR="$work/data" BUILD_DIR="$build_dir" \
  >"$work/make.log" 2>&1 </dev/null &
pid=$!

status=""
for _ in $(seq 1 600); do  # up to 60 s
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "FAIL: make run exited before the server was ready:" >&2
    tail -n 50 "$work/make.log" >&2
    exit 1
  fi
  status=$(curl -s -o "$work/readyz.json" -w '%{http_code}' --max-time 2 "$base/readyz" || true)
  [[ "$status" == "200" ]] && break
  sleep 0.1
done
if [[ "$status" != "200" ]]; then
  echo "FAIL: $base/readyz did not answer 200 within 60 s (last status '$status')" >&2
  tail -n 50 "$work/make.log" >&2
  exit 1
fi
echo "ok: /readyz -> 200 $(cat "$work/readyz.json")"

orgs=$(curl -s --max-time 5 "$base/api/v1/organizations?limit=500")
if ! grep -q '"id":"oslo-kommune"' <<<"$orgs"; then
  echo "FAIL: the demo catalog is not loaded; /api/v1/organizations returned:" >&2
  head -c 2000 <<<"$orgs" >&2
  exit 1
fi
echo "ok: the demo catalog lists oslo-kommune"

if grep -q "Building CXX" "$work/make.log"; then
  echo "note: make run rebuilt sources in $build_dir" >&2
fi
echo "PASS"
