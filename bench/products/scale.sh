#!/usr/bin/env bash
# Scale benchmark (issue 3): a ROWS-row edition (default 10 000 000). Generates the CSV, ingests it
# with `kilde ingest` (timed, peak RSS), starts `kilde serve`, and samples the server's VmRSS/VmHWM
# (/proc/PID/status, every 0.2 s) while
#   1. idle,
#   2. wrk runs the filtered query through all 50 bydel values for DURATION,
#   3. one full CSV download: GET …/editions/latest/download?format=csv (→ MB/s),
#   4. the download again while wrk runs the queries.
# Target: server RSS < 200 MB throughout. If the download route answers 404 (not built yet) the
# script says "download endpoint not available" and reports the rest.
#
# Usage: bench/products/scale.sh [BUILD_DIR]          (default build)
# Env:   ROWS=10000000  DURATION=10s  CSV=/tmp/kilde-bench-data/rows-$ROWS.csv  OUT=bench/out/products
#        KEEP_CSV=1 (default; the CSV is reused by later runs)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
KILDE=$(kilde_bin "${1:-build}")
ROWS=${ROWS:-10000000}
DURATION=${DURATION:-10s}
CSV=${CSV:-/tmp/kilde-bench-data/rows-$ROWS.csv}
OUT=${OUT:-$REPO_DIR/bench/out/products}
LIMIT_MB=200
mkdir -p "$OUT"
trap bench_cleanup EXIT

ensure_packages
# CSV ≈ 51 MB per million rows; kilde's data dir ≈ 90 MB per million.
need_disk_mb /tmp $((ROWS / 1000000 * 150 + 500))
t0=$(date +%s.%N)
ensure_csv "$CSV" "$ROWS"
gen_s=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
csv_mb=$(awk -v b="$(stat -c %s "$CSV")" 'BEGIN {printf "%.1f", b / 1e6}')
note="$(machine_note); $("$KILDE" version)"
log "scale: $ROWS rows, $csv_mb MB; $note"

# ------------------------------------------------------------------ ingest
bench_tmpdir work scale
data=$work/data
mkdir -p "$data"
"$KILDE" catalog import --data-dir "$data" --log-level warn "$REPO_DIR/demo/catalog.json" >/dev/null
"$KILDE" product create --data-dir "$data" --log-level warn --id "$PRODUCT" --dataset "$DATASET" \
  --schema "$BENCH_DIR/schema.json" >/dev/null
log "ingesting"
/usr/bin/time -f '%e %M' -o "$work/ingest.time" "$KILDE" ingest --data-dir "$data" --log-level warn \
  "$PRODUCT" "$CSV" >"$work/ingest.json"
read -r ingest_s ingest_kb <"$work/ingest.time"
ingest_mb=$((ingest_kb / 1024))
stored=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["row_count"])' "$work/ingest.json")
[[ $stored == "$ROWS" ]] || die "kilde stored $stored rows"
store_mb=$(du -sm "$data" | awk '{print $1}')
log "  ingest: $ingest_s s, peak RSS $ingest_mb MB, store $store_mb MB"

# ------------------------------------------------------------------ serve + sample memory
kilde_start "$KILDE" "$data"
python3 "$BENCH_DIR/gen_rows.py" --bydeler >"$work/bydeler.txt"
samples=$work/mem.samples
phase=idle
echo idle >"$work/phase"
(
  # Bounded: at most one hour of samples; stops when the phase file is removed.
  for _ in $(seq 1 18000); do
    [[ -f $work/phase ]] || break
    echo "$(cat "$work/phase" 2>/dev/null) $(proc_mem_mb "$KILDE_PID")" >>"$samples"
    sleep 0.2
  done
) &
sampler=$!
_bench_pids+=("$sampler")
set_phase() { echo "$1" >"$work/phase"; log "phase: $1"; }

sleep 2
set_phase queries
export PATH_PREFIX="$ROWS_PREFIX?bydel=eq." PATH_SUFFIX="&limit=100" BYDEL_FILE=$work/bydeler.txt
wrk -t2 -c32 -d"$DURATION" --latency -s "$BENCH_DIR/rotate.lua" "$KILDE_URL$ROWS_PREFIX" >"$OUT/scale-queries.wrk.txt"
read -r q_rps q_p50 q_p99 _ q_non2xx q_err < <(parse_wrk <"$OUT/scale-queries.wrk.txt")
log "  queries: $q_rps req/s, p50 $q_p50 ms, p99 $q_p99 ms"

download_url="$KILDE_URL/api/v1/products/$PRODUCT/editions/latest/download?format=csv"
download() {  # prints "http_code bytes seconds"; the body's line count goes to $work/dl.lines
  rm -f "$work/dl.lines"
  curl -s -o >(wc -l >"$work/dl.lines") --max-time 900 -w '%{http_code} %{size_download} %{time_total}\n' \
    "$download_url" || echo "000 0 0"
}
download_rows() {  # data rows in the last download (lines - header)
  for _ in $(seq 1 100); do [[ -s $work/dl.lines ]] && break; sleep 0.1; done
  echo $(($(cat "$work/dl.lines" 2>/dev/null || echo 1) - 1))
}
set_phase download
read -r d_code d_bytes d_s < <(download)
dl_note=""
if [[ $d_code == 200 ]]; then
  d_mbs=$(awk -v b="$d_bytes" -v s="$d_s" 'BEGIN {printf "%.1f", b / 1e6 / s}')
  d_rows=$(download_rows)
  log "  download: $d_bytes bytes, $d_rows rows in $d_s s = $d_mbs MB/s"
  [[ $d_rows == "$ROWS" ]] || log "  warning: the download has $d_rows rows, the edition $ROWS"
  set_phase download+queries
  wrk -t2 -c32 -d"$DURATION" --latency -s "$BENCH_DIR/rotate.lua" "$KILDE_URL$ROWS_PREFIX" >"$OUT/scale-mixed.wrk.txt" &
  wrk_pid=$!
  _bench_pids+=("$wrk_pid")
  read -r d2_code d2_bytes d2_s < <(download)
  wait "$wrk_pid" || true
  read -r m_rps m_p50 m_p99 _ < <(parse_wrk <"$OUT/scale-mixed.wrk.txt")
  d2_mbs=$(awk -v b="$d2_bytes" -v s="$d2_s" 'BEGIN {printf "%.1f", (s > 0 ? b / 1e6 / s : 0)}')
  log "  download under query load: $d2_code, $d2_mbs MB/s; queries meanwhile $m_rps req/s"
elif [[ $d_code == 404 ]]; then
  dl_note="download endpoint not available (GET …/download answered 404 with this build)"
  log "  $dl_note"
else
  dl_note="download failed: HTTP $d_code after $d_s s"
  log "  $dl_note"
fi
sleep 1
set_phase end
sleep 0.5
rm -f "$work/phase"
wait "$sampler" 2>/dev/null || true
final=$(proc_mem_mb "$KILDE_PID")

# ------------------------------------------------------------------ summary
peak() { awk -v p="$1" '$1 == p && $2 != "-" {if ($2 > m) m = $2} END {printf "%.1f", m}' "$samples"; }
max_rss=$(awk '$2 != "-" {if ($2 > m) m = $2} END {printf "%.1f", m}' "$samples")
hwm=$(awk '{print $2}' <<<"$final")
{
  echo "### Scale: $ROWS rows ($csv_mb MB CSV)"
  echo
  echo "$note."
  echo
  echo "| step | result | server VmRSS (max sampled) |"
  echo "|---|---|---:|"
  echo "| generate CSV (\`gen_rows.py\`; 0 s = reused) | $gen_s s | – |"
  echo "| \`kilde ingest\` (CLI) | $ingest_s s ($(awk -v n="$ROWS" -v t="$ingest_s" 'BEGIN {printf "%.0f", n / t}') rows/s), peak RSS $ingest_mb MB, store $store_mb MB | – |"
  echo "| idle after start | | $(peak idle) MB |"
  echo "| wrk filtered query, 50 values, $DURATION | $q_rps req/s, p50 $q_p50 ms, p99 $q_p99 ms$([[ $q_non2xx == 0 && $q_err == 0 ]] || echo ", $q_non2xx non-2xx, $q_err socket errors") | $(peak queries) MB |"
  if [[ $d_code == 200 ]]; then
    echo "| full CSV download ($d_rows rows) | $(awk -v b="$d_bytes" 'BEGIN {printf "%.1f", b / 1e6}') MB in $(printf '%.2f' "$d_s") s = **$d_mbs MB/s** | $(peak download) MB |"
    echo "| download + wrk together | download $d2_mbs MB/s (HTTP $d2_code); queries $m_rps req/s, p99 $m_p99 ms | $(peak download+queries) MB |"
  else
    echo "| full CSV download | $dl_note | – |"
  fi
  echo
  verdict=$(awk -v r="$max_rss" -v h="$hwm" -v l="$LIMIT_MB" 'BEGIN {print (r < l && h < l ? "met" : "missed")}')
  echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "Server memory: max sampled VmRSS $max_rss MB, VmHWM at the end $hwm MB. Target RSS < $LIMIT_MB MB: **$verdict**$([[ $d_code == 200 ]] || echo " (without the download)")."
} | tee "$OUT/scale.md"
