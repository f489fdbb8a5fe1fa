#!/usr/bin/env bash
# The size of what a browser downloads. First the budgets per route (scripts/budgets.mjs: the
# sign-in page's shell, the main page with its chunks, every chunk), then what the release
# server actually sends for the sign-in page and the signed-in main page to a browser that
# accepts brotli: HTML, CSS, the shell's scripts and WASM, and the main page's chunks (read
# from the preload links the server puts in the page), with the Content-Encoding it chose.
# Usage: bench/size.sh   (builds the release first when it is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh bench >/dev/null
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
binary=target/release/kabinet
if [ ! -s target/release/hash.txt ] || [ ! -x "$binary" ]; then
  scripts/build.sh >&2
fi

status=0
node scripts/budgets.mjs ${KABINET_BENCH_SUMMARY:+--summary "$KABINET_BENCH_SUMMARY"} || status=1

dir=$(mktemp -d)
port=3918
url="http://127.0.0.1:$port"
(
  export KABINET_DATA_DIR="$dir" KABINET_ENV=development KABINET_LISTEN="127.0.0.1:$port" \
    KABINET_PUBLIC_URL="$url" RUST_LOG=warn
  "$binary" demo --accounts 30 --months 12 --if-empty >/dev/null 2>&1
  exec "$binary" serve >"$dir/log" 2>&1
) &
server=$!
trap 'kill $server 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 300); do
  curl -fsS "$url/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS -c "$dir/cookies" -H 'Accept: application/json' \
  --data 'by=phone&login=%2B79000000001&password=Demo-2026%21' "$url/api/auth/sign_in" >/dev/null

# Bytes on the wire for one address, as a browser accepting brotli and gzip gets it.
served() { curl -s -o /dev/null -b "$dir/cookies" -H 'Accept-Encoding: br, gzip' -w '%{size_download}' "$url$1"; }
encoding() {
  curl -s -o /dev/null -D - -b "$dir/cookies" -H 'Accept-Encoding: br, gzip' "$url$1" |
    awk -F': ' 'tolower($1) == "content-encoding" { gsub(/\r/, "", $2); print $2 }'
}
# What a page makes the browser fetch: its stylesheet, scripts and WASM (the preload links).
assets() {
  curl -s -b "$dir/cookies" "$url$1" | grep -oE '(href|src)="/pkg/[^"]+"' | sed -E 's/^(href|src)="//; s/"$//' | sort -u
}
page() { # label path
  local total html files f
  html=$(served "$2")
  total=$html
  files=$(assets "$2")
  for f in $files; do total=$((total + $(served "$f"))); done
  printf '%-44s %9d bytes (HTML %d, %d files from /pkg; WASM sent as %s)\n' "$1" "$total" "$html" \
    "$(printf '%s\n' $files | grep -c .)" "$(encoding "$(printf '%s\n' $files | grep -m1 '\.wasm$')")"
  if [ -n "${KABINET_BENCH_SUMMARY:-}" ]; then
    printf '%s, as served (HTML, CSS, JS, WASM)\t%d bytes\t\t\n' "$1" "$total" >>"$KABINET_BENCH_SUMMARY"
  fi
}
echo
echo "As served by the release server (Accept-Encoding: br, gzip):"
page "sign-in page /login" /login
page "signed-in main page /" /
exit $status
