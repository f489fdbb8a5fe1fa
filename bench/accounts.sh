#!/usr/bin/env bash
# The main page of a signed-in customer on demo databases of different sizes: how long the
# demo takes to generate, how big the database gets, the page's response time one request
# at a time (curl) and its throughput at saturation (wrk, closed loop, as in load.sh).
# Usage: bench/accounts.sh [ACCOUNTS...]   (default: 1000 1000000)
# Needs the release build (`scripts/build.sh`). Each size gets its own database
# under ${KABINET_BENCH_DIR:-/tmp/kabinet-bench}/<accounts>-<months>m; an existing one is
# reused. KABINET_BENCH_MONTHS (36) sets the months of history, KABINET_BENCH_SECONDS (8) the
# length of the wrk run.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=target/release/kabinet
[ -x "$binary" ] || { echo "run scripts/build.sh first" >&2; exit 1; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 1000000)
base="${KABINET_BENCH_DIR:-/tmp/kabinet-bench}"
months="${KABINET_BENCH_MONTHS:-36}"
requests="${KABINET_BENCH_REQUESTS:-50}"
seconds="${KABINET_BENCH_SECONDS:-8}"
port=3917
first_rps=""

printf '%-10s %-8s %-12s %-10s %-10s %-10s %-10s %-10s %-10s\n' accounts months generate_s db_size \
  p50_ms p90_ms max_ms 'req/s' wrk_p99_ms
export KABINET_ENV=development KABINET_LISTEN="127.0.0.1:$port" \
  KABINET_PUBLIC_URL="http://127.0.0.1:$port" RUST_LOG=warn
# Every database first, so that the sizes are then measured one right after the other.
for n in "${sizes[@]}"; do
  dir="$base/$n-${months}m"
  mkdir -p "$dir"
  if [ ! -f "$dir/complete" ]; then
    # A generation cut short is started again from scratch.
    rm -f "$dir"/kabinet.db*
    started=$(date +%s.%N)
    KABINET_DATA_DIR="$dir" "$binary" demo --accounts "$n" --months "$months" >/dev/null 2>"$dir/demo.log"
    awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f\n", b - a }' >"$dir/complete"
  fi
done
for n in "${sizes[@]}"; do
  dir="$base/$n-${months}m"
  export KABINET_DATA_DIR="$dir"
  generate=$(cat "$dir/complete")
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
  cookie=$(awk '$6 == "kabinet_session" { print "kabinet_session=" $7 }' "$jar")
  read -r rps _ p99 _ < <(KABINET_BENCH_METHOD=GET KABINET_BENCH_PATH=/ KABINET_BENCH_COOKIE="$cookie" \
    wrk -t2 -c16 -d"${seconds}s" -s bench/stats.lua "http://127.0.0.1:$port" </dev/null | tail -n 1)
  printf '%-10s %-8s %-12s %-10s %-10s %-10s %-10s %-10.0f %-10.2f\n' "$n" "$months" "$generate" "$size" \
    "$(pick 0.5)" "$(pick 0.9)" "$(pick 1.0)" "$rps" "$p99"
  if [ -z "$first_rps" ]; then
    first_rps=$rps first_n=$n
  elif [ -n "${KABINET_BENCH_SUMMARY:-}" ]; then
    printf 'main page on %s vs %s accounts (history: %s months): req/s\t%.0f vs %.0f (%.2f×)\t\t\n' "$n" "$first_n" \
      "$months" "$rps" "$first_rps" "$(awk -v a="$rps" -v b="$first_rps" 'BEGIN { print a / b }')" \
      >>"$KABINET_BENCH_SUMMARY"
  fi
  kill "$server"; wait "$server" 2>/dev/null || true
  trap - EXIT
  rm -f "$jar"
done
