#!/usr/bin/env bash
# The release build, the one way every script makes it (`make build`, `make run`, `make test`,
# the benchmarks): the server and the browser's WASM, split into the shell and the chunks of
# the lazily loaded pages (--split, app/src/lazy.rs), with .br/.gz copies beside every static
# file (--precompress) for the server to send as they are.
# It then checks in cargo's log that the WASM crate was built with LTO (`-C lto` on the
# `frontend` rustc line): cargo silently drops LTO for a crate that is also an rlib.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
mkdir -p target
log=target/release-build.log
# cargo --verbose prints the WASM build's rustc command lines: they go to the log, the rest to the screen.
status=0
RUST_BACKTRACE=0 RUST_LIB_BACKTRACE=0 cargo leptos build --release --split --precompress --lib-cargo-args=--verbose "$@" 2>&1 |
  tee "$log" | grep --line-buffered -v -E '^\s+Running `' || status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] || exit "$status"
# A build with nothing to do prints no rustc line; the last real one is kept beside the log.
line=$(grep -E 'Running `.*rustc --crate-name frontend .*wasm32-unknown-unknown' "$log" | tail -n 1 || true)
if [ -n "$line" ]; then
  printf '%s\n' "$line" >target/frontend-rustc.txt
fi
if [ ! -s target/frontend-rustc.txt ]; then
  echo "build: no rustc line for the frontend crate in $log" >&2
  exit 1
fi
if ! grep -q -- '-C lto' target/frontend-rustc.txt; then
  echo "build: the frontend crate was built without LTO (no '-C lto' in its rustc line, see $log)" >&2
  exit 1
fi
echo "build: the WASM was built with LTO ('-C lto' on the frontend's rustc line)"
