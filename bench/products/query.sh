#!/usr/bin/env bash
# Filtered-query benchmark (issue 3): GET …/rows?bydel=eq.<value>&limit=100 (≈10 KB of JSON) on the
# same ROWS rows, in one run, against
#   - kilde          `kilde serve`, edition loaded with `kilde ingest`
#   - pgbench        the ceiling of a PostgREST-style stack: PostgreSQL itself running
#                    SELECT json_agg(t) FROM (SELECT * FROM obs WHERE bydel=… LIMIT 100) t
#                    (-M prepared, no HTTP, no JSON leaving the database process but to pgbench)
#   - node + pg      a minimal Node `http` + `pg` server (node/server.js) serving the same route
# with `wrk -t2 -c32 -d$DURATION --latency` / `pgbench -n -c32 -j2 -T…`, first for one fixed value,
# then rotating through all 50 values (rotate.lua; pgbench picks one at random per transaction).
#
# Usage: bench/products/query.sh [BUILD_DIR]          (default build)
# Env:   ROWS=1000000  DURATION=10s  VALUE=Frogner  CONNECTIONS=32  POOL=16 (node pg.Pool size)
#        CSV=/tmp/kilde-bench-data/rows-$ROWS.csv  OUT=bench/out/products
set -euo pipefail
source "$(dirname "$0")/lib.sh"
KILDE=$(kilde_bin "${1:-build}")
ROWS=${ROWS:-1000000}
DURATION=${DURATION:-10s}
VALUE=${VALUE:-Frogner}
CONNECTIONS=${CONNECTIONS:-32}
CSV=${CSV:-/tmp/kilde-bench-data/rows-$ROWS.csv}
OUT=${OUT:-$REPO_DIR/bench/out/products}
secs=${DURATION%s}
[[ $secs =~ ^[0-9]+$ ]] || die "DURATION must be whole seconds like 10s"
mkdir -p "$OUT"
trap bench_cleanup EXIT

ensure_packages
need_disk_mb /tmp $((ROWS / 1000000 * 600 + 200))
ensure_csv "$CSV" "$ROWS"
bench_tmpdir work query
python3 "$BENCH_DIR/gen_rows.py" --bydeler >"$work/bydeler.txt"
enc_value=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$VALUE")
path="$ROWS_PREFIX?bydel=eq.$enc_value&limit=100"

# ------------------------------------------------------------------ servers
log "loading $ROWS rows into kilde and PostgreSQL"
mkdir -p "$work/kilde"
kilde_prepare_data_dir "$KILDE" "$work/kilde" "$CSV"
kilde_start "$KILDE" "$work/kilde"
pg_start
pg_load "$CSV" >/dev/null

log "installing the node server's dependencies (npm ci)"
(cd "$BENCH_DIR/node" && { npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1 ||
  npm install --no-audit --no-fund --loglevel=error >/dev/null; })
PGURL=$PG_URL POOL=${POOL:-16} PORT=0 node "$BENCH_DIR/node/server.js" >"$work/node.out" 2>"$work/node.err" &
NODE_PID=$!
_bench_pids+=("$NODE_PID")
NODE_URL=""
for _ in $(seq 1 100); do
  NODE_URL=$(grep -o 'http://[0-9.:]*' "$work/node.out" 2>/dev/null | head -1) && [[ -n $NODE_URL ]] && break
  sleep 0.1
done
[[ -n $NODE_URL ]] || { cat "$work/node.err" >&2; die "node server did not start"; }

note="$(machine_note); $("$KILDE" version), PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), node $(node --version), wrk -t2 -c$CONNECTIONS -d$DURATION"
log "query: $note"

# ------------------------------------------------------------------ comparability check
# The same value through kilde, node and psql: 100 rows each, the same ids, similar size.
check=$(
  curl -sf "$KILDE_URL$path" -o "$work/kilde.json"
  curl -sf "$NODE_URL$path" -o "$work/node.json"
  "${PSQL[@]}" -At -c "SELECT json_agg(t) FROM (SELECT * FROM obs WHERE bydel = '${VALUE//\'/\'\'}' LIMIT 100) t" >"$work/pg.json"
  python3 - "$work" <<'EOF'
import json, sys
d = sys.argv[1]
k = json.load(open(f"{d}/kilde.json"))["items"]
n = json.load(open(f"{d}/node.json"))
p = json.load(open(f"{d}/pg.json"))
import os
size = lambda f: os.path.getsize(f"{d}/{f}")
same = sorted(r["id"] for r in k) == sorted(r["id"] for r in n) == sorted(r["id"] for r in p)
print(f"{len(k)} {len(n)} {len(p)} {size('kilde.json')} {size('node.json')} {size('pg.json') - 1} {'yes' if same else 'no'}")
EOF
)
read -r k_rows n_rows p_rows k_bytes n_bytes p_bytes same_ids <<<"$check"
log "rows: kilde $k_rows, node $n_rows, psql $p_rows; bytes: kilde $k_bytes, node $n_bytes, psql $p_bytes; same ids: $same_ids"
[[ $k_rows == 100 && $n_rows == 100 && $p_rows == 100 ]] || die "the responses do not all have 100 rows"

# Average body size over the 50 values (the rotating runs).
avg_bytes() {
  local base=$1 total=0 v enc b
  while IFS= read -r v; do
    enc=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$v")
    b=$(curl -sf -o /dev/null -w '%{size_download}' "$base$ROWS_PREFIX?bydel=eq.$enc&limit=100")
    total=$((total + b))
  done <"$work/bydeler.txt"
  echo $((total / 50))
}
k_avg=$(avg_bytes "$KILDE_URL")
n_avg=$(avg_bytes "$NODE_URL")

# ------------------------------------------------------------------ load
results=$OUT/query.raw
: >"$results"

# CPU ticks of the serving side of a run: kilde; PostgreSQL (pgbench); node + PostgreSQL (node).
clk_tck=$(getconf CLK_TCK)
server_ticks() {
  case $1 in
    kilde*) cpu_ticks "$KILDE_PID" ;;
    pgbench*) cpu_ticks "$(pg_postmaster_pid)" ;;
    node*) echo $(($(cpu_ticks "$NODE_PID") + $(cpu_ticks "$(pg_postmaster_pid)"))) ;;
  esac
}
cpu_per_req() {  # ticks requests -> ms
  awk -v t="$1" -v n="$2" -v hz="$clk_tck" 'BEGIN {printf "%.3f", (n > 0 ? t * 1000 / hz / n : 0)}'
}

run_wrk() {  # name url [lua]
  local name=$1 url=$2 lua=${3:-} args=() parsed c0 c1 rps p50 p99 n rest
  [[ -n $lua ]] && args=(-s "$lua")
  wrk -t2 -c"$CONNECTIONS" -d2s "${args[@]}" "$url" >/dev/null  # warm-up
  c0=$(server_ticks "$name")
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "${args[@]}" "$url" >"$OUT/$name.wrk.txt"
  c1=$(server_ticks "$name")
  parsed=$(parse_wrk <"$OUT/$name.wrk.txt")
  read -r rps p50 p99 n rest <<<"$parsed"
  echo "$name $parsed $(cpu_per_req $((c1 - c0)) "$n")" >>"$results"
  log "  $name: $parsed $(cpu_per_req $((c1 - c0)) "$n")  (req/s p50 p99 requests non-2xx socket-errors server-cpu-ms/req)"
}

run_pgbench() {  # name script
  local name=$1 script=$2 dir tps p50 p99 n c0 c1
  bench_tmpdir dir pgbench
  chmod 777 "$dir"
  "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M prepared -c"$CONNECTIONS" -j2 -T2 \
    -f "$script" postgres >/dev/null 2>&1  # warm-up
  c0=$(server_ticks "$name")
  (cd "$dir" && "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M prepared -c"$CONNECTIONS" -j2 \
    -T"$secs" -l --log-prefix="$dir/log" -f "$script" postgres >"$OUT/$name.pgbench.txt" 2>&1) ||
    { cat "$OUT/$name.pgbench.txt" >&2; die "pgbench failed"; }
  sleep 0.5  # let the postmaster reap the backends, so their CPU time is counted
  c1=$(server_ticks "$name")
  tps=$(awk '/^tps/ {printf "%.0f", $3; exit}' "$OUT/$name.pgbench.txt")
  # Per-transaction log: client_id transaction_no latency_us script_no epoch us
  read -r n p50 p99 < <(cat "$dir"/log.* | awk '{print $3}' | sort -n |
    awk '{a[NR] = $1} END {printf "%d %.2f %.2f\n", NR, a[int(NR * 0.50) + 1] / 1000, a[int(NR * 0.99) + 1] / 1000}')
  echo "$name $tps $p50 $p99 $n 0 0 $(cpu_per_req $((c1 - c0)) "$n")" >>"$results"
  log "  $name: $tps $p50 $p99 $n $(cpu_per_req $((c1 - c0)) "$n")"
  rm -rf "$dir"
}

cat >"$work/fixed.sql" <<EOF
SELECT json_agg(t) FROM (SELECT * FROM obs WHERE bydel = '${VALUE//\'/\'\'}' LIMIT 100) t;
EOF
{
  echo '\set i random(1, 50)'
  printf "SELECT json_agg(t) FROM (SELECT * FROM obs WHERE bydel = (ARRAY["
  sed "s/'/''/g; s/.*/'&'/" "$work/bydeler.txt" | paste -sd,
  echo "])[:i] LIMIT 100) t;"
} >"$work/rotate.sql"
chmod 644 "$work"/*.sql

export PATH_PREFIX="$ROWS_PREFIX?bydel=eq." PATH_SUFFIX="&limit=100" BYDEL_FILE=$work/bydeler.txt
rss_before=$(proc_mem_mb "$KILDE_PID")
log "load: one value ($VALUE)"
run_wrk kilde_fixed "$KILDE_URL$path"
run_pgbench pgbench_fixed "$work/fixed.sql"
run_wrk node_fixed "$NODE_URL$path"
log "load: all 50 values in turn"
run_wrk kilde_rotate "$KILDE_URL$ROWS_PREFIX" "$BENCH_DIR/rotate.lua"
run_pgbench pgbench_rotate "$work/rotate.sql"
run_wrk node_rotate "$NODE_URL$ROWS_PREFIX" "$BENCH_DIR/rotate.lua"
rss_after=$(proc_mem_mb "$KILDE_PID")
# kilde keeps rendered responses of immutable editions (query.cache_bytes); the same runs without
# that cache show what each request costs when it is rendered from the store.
log "load: kilde without its response cache (KILDE_QUERY_CACHE_BYTES=0)"
kilde_stop
KILDE_QUERY_CACHE_BYTES=0 kilde_start "$KILDE" "$work/kilde"
run_wrk kilde_nocache_fixed "$KILDE_URL$path"
run_wrk kilde_nocache_rotate "$KILDE_URL$ROWS_PREFIX" "$BENCH_DIR/rotate.lua"

# ------------------------------------------------------------------ summary
get() { awk -v k="$1" -v f="$2" '$1 == k {print $f}' "$results"; }
ratio() { awk -v a="$(get "$1" 2)" -v b="$(get "$2" 2)" 'BEGIN {printf "%.2f×", a / b}'; }
row() {  # key label bytes
  local errs
  errs=$(awk -v k="$1" '$1 == k {print $6 + $7}' "$results")
  printf '| %s | %s | %s ms | %s ms | %s ms | %s | %s%s |\n' "$2" "$(get "$1" 2)" "$(get "$1" 3)" "$(get "$1" 4)" "$(get "$1" 8)" "$3" \
    "$(ratio "$1" "${4:-pgbench_fixed}")" "$([[ $errs == 0 ]] || echo " ($errs errors/non-2xx)")"
}
k_rps=$(get kilde_fixed 2)
pg_rps=$(get pgbench_fixed 2)
k_p99=$(get kilde_fixed 4)
{
  echo "### Filtered query: $ROWS rows, \`bydel=eq.<value>&limit=100\`"
  echo
  echo "$note."
  echo
  echo "| what | req/s | p50 | p99 | server CPU / request | body bytes | req/s ÷ pgbench (same values) |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  row kilde_fixed "kilde, bydel=eq.$VALUE" "$k_bytes"
  row pgbench_fixed "pgbench json_agg, '$VALUE' (ceiling; latency from its log)" "$p_bytes (json text)"
  row node_fixed "node http + pg, bydel=eq.$VALUE" "$n_bytes"
  row kilde_rotate "kilde, all 50 values in turn" "$k_avg avg" pgbench_rotate
  row pgbench_rotate "pgbench json_agg, random value of 50" "–" pgbench_rotate
  row node_rotate "node http + pg, all 50 values in turn" "$n_avg avg" pgbench_rotate
  row kilde_nocache_fixed "kilde without response cache, bydel=eq.$VALUE" "$k_bytes"
  row kilde_nocache_rotate "kilde without response cache, all 50 values in turn" "$k_avg avg" pgbench_rotate
  echo
  echo "Responses: $k_rows / $n_rows / $p_rows rows (kilde / node / psql), same ids: $same_ids. kilde wraps the rows in"
  echo "\`{\"items\": […], \"next_cursor\": …}\`; node returns PostgreSQL's json_agg array as is."
  echo "kilde server memory (VmRSS / VmHWM, MB): before load $rss_before, after $rss_after."
  echo "Server CPU / request: user + system time of the serving processes during the run ÷ requests (kilde;"
  echo "PostgreSQL's postmaster and backends for pgbench; node and PostgreSQL for node); the load"
  echo "generators are not counted. It depends much less on other load on the machine than req/s."
  echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  t1=$(awk -v k="$k_rps" -v p="$pg_rps" 'BEGIN {print (k >= 5 * p ? "met" : "missed")}')
  t2=$(awk -v v="$k_p99" 'BEGIN {print (v <= 5 ? "met" : "missed")}')
  echo "Targets: ≥ 5× the pgbench ceiling: **$t1** ($(ratio kilde_fixed pgbench_fixed)); p99 ≤ 5 ms: **$t2** ($k_p99 ms)."
} | tee "$OUT/query.md"
