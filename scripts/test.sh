#!/usr/bin/env bash
# Runs every test of Wegwijs. Installs what the tests need first (nothing by hand).
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=lib/apt.sh
source scripts/lib/apt.sh
need_packages espeak-ng:espeak-ng opusenc:opus-tools # Telegram voice replies

echo "== build the wegwijs binary (tests drive it as a real process)"
cargo build -p server
echo "== cargo test (workspace, one integration-test binary)"
cargo test --workspace
echo "== knowledge base check"
cargo run -q -p server -- kb check | tail -n 3

echo "== dependency audit (cargo-deny: licences, bans, sources)"
bash scripts/audit.sh

if [[ -f scripts/browser-tests.sh ]]; then
  echo "== browser tests (headless Chromium)"
  bash scripts/browser-tests.sh
fi

if [[ -f scripts/api-fuzz.sh ]]; then
  echo "== API fuzzing from the OpenAPI document (schemathesis)"
  bash scripts/api-fuzz.sh
fi
