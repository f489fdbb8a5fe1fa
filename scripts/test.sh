#!/usr/bin/env bash
# `make test`: install what is missing and run every check and test.
# Stages: lint, unit (shared + server, SQLite and PostgreSQL when KABINET_TEST_PG_URL is set),
# e2e (browser tests against one release build). With an argument, only that stage.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
stage="${1:-all}"
started=$(date +%s)

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

# Everything the runners print is also kept, to add up one closing line at the end.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
exec > >(tee -a "$log") 2>&1

scripts/setup.sh test
# The build needs several GB; say how much there is, for a log that ends in a build error.
df -h . 2>/dev/null | tail -n 1 | awk '{print "disk: " $4 " free of " $2}' || true

if [ "$stage" = all ] || [ "$stage" = lint ]; then
  step "cargo fmt --check"
  cargo fmt --all -- --check
  step "clippy, server build (ssr)"
  cargo clippy -p shared -p app --features app/ssr -p server --all-targets -- -D warnings
  step "clippy, browser build (hydrate, wasm32)"
  cargo clippy -p frontend -p app --features app/hydrate --target wasm32-unknown-unknown -- -D warnings
fi

if [ "$stage" = all ] || [ "$stage" = unit ]; then
  if [ -n "${KABINET_TEST_PG_URL:-}" ]; then
    step "unit and integration tests (SQLite and PostgreSQL at ${KABINET_TEST_PG_URL%%@*}@…)"
  else
    step "unit and integration tests (SQLite; set KABINET_TEST_PG_URL for PostgreSQL too)"
  fi
  cargo test -p shared -p server
fi

if [ "$stage" = all ] || [ "$stage" = e2e ]; then
  step "release build for the browser tests (split into chunks, hashed names, precompressed)"
  if ! scripts/build.sh; then
    # Say what the machine had, then try once more: a second failure is reported as it is.
    echo "the release build failed; disk and memory at this moment:" >&2
    df -h . "${CARGO_TARGET_DIR:-target}" 2>/dev/null >&2 || true
    free -m >&2 || true
    step "release build, second attempt"
    scripts/build.sh
  fi
  # Sizes are deterministic: the download is held to its budgets here, not only by `make bench`.
  step "download budgets per route (bench/size-budget)"
  node scripts/budgets.mjs
  step "browser tests (Playwright, Debian chromium; JavaScript off and on)"
  (cd end2end && npx playwright test)
fi

passed=$({ grep -Eo 'test result: ok\. [0-9]+ passed' "$log" || true; } | awk '{s+=$4} END {print s+0}')
browser=$({ grep -Eo '^ *[0-9]+ passed' "$log" || true; } | awk '{s+=$1} END {print s+0}')
step "all tests passed in $(( $(date +%s) - started )) s (Rust: $passed, browser: $browser)"
echo "$((passed + browser)) passed, 0 failed"
