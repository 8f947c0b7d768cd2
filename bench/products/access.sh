#!/usr/bin/env bash
# Access benchmark (issue 4): the filtered query of query.sh — GET …/rows?bydel=eq.<value>&limit=100 —
# against a `non_public` product read through a grant with the audit log on (every response waits
# until its entry is durable), next to the same query on a `public` product (no token, no audit), in
# one run on one server. Target: non_public ≥ 80 % of public.
#
# The two alternate for ROUNDS rounds (public, then non_public, each DURATION) and the result is the
# median of the rounds' ratios: on a shared 2-core machine one pair of runs can differ by ±10 % from
# the next, and alternating keeps slow phases of the machine from landing on one side only.
#
# Usage: bench/products/access.sh [BUILD_DIR]          (default build)
# Env:   ROWS=1000000  DURATION=5s  ROUNDS=6  VALUE=Frogner  CONNECTIONS=32  OUT=bench/out/products
set -euo pipefail
source "$(dirname "$0")/lib.sh"
KILDE=$(kilde_bin "${1:-build}")
ROWS=${ROWS:-1000000}
DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-6}
VALUE=${VALUE:-Frogner}
CONNECTIONS=${CONNECTIONS:-32}
CSV=${CSV:-/tmp/kilde-bench-data/rows-$ROWS.csv}
OUT=${OUT:-$REPO_DIR/bench/out/products}
mkdir -p "$OUT"
trap bench_cleanup EXIT

ensure_packages
ensure_csv "$CSV" "$ROWS"
bench_tmpdir work access
enc_value=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$VALUE")
query="editions/latest/rows?bydel=eq.$enc_value&limit=100"

log "loading $ROWS rows twice: $PRODUCT (public) and ${PRODUCT}-np (non_public)"
data=$work/kilde
kilde_prepare_data_dir "$KILDE" "$data" "$CSV"
"$KILDE" product create --data-dir "$data" --log-level warn --id "${PRODUCT}-np" --dataset "$DATASET" \
  --schema "$BENCH_DIR/schema.json" --access-level non_public >/dev/null
"$KILDE" ingest --data-dir "$data" --log-level warn "${PRODUCT}-np" "$CSV" >/dev/null
# Two fresh 1 M-row loads leave hundreds of MB of dirty pages; written back during the runs they would
# stall the audit's syncs (and only those): flush them first, so both sides run on a settled disk.
sync
kilde_start "$KILDE" "$data"

# A consumer organisation (in the catalog, but not the dataset's publisher) and its grant: every
# column but `name`, only the rows of three bydeler, for a purpose on a legal basis.
CONSUMER=974778742
grant=$(curl -sf -X POST "$KILDE_URL/api/v1/products/${PRODUCT}-np/grants" -H "Authorization: Bearer $KILDE_TOKEN" \
  -H 'Content-Type: application/json' --data-binary @- <<EOF
{"grantee_orgnr": "$CONSUMER", "purpose": "Benchmark: statistikk over bydeler",
 "legal_basis": {"law": "Statistikkloven", "paragraph": "§ 10", "url": "https://lovdata.no/lov/2019-06-21-32/§10"},
 "columns": ["id", "kommune", "bydel", "year", "value"],
 "row_filter": "bydel=in.($VALUE,Alna,Sagene)", "personal_data": "hidden"}
EOF
) || die "could not create the grant"
grant_id=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])' <<<"$grant")
token=$("$KILDE" token issue --data-dir "$data" --consumer "0192:$CONSUMER" --scope kilde:read --ttl 1d)

public_url="$KILDE_URL/api/v1/products/$PRODUCT/$query"
granted_url="$KILDE_URL/api/v1/products/${PRODUCT}-np/$query"
# The same rows, less the column the grant leaves out; and no token, no data.
p_rows=$(curl -sf "$public_url" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["items"]))')
g_body=$(curl -sf -H "Authorization: Bearer $token" "$granted_url")
g_rows=$(python3 -c 'import json, sys; d = json.load(sys.stdin)["items"]; assert all("name" not in r for r in d); print(len(d))' <<<"$g_body")
anon=$(curl -s -o /dev/null -w '%{http_code}' "$granted_url")
[[ $p_rows == 100 && $g_rows == 100 && $anon == 401 ]] || die "unexpected: public $p_rows rows, granted $g_rows rows, anonymous $anon"
entries_before=$("$KILDE" audit verify --data-dir "$data" | awk '{print $4}')

results=$OUT/access.raw
: >"$results"
run() {  # name url [header]
  local name=$1 url=$2 args=()
  [[ -n ${3:-} ]] && args=(-H "$3")
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "${args[@]}" "$url" >"$OUT/access-$name.wrk.txt"
  echo "$name $(parse_wrk <"$OUT/access-$name.wrk.txt")" >>"$results"
  log "$name: $(tail -1 "$results")"
}
wrk -t2 -c"$CONNECTIONS" -d2s "$public_url" >/dev/null  # warm-up
wrk -t2 -c"$CONNECTIONS" -d2s -H "Authorization: Bearer $token" "$granted_url" >/dev/null
for round in $(seq 1 "$ROUNDS"); do
  run "public-$round" "$public_url"
  run "non_public_grant_audit-$round" "$granted_url" "Authorization: Bearer $token"
done
batches=$(curl -sf "$KILDE_URL/metrics" | awk '/^kilde_audit_batches_total/ {print $2}')

entries_after=$("$KILDE" audit verify --data-dir "$data" | awk '{print $4}')
kilde_stop

python3 - "$results" "$entries_before" "$entries_after" "$grant_id" "$(machine_note)" "$DURATION" "$CONNECTIONS" "$batches" <<'EOF'
import statistics, sys
raw, before, after, grant, note, duration, conns, batches = sys.argv[1:9]
runs = {}
for line in open(raw):
    name, rps, p50, p99, reqs, non2xx, errors = line.split()
    runs[name] = dict(rps=int(rps), p50=p50, p99=p99, reqs=int(reqs), non2xx=int(non2xx), errors=int(errors))
rounds = sorted({int(n.rsplit("-", 1)[1]) for n in runs})
print(f"Access benchmark ({note}; wrk -t2 -c{conns} -d{duration}, {len(rounds)} alternating rounds)")
print()
print("| round | public req/s | public p99 | non_public + grant + audit req/s | p50 | p99 | ratio |")
print("|---:|---:|---:|---:|---:|---:|---:|")
ratios = []
for r in rounds:
    p, g = runs[f"public-{r}"], runs[f"non_public_grant_audit-{r}"]
    ratios.append(g["rps"] / p["rps"])
    print(f"| {r} | {p['rps']:,} | {p['p99']} ms | {g['rps']:,} | {g['p50']} ms | {g['p99']} ms | {100 * ratios[-1]:.0f} % |"
          .replace(",", " "))
bad = sum(x["non2xx"] + x["errors"] for x in runs.values())
print()
print(f"non_public + grant + audit = {100 * statistics.median(ratios):.0f} % of public (median of the rounds; "
      f"min {100 * min(ratios):.0f} %, max {100 * max(ratios):.0f} %; target ≥ 80 %); non-2xx or errors: {bad}")
entries = int(after) - int(before)
print(f"audit entries written during the runs: {entries:,} (grant {grant}); every answered request of the "
      "non-public runs (and their warm-up) has one".replace(",", " "))
if batches:
    print(f"audit transactions: {int(float(batches)):,}, {entries / max(1, int(float(batches))):.1f} entries per fsync"
          .replace(",", " "))
EOF
