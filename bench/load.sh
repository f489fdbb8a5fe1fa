#!/usr/bin/env bash
# Throughput and latency of the portal beside the machine's ceiling, measured in one run:
# a bare axum "hello" (server/examples/ceiling.rs), the sign-in page, the main page of the
# signed-in demo customer (server-rendered, from the database) and the server function that
# returns the selected account's balance. Closed loop with wrk (Debian), on a demo database of
# ${KABINET_BENCH_ACCOUNTS:-1000} accounts (SQLite, or KABINET_BENCH_DATABASE_URL).
# Usage: bench/load.sh   (KABINET_BENCH_SECONDS, KABINET_BENCH_CONNECTIONS)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh bench >/dev/null
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
binary=target/release/kabinet
[ -x "$binary" ] || cargo leptos build --release >&2
cargo build --release -q -p server --example ceiling
seconds="${KABINET_BENCH_SECONDS:-10}"
connections="${KABINET_BENCH_CONNECTIONS:-16}"
accounts="${KABINET_BENCH_ACCOUNTS:-1000}"
dir=$(mktemp -d)
port=3919
ceiling_port=3920
export KABINET_DATA_DIR="$dir" KABINET_ENV=development KABINET_LISTEN="127.0.0.1:$port" \
  KABINET_PUBLIC_URL="http://127.0.0.1:$port" RUST_LOG=warn
if [ -n "${KABINET_BENCH_DATABASE_URL:-}" ]; then export KABINET_DATABASE_URL="$KABINET_BENCH_DATABASE_URL"; fi
"$binary" demo --accounts "$accounts" --months 12 --if-empty >/dev/null 2>&1
"$binary" serve >"$dir/serve.log" 2>&1 &
server=$!
target/release/examples/ceiling "127.0.0.1:$ceiling_port" &
ceiling=$!
trap 'kill $server $ceiling 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS -c "$dir/cookies" -H 'Accept: application/json' \
  --data 'by=phone&login=%2B79000000001&password=Demo-2026%21' \
  "http://127.0.0.1:$port/api/auth/sign_in" >/dev/null
cookie=$(awk '$6 == "kabinet_session" { print "kabinet_session=" $7 }' "$dir/cookies")

run() { # name url method path body cookie
  KABINET_BENCH_METHOD="$3" KABINET_BENCH_PATH="$4" KABINET_BENCH_BODY="$5" KABINET_BENCH_COOKIE="$6" \
    wrk -t2 -c"$connections" -d"${seconds}s" -s bench/stats.lua "$2" | tail -n 1
}
printf '%-28s %10s %8s %8s %7s %9s\n' target 'req/s' 'p50 ms' 'p99 ms' errors 'ceiling'
read -r top p50 p99 errors < <(run ceiling "http://127.0.0.1:$ceiling_port" GET / "" "")
printf '%-28s %10.1f %8.2f %8.2f %7d %8.1f%%\n' 'axum hello (ceiling)' "$top" "$p50" "$p99" "$errors" 100
while IFS='|' read -r name method path body auth; do
  cookie_for=""
  [ "$auth" = yes ] && cookie_for="$cookie"
  read -r rps p50 p99 errors < <(run "$name" "http://127.0.0.1:$port" "$method" "$path" "$body" "$cookie_for")
  printf '%-28s %10.1f %8.2f %8.2f %7d %8.1f%%\n' "$name" "$rps" "$p50" "$p99" "$errors" \
    "$(awk -v a="$rps" -v b="$top" 'BEGIN { print 100 * a / b }')"
done <<ROWS
sign-in page|GET|/login||no
main page (signed in)|GET|/||yes
balance (server function)|POST|/api/accounts/overview|account=1|yes
ROWS
echo "($accounts accounts, ${seconds} s each, $connections connections, wrk and the server on the same $(nproc) cores)"
