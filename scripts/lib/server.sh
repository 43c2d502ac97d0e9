# Sourced by the test scripts: a real `wegwijs serve` on a free loopback port
# with a fresh data directory, stopped (and the directory removed) on exit.
# Needs $wegwijs (the binary). Sets $data, $port, $base, $server_pid.
# Environment variables written before `start_server` apply to the server.

data=$(mktemp -d)
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$data"
}
trap cleanup EXIT

start_server() {
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  base="http://127.0.0.1:$port"
  "$wegwijs" serve --bind "127.0.0.1:$port" --data "$data/db" >"$data/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 150); do
    if python3 -c "import urllib.request; urllib.request.urlopen('$base/healthz', timeout=1)" 2>/dev/null; then return 0; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
    sleep 0.2
  done
  echo "the server did not start:"
  cat "$data/server.log"
  return 1
}
