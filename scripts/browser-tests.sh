#!/usr/bin/env bash
# Browser tests of the widget and the console: a real `wegwijs serve` on a free
# loopback port, driven by playwright-core in Debian's headless Chromium.
# Installs what it needs (Chromium from apt, npm packages from the lock file).
# Prints `N passed, M failed` last; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
# The binary cargo builds (CARGO_TARGET_DIR moves it).
wegwijs="${CARGO_TARGET_DIR:-$(pwd)/target}/debug/wegwijs"
root=$(pwd)

# shellcheck source=lib/apt.sh
source scripts/lib/apt.sh
need_packages chromium:chromium chromedriver:chromium-driver node:nodejs npm:npm

echo "== npm ci (tests/browser)"
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

echo "== cargo build -p server"
cargo build -q -p server

# shellcheck source=lib/server.sh
source scripts/lib/server.sh
printf 'password123456\n' | "$wegwijs" supporter --data "$data/db" add tester --stats >/dev/null 2>&1
start_server || { echo "0 passed, 1 failed"; exit 1; }

echo "== node --test (tests/browser) against $base"
out="$data/node-test.out"
set +e
(cd tests/browser && WEGWIJS_URL="$base" WEGWIJS_SUPPORTER=tester WEGWIJS_PASSWORD=password123456 \
  WEGWIJS_SCREENSHOTS="$root/target/browser-screenshots" \
  node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$out" ./*.test.js)
status=$?
set -e
passed=$(grep -E '^# pass ' "$out" | awk '{print $3}' || true)
failed=$(grep -E '^# fail ' "$out" | awk '{print $3}' || true)
passed=${passed:-0}
failed=${failed:-0}
if [[ $status -ne 0 && $failed -eq 0 ]]; then failed=1; fi
if [[ $failed -ne 0 ]]; then echo "-- server log (last lines)"; tail -n 30 "$data/server.log"; fi
echo "$passed passed, $failed failed"
[[ $status -eq 0 && $failed -eq 0 ]]
