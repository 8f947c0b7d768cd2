# Shared helpers for the data-product benchmarks (sourced by ingest.sh, query.sh, scale.sh).
# Not run on its own. Everything listens on 127.0.0.1 only; every process started here is
# tracked by PID and stopped by cleanup (call bench_cleanup from an EXIT trap).

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/../.." && pwd)
PG_BIN=/usr/lib/postgresql/15/bin
PRODUCT=obs
# Any catalog dataset will do: a product must belong to one. The demo catalog has this one.
DATASET=innvandrere-botid-bydel-2025
ROWS_PREFIX="/api/v1/products/$PRODUCT/editions/latest/rows"

_bench_pids=()
_bench_dirs=()
_pg_data=""

log() { printf '%s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Resolves the kilde binary from a build dir argument (default build).
kilde_bin() {
  local dir=${1:-build}
  case $dir in /*) ;; *) dir=$REPO_DIR/$dir ;; esac
  [[ -x $dir/kilde ]] || die "no kilde binary in $dir (build it: cmake -S . -B $dir -DCMAKE_BUILD_TYPE=Release && cmake --build $dir -j2 --target kilde)"
  printf '%s\n' "$dir/kilde"
}

# Installs the Debian packages the benchmarks need, only if something is missing.
ensure_packages() {
  local need=()
  [[ -x $PG_BIN/postgres && -x $PG_BIN/pgbench ]] || need+=(postgresql-15)
  [[ -x $PG_BIN/psql ]] || need+=(postgresql-client-15)
  command -v wrk >/dev/null || need+=(wrk)
  command -v sqlite3 >/dev/null || need+=(sqlite3)
  command -v node >/dev/null || need+=(nodejs)
  command -v npm >/dev/null || need+=(npm)
  command -v python3 >/dev/null || need+=(python3)
  command -v curl >/dev/null || need+=(curl)
  [[ -x /usr/bin/time ]] || need+=(time)
  command -v runuser >/dev/null || need+=(util-linux)
  if ((${#need[@]})); then
    log "installing: ${need[*]}"
    [[ $(id -u) == 0 ]] || die "need root to apt-get install ${need[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  # Debian's postgresql package may start the distribution cluster; the benchmarks never use it.
}

# bench_tmpdir VAR NAME: a new temporary directory, in VAR, removed by bench_cleanup. Under
# $BENCH_TMP (default /tmp). Not for $(...): the directory must be registered in this shell.
bench_tmpdir() {
  local d
  d=$(mktemp -d "${BENCH_TMP:-/tmp}/kilde-bench-$2.XXXXXX")
  chmod 755 "$d"
  _bench_dirs+=("$d")
  printf -v "$1" '%s' "$d"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Stops a process this script started. Only a child of this shell is signalled, so a PID that was
# reused by someone else's process after ours ended is never touched.
stop_pid() {
  local pid=$1 i
  [[ $(ps -o ppid= -p "$pid" 2>/dev/null | tr -d ' ') == "$$" ]] || { wait "$pid" 2>/dev/null || true; return 0; }
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 1 100); do  # until it has exited (gone, or a zombie waiting for `wait`)
    [[ $(ps -o stat= -p "$pid" 2>/dev/null) == Z* || -z $(ps -o stat= -p "$pid" 2>/dev/null) ]] && break
    sleep 0.1
  done
  [[ $(ps -o stat= -p "$pid" 2>/dev/null) == Z* ]] || kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

bench_cleanup() {
  local pid d
  for pid in "${_bench_pids[@]}"; do stop_pid "$pid"; done
  _bench_pids=()
  pg_stop
  for d in "${_bench_dirs[@]}"; do rm -rf "$d"; done
  _bench_dirs=()
}

# ---------------------------------------------------------------- data

# Makes sure $1 is a CSV with $2 rows from gen_rows.py (kept between runs: same N, same bytes).
ensure_csv() {
  local file=$1 rows=$2
  if [[ -s $file && -s $file.rows && $(cat "$file.rows") == "$rows" ]]; then return; fi
  mkdir -p "$(dirname "$file")"
  log "generating $rows rows -> $file"
  python3 "$BENCH_DIR/gen_rows.py" "$rows" "$file.tmp"
  mv "$file.tmp" "$file"
  echo "$rows" > "$file.rows"
  chmod 644 "$file"
}

# Checks there are $2 MB free where $1 lives.
need_disk_mb() {
  local avail
  avail=$(df -Pm "$1" | awk 'NR==2 {print $4}')
  ((avail >= $2)) || die "$1 has $avail MB free; this needs about $2 MB"
}

# ---------------------------------------------------------------- kilde

# Starts `kilde serve --dev` on a free loopback port with data dir $2. Sets KILDE_PID, KILDE_URL and
# KILDE_TOKEN (a dev admin token for writes).
kilde_start() {
  local kilde=$1 data=$2 i
  shift 2
  "$kilde" serve --dev --listen 127.0.0.1:0 --data-dir "$data" --log-level warn "$@" >"$data.stdout" 2>"$data.stderr" &
  KILDE_PID=$!
  _bench_pids+=("$KILDE_PID")
  KILDE_URL=""
  for i in $(seq 1 300); do
    KILDE_URL=$(grep -o 'http://[0-9.:]*' "$data.stdout" 2>/dev/null | head -1) && [[ -n $KILDE_URL ]] && break
    kill -0 "$KILDE_PID" 2>/dev/null || { cat "$data.stderr" >&2; die "kilde serve exited"; }
    sleep 0.1
  done
  [[ -n $KILDE_URL ]] || die "kilde did not start (see $data.stderr)"
  KILDE_TOKEN=$("$kilde" token issue --data-dir "$data" --consumer 0192:958935420 --scope kilde:admin --ttl 1d) ||
    die "could not issue a dev token"
}

kilde_stop() { stop_pid "$KILDE_PID"; }

# Creates the product over HTTP on a running server.
kilde_create_product_http() {
  local schema
  schema=$(cat "$BENCH_DIR/schema.json")
  curl -sf -X POST "$KILDE_URL/api/v1/products" -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $KILDE_TOKEN" \
    --data-binary "{\"id\":\"$PRODUCT\",\"dataset\":\"$DATASET\",\"access_level\":\"public\",\"schema\":$schema}" >/dev/null ||
    die "could not create product $PRODUCT"
}

# A data dir with the demo catalog, the product and one edition from $3 (CLI ingest).
kilde_prepare_data_dir() {
  local kilde=$1 data=$2 csv=$3
  "$kilde" catalog import --data-dir "$data" --log-level warn "$REPO_DIR/demo/catalog.json" >/dev/null
  "$kilde" product create --data-dir "$data" --log-level warn --id "$PRODUCT" --dataset "$DATASET" \
    --schema "$BENCH_DIR/schema.json" --access-level "${ACCESS_LEVEL:-public}" >/dev/null
  "$kilde" ingest --data-dir "$data" --log-level warn "$PRODUCT" "$csv" >"$data.ingest.json"
}

# VmRSS and VmHWM of a process in MB: "rss hwm".
proc_mem_mb() {
  awk '/^VmRSS/ {r=$2} /^VmHWM/ {h=$2} END {printf "%.1f %.1f\n", r/1024, h/1024}' "/proc/$1/status" 2>/dev/null || echo "- -"
}

# CPU time (clock ticks, user + system) used so far by process $1, its reaped children and its live
# children (PostgreSQL's backends are children of the postmaster). Differences of two readings give
# the CPU a server spent on a run, which depends much less on other load than req/s does.
cpu_ticks() {
  local p total=0 t
  t=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $12 + $13 + $14 + $15}') || t=0
  total=$((total + ${t:-0}))
  for p in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    t=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}') || t=0
    total=$((total + ${t:-0}))
  done
  echo "$total"
}
pg_postmaster_pid() { head -1 "$_pg_data/postmaster.pid"; }

# ---------------------------------------------------------------- PostgreSQL

# A throwaway PostgreSQL 15 cluster in a temp dir, run as the postgres user (root cannot run
# postgres), on 127.0.0.1 and a free port. Sets PG_PORT and PSQL (a command array).
# Settings: see docs/benchmarks.md ("Fairness").
pg_start() {
  local dir
  bench_tmpdir dir pg
  chown postgres: "$dir"
  _pg_data=$dir/data
  PG_PORT=$(free_port)
  runuser -u postgres -- "$PG_BIN/initdb" -D "$_pg_data" -U postgres --auth=trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  cat >>"$_pg_data/postgresql.conf" <<EOF
# kilde bench/products settings
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$dir'
shared_buffers = 256MB
maintenance_work_mem = 256MB
max_connections = 100
# Prepared statements with a parameter (node's pg, pgbench -M prepared with \set) otherwise switch to
# a generic plan that bitmap-scans all ~20 000 index entries of a value (≈4 ms instead of ≈1 ms).
plan_cache_mode = force_custom_plan
# LIMIT without ORDER BY: scan from the table's start, so the 100 rows are those kilde returns.
synchronize_seqscans = off
# fsync, synchronous_commit, wal_level, work_mem: defaults (on, on, replica, 4MB)
EOF
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$_pg_data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
    { cat "$dir/server.log" >&2; die "postgres did not start"; }
  PSQL=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres)
  PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
}

pg_stop() {
  [[ -n $_pg_data && -d $_pg_data ]] || return 0
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$_pg_data" -m fast -w stop >/dev/null 2>&1 || true
  _pg_data=""
}

# The table for the benchmark rows: the same column types as kilde's schema.json.
PG_CREATE_TABLE="CREATE TABLE obs (id bigint NOT NULL, kommune text NOT NULL, bydel text NOT NULL,
  year integer NOT NULL, value numeric(12,2) NOT NULL, name text)"

# Loads $1 into a fresh table obs with an index on bydel and the primary key on id (not timed),
# then checkpoints.
pg_load() {
  "${PSQL[@]}" <<EOF
DROP TABLE IF EXISTS obs;
$PG_CREATE_TABLE;
\copy obs FROM '$1' WITH (FORMAT csv, HEADER true)
CREATE INDEX obs_bydel ON obs (bydel);
ALTER TABLE obs ADD PRIMARY KEY (id);
VACUUM ANALYZE obs;
-- Write the dirty pages now, not in the background while the next measurement runs.
CHECKPOINT;
EOF
}

# ---------------------------------------------------------------- parsing

# Converts wrk's latency like 812.00us / 3.39ms / 1.02s / 2.00m to milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.2f", n }'
}

# Reads a wrk --latency report on stdin; prints "req/s p50_ms p99_ms requests non2xx errors".
parse_wrk() {
  local rps p50 p99 reqs non2xx errors line
  rps=- p50=- p99=- reqs=- non2xx=0 errors=0
  while IFS= read -r line; do
    case $line in
      *Requests/sec:*) rps=$(awk '{printf "%.0f", $2}' <<<"$line") ;;
      *" 50% "*) p50=$(to_ms "$(awk '{print $2}' <<<"$line")") ;;
      *" 99% "*) p99=$(to_ms "$(awk '{print $2}' <<<"$line")") ;;
      *"requests in"*) reqs=$(awk '{print $1}' <<<"$line") ;;
      *Non-2xx*) non2xx=$(awk '{print $NF}' <<<"$line") ;;
      *"Socket errors"*) errors=$(grep -o '[0-9]\+' <<<"$line" | awk '{s += $1} END {print s + 0}') ;;
    esac
  done
  echo "$rps $p50 $p99 $reqs $non2xx $errors"
}

# Load and what else is running, to print with the results.
machine_note() {
  echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); load average $(cut -d' ' -f1-3 /proc/loadavg)"
}
