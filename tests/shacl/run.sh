#!/usr/bin/env bash
# SHACL validation of kilde's RDF exports (ctest: shacl_exports).
#
# Usage: tests/shacl/run.sh KILDE_BINARY SOURCE_DIR
#
# For each input catalogue (SOURCE_DIR/demo/catalog.json and this directory's
# fixture_catalog.json, which uses every field of every kind) it imports the file into
# a fresh data dir with `kilde catalog import`, exports datasets / concepts /
# public-services as Turtle and JSON-LD (and, to cover every writer, N-Triples and
# RDF/XML) with `kilde catalog export`, and validates
#   datasets        against DCAT-AP-NO-shacl_shapes_2.00.ttl
#   concepts        against SKOS-AP-NO-Begrep-shape_shape_v2.ttl
#   public-services against CPSV-AP-NO_shacl_shapes_v1.ttl
# with validate.mjs (data graph = export + the vocabularies in ../shared/data/vocab, as
# Digdir's validator expands them). As a check that validation can fail at all, the
# validator must reject rdf-examples/validator_invalid_catalog_missing_mandatory.ttl.
#
# Exit: 0 all passed; 1 something failed; 77 (ctest SKIP_RETURN_CODE) when
# SOURCE_DIR/../shared/data is absent. Needs node and `npm ci` here (make test-deps).
set -uo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 KILDE_BINARY SOURCE_DIR" >&2
  exit 2
fi
KILDE=$1
SOURCE_DIR=$(cd "$2" && pwd)
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DATA="$SOURCE_DIR/../shared/data"

if [[ ! -d "$DATA" ]]; then
  echo "SKIP: ../shared/data not found; SHACL validation of the exports skipped"
  exit 77
fi
DATA=$(cd "$DATA" && pwd)
if ! command -v node >/dev/null 2>&1; then
  echo "FAIL: node not found (run: make test-deps)"
  exit 1
fi
if [[ ! -d "$HERE/node_modules/rdf-validate-shacl" ]]; then
  echo "FAIL: $HERE/node_modules is missing (run: make test-deps, or npm ci in tests/shacl)"
  exit 1
fi
if [[ ! -x "$KILDE" ]]; then
  echo "FAIL: kilde binary $KILDE not found or not executable"
  exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kilde-shacl.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok: $1"; }
fail() { failed=$((failed + 1)); echo "FAILED: $1"; }

declare -A SHAPES=(
  [datasets]="$DATA/shacl/DCAT-AP-NO-shacl_shapes_2.00.ttl"
  [concepts]="$DATA/shacl/SKOS-AP-NO-Begrep-shape_shape_v2.ttl"
  [public-services]="$DATA/shacl/CPSV-AP-NO_shacl_shapes_v1.ttl"
)
declare -A ONTOLOGIES=(
  [datasets]="$DATA/shacl/dcat-ap-no_ontologies.ttl"
  [concepts]="$DATA/shacl/skos-ap-no-begrep_ontologies.ttl"
  [public-services]="$DATA/shacl/cpsv-ap-no_ontologies.ttl"
)
declare -A EXT=([turtle]=ttl [jsonld]=jsonld [ntriples]=nt [rdfxml]=rdf)

validate() {  # validate LABEL KIND FILE... [--expect-fail first]
  local label=$1 kind=$2
  shift 2
  if node "$HERE/validate.mjs" --shapes "${SHAPES[$kind]}" --ontologies "${ONTOLOGIES[$kind]}" \
      --vocab "$DATA/vocab" "$@"; then
    pass "$label"
  else
    fail "$label"
  fi
}

export_and_validate() {  # export_and_validate NAME INPUT_JSON
  local name=$1 input=$2
  local dir="$TMP/$name"
  mkdir -p "$dir/data"
  echo "== $name: kilde catalog import $input"
  if ! "$KILDE" catalog import "$input" --data-dir "$dir/data"; then
    fail "$name: kilde catalog import"
    return
  fi
  local kind fmt out
  for kind in datasets concepts public-services; do
    local files=()
    for fmt in turtle jsonld ntriples rdfxml; do
      out="$dir/$kind.${EXT[$fmt]}"
      if "$KILDE" catalog export --kind "$kind" --format "$fmt" --data-dir "$dir/data" --out "$out" &&
          [[ -f "$out" ]]; then
        files+=("$out")
      else
        fail "$name: kilde catalog export --kind $kind --format $fmt (no output)"
      fi
    done
    if [[ ${#files[@]} -gt 0 ]]; then
      echo "== $name: validating $kind"
      validate "$name: $kind exports valid against $(basename "${SHAPES[$kind]}")" "$kind" "${files[@]}"
    fi
  done
}

echo "== sanity: the validator must reject a catalogue that lacks mandatory properties"
validate "validator rejects validator_invalid_catalog_missing_mandatory.ttl" datasets --expect-fail \
  "$DATA/rdf-examples/validator_invalid_catalog_missing_mandatory.ttl"

if [[ -f "$SOURCE_DIR/demo/catalog.json" ]]; then
  export_and_validate demo "$SOURCE_DIR/demo/catalog.json"
else
  fail "demo: $SOURCE_DIR/demo/catalog.json not found"
fi
export_and_validate fixture "$HERE/fixture_catalog.json"

echo "shacl: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
