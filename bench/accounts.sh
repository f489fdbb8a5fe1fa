#!/usr/bin/env bash
# The main page of a signed-in customer on demo databases of different sizes: how long the
# demo takes to generate, how big the database gets, and the page's server response time.
# Usage: bench/accounts.sh [ACCOUNTS...]   (default: 1000 1000000)
# Needs the release build (`cargo leptos build --release`). Each size gets its own database
# under ${KABINET_BENCH_DIR:-/tmp/kabinet-bench}/<accounts>; an existing one is reused.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=target/release/kabinet
[ -x "$binary" ] || { echo "run cargo leptos build --release first" >&2; exit 1; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 1000000)
base="${KABINET_BENCH_DIR:-/tmp/kabinet-bench}"
months="${KABINET_BENCH_MONTHS:-36}"
requests="${KABINET_BENCH_REQUESTS:-50}"
port=3917

printf '%-10s %-8s %-12s %-10s %-10s %-10s %-10s\n' accounts months generate_s db_size p50_ms p90_ms max_ms
for n in "${sizes[@]}"; do
  dir="$base/$n"
  mkdir -p "$dir"
  export KABINET_DATA_DIR="$dir" KABINET_ENV=development KABINET_LISTEN="127.0.0.1:$port" \
    KABINET_PUBLIC_URL="http://127.0.0.1:$port" RUST_LOG=warn
  generate=reused
  if [ ! -s "$dir/kabinet.db" ]; then
    started=$(date +%s.%N)
    "$binary" demo --accounts "$n" --months "$months" >/dev/null 2>"$dir/demo.log"
    generate=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }')
  fi
  size=$(du -sh "$dir" | cut -f1)
  "$binary" serve &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
  jar=$(mktemp)
  curl -sf -c "$jar" -o /dev/null "http://127.0.0.1:$port/api/auth/sign_in" \
    --data-urlencode by=phone --data-urlencode login=+79000000001 --data-urlencode 'password=Demo-2026!'
  # Warm up, then time the whole server-rendered main page (accounts, balance, window).
  for _ in 1 2 3; do curl -sf -b "$jar" -o /dev/null -H 'Accept: text/html' "http://127.0.0.1:$port/"; done
  times=$(for _ in $(seq "$requests"); do
    curl -sf -b "$jar" -o /dev/null -H 'Accept: text/html' -w '%{time_total}\n' "http://127.0.0.1:$port/"
  done | sort -n)
  pick() { echo "$times" | awk -v q="$1" '{a[NR]=$1} END {i=int(NR*q); if (i<1) i=1; printf "%.1f", a[i]*1000}'; }
  printf '%-10s %-8s %-12s %-10s %-10s %-10s %-10s\n' "$n" "$months" "$generate" "$size" "$(pick 0.5)" "$(pick 0.9)" "$(pick 1.0)"
  kill "$server"; wait "$server" 2>/dev/null || true
  trap - EXIT
  rm -f "$jar"
done
