#!/usr/bin/env bash
# Installs every Debian package kilde needs to build, run and test. Idempotent: packages
# already present are skipped, and `apt-get update` runs only when something is missing.
# Usage: scripts/install-deps.sh [--test]   (--test adds what the test suite needs)
set -euo pipefail

BUILD_PKGS=(
  build-essential cmake pkg-config ca-certificates curl
  libboost-dev            # Boost.Beast / Asio (HTTP server)
  libsqlite3-dev sqlite3  # embedded store
  libssl-dev              # OpenSSL 3 (hashes, signatures)
  nlohmann-json3-dev      # JSON
  libspdlog-dev libfmt-dev  # structured logs
  libcli11-dev            # CLI
  libtomlplusplus-dev     # config file
  libserd-dev serdi       # RDF serialisation
  libgtest-dev libgmock-dev  # unit tests (built with the project)
)
TEST_PKGS=(
  nodejs npm              # SHACL validation (rdf-validate-shacl) of the RDF exports
)

want=("${BUILD_PKGS[@]}")
if [[ "${1:-}" == "--test" ]]; then
  want+=("${TEST_PKGS[@]}")
fi

missing=()
for p in "${want[@]}"; do
  case "$p" in
    nodejs|npm)  # a Node.js from elsewhere (e.g. nvm) is fine too
      command -v "${p/nodejs/node}" >/dev/null 2>&1 && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#want[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
