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

if [[ ! -x /usr/bin/chromium ]]; then
  echo "== installing chromium (apt)"
  apt-get update
  apt-get install -y chromium chromium-driver
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "== installing node and npm (apt)"
  apt-get update
  apt-get install -y nodejs npm
fi

echo "== npm ci (tests/browser)"
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

echo "== cargo build -p server"
cargo build -q -p server

data=$(mktemp -d)
log="$data/server.log"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$data"
}
trap cleanup EXIT

port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
printf 'password123456\n' | "$wegwijs" supporter --data "$data/db" add tester --stats >/dev/null 2>&1
"$wegwijs" serve --bind "127.0.0.1:$port" --data "$data/db" >"$log" 2>&1 &
server_pid=$!

base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
  if node -e "fetch('$base/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" 2>/dev/null; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then echo "the server did not start:"; cat "$log"; echo "0 passed, 1 failed"; exit 1; fi
  sleep 0.2
done

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
if [[ $failed -ne 0 ]]; then echo "-- server log (last lines)"; tail -n 30 "$log"; fi
echo "$passed passed, $failed failed"
[[ $status -eq 0 && $failed -eq 0 ]]
