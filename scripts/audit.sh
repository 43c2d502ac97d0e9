#!/usr/bin/env bash
# Dependency audit with cargo-deny (rules in deny.toml): licences, banned
# crates, and that every crate comes from crates.io. Installs cargo-deny into
# the build folder the first time (from crates.io, pinned).
#
# Advisories (RustSec) need the advisory database from GitHub, which the build
# machines cannot reach; where it can be fetched, add `advisories` below.
set -euo pipefail
cd "$(dirname "$0")/.."

version=0.20.2
tools="${CARGO_TARGET_DIR:-$PWD/target}/tools"
deny="$tools/bin/cargo-deny"
if [[ "$("$deny" --version 2>/dev/null)" != "cargo-deny $version" ]]; then
  echo "installing cargo-deny $version into $tools ..."
  cargo install --locked --quiet --root "$tools" --version "$version" cargo-deny
fi
"$deny" --log-level warn check --hide-inclusion-graph licenses bans sources
