#!/usr/bin/env bash
# `make run`: install what is missing, build the release, serve the portal in development
# mode (development outbox at /dev/outbox) on the SQLite database under ./data.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

scripts/setup.sh run
echo "==> release build (scripts/build.sh)"
scripts/build.sh

export KABINET_ENV="${KABINET_ENV:-development}"
export KABINET_LISTEN="${KABINET_LISTEN:-127.0.0.1:3000}"
export KABINET_DATA_DIR="${KABINET_DATA_DIR:-./data}"
echo "==> demo data (generated once; \`target/release/kabinet demo\` regenerates it)"
target/release/kabinet demo --accounts "${KABINET_DEMO_ACCOUNTS:-300}" --if-empty
echo "==> starting Kabinet on http://$KABINET_LISTEN (Ctrl-C stops it)"
echo "    messages the portal sends are shown at http://$KABINET_LISTEN/dev/outbox"
exec target/release/kabinet serve
