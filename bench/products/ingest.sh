#!/usr/bin/env bash
# Ingest benchmark (issue 3): the same CSV loaded, in one run, by
#   - kilde CLI   `kilde ingest obs FILE` into a fresh data dir (parse, type-check, SHA-256, quality
#                 report, unique index on id, index on bydel, commit)
#   - kilde HTTP  `curl --data-binary @FILE -H 'Content-Type: text/csv'` to a running `kilde serve`
#   - PostgreSQL 15  server-side `COPY obs FROM 'FILE' (FORMAT csv, HEADER)` into a plain table,
#                 then `CREATE INDEX ON obs (bydel)`, then `ALTER TABLE obs ADD PRIMARY KEY (id)`
#   - sqlite3     `.import --csv --skip 1` into a typed table, then the same two indexes
# Best of RUNS (wall time), peak RSS where measurable.
#
# Usage: bench/products/ingest.sh [BUILD_DIR]        (default build)
# Env:   ROWS=1000000  RUNS=3  CSV=/tmp/kilde-bench-data/rows-$ROWS.csv  OUT=bench/out/products
set -euo pipefail
source "$(dirname "$0")/lib.sh"
KILDE=$(kilde_bin "${1:-build}")
ROWS=${ROWS:-1000000}
RUNS=${RUNS:-3}
CSV=${CSV:-/tmp/kilde-bench-data/rows-$ROWS.csv}
OUT=${OUT:-$REPO_DIR/bench/out/products}
mkdir -p "$OUT"
trap bench_cleanup EXIT

ensure_packages
need_disk_mb /tmp $((ROWS / 1000000 * 600 + 200))
ensure_csv "$CSV" "$ROWS"
csv_mb=$(awk -v b="$(stat -c %s "$CSV")" 'BEGIN {printf "%.1f", b / 1e6}')
load0=$(cut -d' ' -f1-3 /proc/loadavg)
log "ingest: $ROWS rows, $csv_mb MB ($CSV); best of $RUNS; $("$KILDE" version); $(machine_note)"

# Results: one line per measurement and run: "what seconds peak_rss_mb".
results=$OUT/ingest.raw
: >"$results"
record() { echo "$*" >>"$results"; log "  $*"; }

time_fmt='%e %M'   # /usr/bin/time: wall seconds, max RSS in KB

kilde_cli() {
  local data t dir
  bench_tmpdir dir kilde-cli
  data=$dir/data
  mkdir -p "$data"
  "$KILDE" catalog import --data-dir "$data" --log-level warn "$REPO_DIR/demo/catalog.json" >/dev/null
  "$KILDE" product create --data-dir "$data" --log-level warn --id "$PRODUCT" --dataset "$DATASET" \
    --schema "$BENCH_DIR/schema.json" >/dev/null
  sync
  /usr/bin/time -f "$time_fmt" -o "$data.time" "$KILDE" ingest --data-dir "$data" --log-level warn \
    "$PRODUCT" "$CSV" >"$data.out"
  python3 -c 'import json,sys; n=json.load(open(sys.argv[1]))["row_count"]; sys.exit(n != int(sys.argv[2]))' \
    "$data.out" "$ROWS" || die "kilde ingest stored a different row count"
  read -r t rss <"$data.time"
  record kilde_cli "$t" "$(awk -v k="$rss" 'BEGIN {printf "%.0f", k / 1024}')"
  rm -rf "$(dirname "$data")"
}

kilde_http() {
  local data code t rss dir
  bench_tmpdir dir kilde-http
  data=$dir/data
  mkdir -p "$data"
  kilde_start "$KILDE" "$data" --demo
  kilde_create_product_http
  sync
  read -r code t < <(curl -s -o "$data.resp" -w '%{http_code} %{time_total}\n' -X POST \
    -H 'Content-Type: text/csv' -H "Authorization: Bearer $KILDE_TOKEN" --data-binary @"$CSV" \
    "$KILDE_URL/api/v1/products/$PRODUCT/editions?source_name=$(basename "$CSV")")
  [[ $code == 201 ]] || { head -c 500 "$data.resp" >&2; die "HTTP ingest returned $code"; }
  rss=$(proc_mem_mb "$KILDE_PID" | awk '{printf "%.0f", $2}')
  record kilde_http "$t" "$rss"
  kilde_stop
  rm -rf "$(dirname "$data")"
}

pg_run() {
  local log=$OUT/pg-ingest.log
  "${PSQL[@]}" >"$log" 2>&1 <<EOF
DROP TABLE IF EXISTS obs;
CHECKPOINT;
$PG_CREATE_TABLE;
SELECT pg_backend_pid() AS pid \gset
\setenv PGPID :pid
\timing on
\echo @copy
COPY obs FROM '$CSV' WITH (FORMAT csv, HEADER true);
\echo @index
CREATE INDEX obs_bydel ON obs (bydel);
\echo @pk
ALTER TABLE obs ADD PRIMARY KEY (id);
\timing off
\! grep VmHWM /proc/\$PGPID/status
SELECT count(*) AS n FROM obs \gset
\echo @rows :n
CHECKPOINT;
EOF
  local n copy index pk hwm
  n=$(awk '/^@rows/ {print $2}' "$log")
  [[ $n == "$ROWS" ]] || { cat "$log" >&2; die "PostgreSQL loaded $n rows"; }
  read -r copy index pk < <(awk '/^@/ {s = $1} /^Time:/ {t[s] = $2 / 1000} END {print t["@copy"], t["@index"], t["@pk"]}' "$log")
  hwm=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "$log")
  record pg_copy "$copy" "$hwm"
  record pg_index "$index" -
  record pg_pk "$pk" -
  record pg_copy_index "$(awk -v a="$copy" -v b="$index" 'BEGIN {printf "%.3f", a + b}')" "$hwm"
  record pg_copy_index_pk "$(awk -v a="$copy" -v b="$index" -v c="$pk" 'BEGIN {printf "%.3f", a + b + c}')" "$hwm"
}

sqlite_run() {
  local dir db t1 r1 t2 r2 t3 r3 n
  bench_tmpdir dir sqlite
  db=$dir/obs.db
  sqlite3 "$db" "CREATE TABLE obs (id INTEGER NOT NULL, kommune TEXT NOT NULL, bydel TEXT NOT NULL,
    year INTEGER NOT NULL, value REAL NOT NULL, name TEXT)"
  sync
  /usr/bin/time -f "$time_fmt" -o "$dir/t1" sqlite3 "$db" ".import --csv --skip 1 '$CSV' obs"
  /usr/bin/time -f "$time_fmt" -o "$dir/t2" sqlite3 "$db" "CREATE INDEX obs_bydel ON obs (bydel)"
  /usr/bin/time -f "$time_fmt" -o "$dir/t3" sqlite3 "$db" "CREATE UNIQUE INDEX obs_id ON obs (id)"
  n=$(sqlite3 "$db" "SELECT count(*) FROM obs")
  [[ $n == "$ROWS" ]] || die "sqlite3 imported $n rows"
  read -r t1 r1 <"$dir/t1"
  read -r t2 r2 <"$dir/t2"
  read -r t3 r3 <"$dir/t3"
  record sqlite_import "$t1" "$((r1 / 1024))"
  record sqlite_index "$t2" "$((r2 / 1024))"
  record sqlite_unique "$t3" "$((r3 / 1024))"
  record sqlite_import_index "$(awk -v a="$t1" -v b="$t2" 'BEGIN {printf "%.2f", a + b}')" "$((r1 / 1024))"
  record sqlite_import_index_unique "$(awk -v a="$t1" -v b="$t2" -v c="$t3" 'BEGIN {printf "%.2f", a + b + c}')" "$((r1 / 1024))"
  rm -rf "$dir"
}

pg_start
for run in $(seq 1 "$RUNS"); do
  log "run $run/$RUNS"
  kilde_cli
  kilde_http
  pg_run
  sqlite_run
done
pg_stop

# ------------------------------------------------------------- summary (best time, max peak RSS)
best() { awk -v k="$1" '$1 == k {if (min == "" || $2 < min) min = $2} END {print min}' "$results"; }
peak() { awk -v k="$1" '$1 == k && $3 != "-" {if ($3 > m) m = $3} END {print (m == "" ? "–" : m " MB")}' "$results"; }
all() { awk -v k="$1" '$1 == k {printf "%s%.2f", sep, $2; sep = " / "}' "$results"; }
pg_total=$(best pg_copy_index)
row() {
  local key=$1 label=$2 t
  t=$(best "$key")
  printf '| %s | %.2f s | %s | %s | %.0f | %.2f× |\n' "$label" "$t" "$(all "$key")" "$(peak "$key")" \
    "$(awk -v t="$t" -v n="$ROWS" 'BEGIN {print n / t}')" "$(awk -v t="$t" -v p="$pg_total" 'BEGIN {print t / p}')"
}
{
  echo "### Ingest: $ROWS rows, $csv_mb MB CSV (best of $RUNS)"
  echo
  echo "| what | best | all runs (s) | peak RSS | rows/s | time ÷ PG COPY+index |"
  echo "|---|---:|---|---:|---:|---:|"
  row kilde_cli "kilde CLI \`kilde ingest\` (all checks, SHA-256, quality, unique id + bydel index)"
  row kilde_http "kilde HTTP \`POST …/editions\` (same, over loopback; RSS = server peak)"
  row pg_copy "PostgreSQL \`COPY\` (plain table)"
  row pg_index "PostgreSQL \`CREATE INDEX ON obs (bydel)\`"
  row pg_pk "PostgreSQL \`ADD PRIMARY KEY (id)\`"
  row pg_copy_index "**PostgreSQL COPY + index (target)**"
  row pg_copy_index_pk "PostgreSQL COPY + index + primary key"
  row sqlite_import "sqlite3 \`.import\`"
  row sqlite_index "sqlite3 \`CREATE INDEX\` (bydel)"
  row sqlite_unique "sqlite3 \`CREATE UNIQUE INDEX\` (id)"
  row sqlite_import_index "sqlite3 .import + index"
  row sqlite_import_index_unique "sqlite3 .import + both indexes"
  echo
  k=$(best kilde_cli)
  verdict=$(awk -v k="$k" -v p="$pg_total" 'BEGIN {print (k <= p ? "met" : "missed")}')
  echo "Target \"kilde no slower than PostgreSQL COPY + index\": **$verdict** (kilde CLI $k s vs $(printf "%.2f" "$pg_total") s)."
  echo "PostgreSQL peak RSS is the backend's VmHWM, which counts the shared_buffers pages it touched."
  echo "Load average at the start: $load0; at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
} | tee "$OUT/ingest.md"
