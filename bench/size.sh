#!/usr/bin/env bash
# The size of what a browser downloads: the release WASM, its JS glue and the CSS (raw, gzip
# -9, brotli -q 11), and the bytes of the sign-in page's critical path (HTML, CSS, JS, WASM,
# brotli). Fails when the WASM's brotli size is over the budget in bench/size-budget.
# Usage: bench/size.sh   (builds the release first when it is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh bench >/dev/null
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
pkg=target/site/pkg
binary=target/release/kabinet
if [ ! -s "$pkg/kabinet.wasm" ] || [ ! -x "$binary" ]; then
  scripts/build.sh >&2
fi

gz() { gzip -9 -c "$1" | wc -c; }
br() { brotli -q 11 -c "$1" | wc -c; }

printf '%-14s %10s %10s %10s\n' file raw gzip brotli
for f in kabinet.wasm kabinet.js kabinet.css; do
  printf '%-14s %10d %10d %10d\n' "$f" "$(wc -c <"$pkg/$f")" "$(gz "$pkg/$f")" "$(br "$pkg/$f")"
done

# The sign-in page as served (HTML), on a server of its own.
dir=$(mktemp -d)
port=3918
KABINET_DATA_DIR="$dir" KABINET_LISTEN="127.0.0.1:$port" RUST_LOG=warn "$binary" serve >"$dir/log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 50); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/login" -o "$dir/login.html"
printf '%-14s %10d %10d %10d\n' "login.html" "$(wc -c <"$dir/login.html")" "$(gz "$dir/login.html")" "$(br "$dir/login.html")"
critical=$(( $(br "$dir/login.html") + $(br "$pkg/kabinet.css") + $(br "$pkg/kabinet.js") + $(br "$pkg/kabinet.wasm") ))
printf '%-14s %32d  (sign-in page: HTML + CSS + JS + WASM, brotli)\n' "critical path" "$critical"
# What the server actually sends to a browser that accepts brotli and gzip.
served() { curl -s -o /dev/null -H 'Accept-Encoding: br, gzip' -w '%{size_download}' "http://127.0.0.1:$port$1"; }
encoding=$(curl -s -o /dev/null -D - -H 'Accept-Encoding: br, gzip' "http://127.0.0.1:$port/pkg/kabinet.wasm" |
  awk -F': ' 'tolower($1) == "content-encoding" { gsub(/\r/, "", $2); print $2 }')
served_path=$(( $(served /login) + $(served /pkg/kabinet.css) + $(served /pkg/kabinet.js) + $(served /pkg/kabinet.wasm) ))
printf '%-14s %32d  (sign-in page as served: WASM Content-Encoding %s)\n' "served" "$served_path" "${encoding:-none}"

budget=$(awk '$1 == "wasm_brotli" { print $2 }' bench/size-budget)
wasm=$(br "$pkg/kabinet.wasm")
if [ -n "${KABINET_BENCH_SUMMARY:-}" ]; then
  printf 'WASM, brotli\t%d bytes (budget %d)\t<= 153600\t%s\n' "$wasm" "$budget" \
    "$([ "$wasm" -le 153600 ] && echo yes || echo no)" >>"$KABINET_BENCH_SUMMARY"
  printf 'sign-in page critical path, brotli\t%d bytes\t\t\n' "$critical" >>"$KABINET_BENCH_SUMMARY"
  printf 'sign-in page critical path, as served\t%d bytes (WASM encoding: %s)\t\t\n' "$served_path" \
    "${encoding:-none}" >>"$KABINET_BENCH_SUMMARY"
fi
if [ "$wasm" -gt "$budget" ]; then
  echo "WASM is $wasm bytes brotli, over the budget of $budget (bench/size-budget)" >&2
  exit 1
fi
echo "WASM $wasm bytes brotli: within the budget of $budget (aim: 153600)"
