#!/usr/bin/env bash
# Installs what Kabinet needs to build, run and test, from crates.io, npm and Debian only.
# Idempotent: every step checks first and does nothing when its tool is already there.
# Usage: scripts/setup.sh run   # what `make run` needs
#        scripts/setup.sh test  # what `make test` needs (adds chromium, zbar, poppler, npm deps)
#        scripts/setup.sh bench # what `make bench` needs (adds brotli, wrk, oha, chromium, Lighthouse)
set -euo pipefail

CARGO_LEPTOS_VERSION=0.3.11
WASM_BINDGEN_VERSION=0.2.130
BINARYEN_VERSION=132.0.0
# The open-loop load generator of bench/load.sh (builds with rustc 1.95 from its lockfile).
OHA_VERSION=1.16.0
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$CARGO_BIN:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
need_root() { if [ "$(id -u)" -ne 0 ]; then echo sudo; fi; }

apt_updated=0
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ $apt_updated -eq 0 ]; then
    say "apt-get update"
    $(need_root) apt-get update -qq
    apt_updated=1
  fi
  say "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $(need_root) apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

ensure_wasm_target() {
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then return 0; fi
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
}

# Builds a crate from its crates.io source after pinning one dependency of its lockfile.
# (Both tools' published lockfiles name versions this toolchain or registry cannot use.)
install_pinned() {
  local crate=$1 version=$2 dep=$3 dep_version=$4 features=$5
  local work
  work=$(mktemp -d)
  say "building $crate $version from crates.io (once per machine)"
  # `cargo install` fails on the published lockfile, but leaves the crate in the registry cache.
  cargo install "$crate" --version "$version" --locked --features "$features" >/dev/null 2>&1 || true
  local archive
  archive=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/"$crate-$version.crate" 2>/dev/null | head -n 1 || true)
  if [ -z "$archive" ]; then
    # The first attempt may have succeeded after all.
    if "$CARGO_BIN/$6" --version 2>/dev/null | grep -q "$version"; then rm -rf "$work"; return 0; fi
    echo "could not fetch $crate $version from crates.io" >&2
    exit 1
  fi
  tar -xzf "$archive" -C "$work"
  (
    cd "$work/$crate-$version"
    cargo update -p "$dep" --precise "$dep_version"
    cargo install --path . --locked --features "$features"
  )
  rm -rf "$work"
}

ensure_cargo_leptos() {
  if cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then return 0; fi
  install_pinned cargo-leptos "$CARGO_LEPTOS_VERSION" cargo-util-schemas 0.14.1 no_downloads cargo-leptos
}

ensure_wasm_bindgen() {
  if wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then return 0; fi
  install_pinned wasm-bindgen-cli "$WASM_BINDGEN_VERSION" webpki-roots 1.0.10 "" wasm-bindgen
}

ensure_wasm_opt() {
  # Debian's binaryen (wasm-opt 108) produces WASM that fails to hydrate; use npm's build.
  if wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then return 0; fi
  if dpkg -s binaryen >/dev/null 2>&1; then
    say "removing Debian's binaryen (too old for the WASM we build)"
    $(need_root) apt-get remove -y -qq binaryen
  fi
  say "npm install -g binaryen@$BINARYEN_VERSION"
  $(need_root) npm install -g --no-audit --no-fund "binaryen@$BINARYEN_VERSION"
}

ensure_run_tools() {
  apt_install pkg-config
  # A C compiler links Rust programs and builds the bundled SQLite.
  command -v cc >/dev/null 2>&1 || apt_install gcc libc6-dev
  # Node and npm run wasm-opt (npm's binaryen) and the browser tests.
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_wasm_opt
  ensure_cargo_leptos
}

# end2end's npm packages (Playwright, Lighthouse); never a browser download.
ensure_end2end_packages() {
  if [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ] \
    || [ ! -d "$ROOT/end2end/node_modules/lighthouse" ] \
    || [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.package-lock.json" ]; then
    say "npm ci in end2end/"
    (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 \
      npm ci --no-audit --no-fund)
  fi
}

ensure_test_tools() {
  ensure_run_tools
  # brotli: the test run checks the WASM's size against bench/size-budget.
  apt_install chromium zbar-tools poppler-utils brotli
  ensure_end2end_packages
}

ensure_oha() {
  if oha --version 2>/dev/null | grep -q "$OHA_VERSION"; then return 0; fi
  say "cargo install oha $OHA_VERSION (once per machine, about 6 minutes)"
  cargo install oha --version "$OHA_VERSION" --locked
}

# What `make bench` needs beyond the build: compressors for the size budget, the load tools
# (wrk closed loop, oha open loop), jq for their reports, sqlite3 and psql to prepare the
# databases, chromium and Lighthouse for the page scores.
ensure_bench_tools() {
  ensure_run_tools
  apt_install brotli gzip curl wrk jq sqlite3 postgresql-client chromium
  ensure_oha
  ensure_end2end_packages
}

case "${1:-}" in
  run) ensure_run_tools ;;
  test) ensure_test_tools ;;
  bench) ensure_bench_tools ;;
  *) echo "usage: $0 run|test|bench" >&2; exit 2 ;;
esac
