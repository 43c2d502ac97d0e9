# Debian packages the tests need, installed with apt-get only when their
# program is missing (non-interactive, `apt-get update` first). Source this
# file, then name program:package pairs:
#   need_packages espeak-ng:espeak-ng opusenc:opus-tools
# Without apt-get (not Debian) it only says what is missing; tests that need
# the programs fail in CI (CI=true) and say they are skipped elsewhere.
need_packages() {
  local pair missing=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  ((${#missing[@]} == 0)) && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "!! missing ${missing[*]} and no apt-get here: install them by hand" >&2
    return 0
  fi
  echo "== installing ${missing[*]} (apt)"
  DEBIAN_FRONTEND=noninteractive apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}
