#!/usr/bin/env bash
# The portal under load, measured in one run (see bench/README.md):
#  1. saturation: closed loop with wrk — a bare axum "hello" (server/examples/ceiling.rs, the
#     machine's ceiling), the sign-in page, the signed-in main page and the balance server
#     function, on SQLite and (main page, balance) on PostgreSQL;
#  2. 70 % load: open loop with oha at 70 % of each target's saturation throughput, latency
#     counted from when each request was due (--latency-correction: no coordinated omission);
#  3. argon2id sign-in under load (bench/signin.lua) with the main page requested meanwhile;
#  4. overload: 10× the main page's capacity for KABINET_BENCH_OVERLOAD_SECONDS (60): status
#     codes, the server's memory before, during and after, and whether it answers right after;
#  5. with KABINET_BENCH_MILLION=1, the main page on 1,000,000 accounts vs 1,000 (accounts.sh).
# Usage: bench/load.sh
#   KABINET_BENCH_SECONDS (8)      length of each closed- and open-loop run
#   KABINET_BENCH_CONNECTIONS (16) wrk's connections
#   KABINET_BENCH_PG_URL           an administrator's URL of PostgreSQL (trust auth), default
#                                  postgres://postgres@127.0.0.1:5432/postgres; "" skips it
#   KABINET_BENCH_SUMMARY          a file to append "metric<TAB>value<TAB>aim<TAB>met" lines to
# Exits non-zero when the overload brought a 5xx other than 503 or left the server unwell.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh bench >/dev/null
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
binary=target/release/kabinet
[ -x "$binary" ] || scripts/build.sh >&2
cargo build --release -q -p server --example ceiling
seconds="${KABINET_BENCH_SECONDS:-8}"
connections="${KABINET_BENCH_CONNECTIONS:-16}"
accounts="${KABINET_BENCH_ACCOUNTS:-1000}"
overload_seconds="${KABINET_BENCH_OVERLOAD_SECONDS:-60}"
pg_admin="${KABINET_BENCH_PG_URL-postgres://postgres@127.0.0.1:5432/postgres}"
pg_name=kabinet_bench
cores=$(nproc)
dir=$(mktemp -d)
pids=()
pg_made=""
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "$pg_made" ]; then
    psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $pg_name WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT

summary() { # metric value aim met
  if [ -n "${KABINET_BENCH_SUMMARY:-}" ]; then printf '%s\t%s\t%s\t%s\n' "$@" >>"$KABINET_BENCH_SUMMARY"; fi
}
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

# A server over its own database, with the demo provider and the signed-in demo customer.
# Sets ${name}_url, ${name}_pid and ${name}_cookie.
start_server() { # name port database-url
  local name=$1 port=$2 url=$3 data="$dir/$1"
  mkdir -p "$data"
  (
    export KABINET_DATA_DIR="$data" KABINET_DATABASE_URL="$url" KABINET_ENV=development \
      KABINET_LISTEN="127.0.0.1:$port" KABINET_PUBLIC_URL="http://127.0.0.1:$port" RUST_LOG=warn
    "$binary" demo --accounts "$accounts" --months 12 --if-empty >/dev/null 2>"$data/demo.log"
    exec "$binary" serve >"$data/serve.log" 2>&1
  ) &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 1 600); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { cat "$data/demo.log" "$data/serve.log" >&2; exit 1; }
    sleep 0.2
  done
  curl -fsS -c "$data/cookies" -H 'Accept: application/json' \
    --data 'by=phone&login=%2B79000000001&password=Demo-2026%21' \
    "http://127.0.0.1:$port/api/auth/sign_in" >/dev/null
  printf -v "${name}_url" '%s' "http://127.0.0.1:$port"
  printf -v "${name}_cookie" '%s' "$(awk '$6 == "kabinet_session" { print "kabinet_session=" $7 }' "$data/cookies")"
  # The server process itself (the subshell exec'd into it).
  printf -v "${name}_pid" '%s' "$pid"
}

# Closed loop (wrk): "req/s p50 p99 errors".
closed() { # url method path body cookie [seconds]
  KABINET_BENCH_METHOD="$2" KABINET_BENCH_PATH="$3" KABINET_BENCH_BODY="$4" KABINET_BENCH_COOKIE="$5" \
    wrk -t2 -c"$connections" -d"${6:-$seconds}s" -s bench/stats.lua "$1" </dev/null | tail -n 1
}

# Open loop (oha) at a fixed rate, latency from when each request was due: writes oha's JSON
# to $dir/oha-<tag>.json and prints "req/s p50 p99 non-2xx errors".
open_loop() { # tag rate seconds concurrency url method body cookie
  local tag=$1 args=(--no-tui --output-format json -z "${3}s" -c "$4" -q "$2" --latency-correction
    -w -t 10s -m "$6")
  [ -n "$7" ] && args+=(-d "$7" -T application/x-www-form-urlencoded)
  [ -n "$8" ] && args+=(-H "Cookie: $8")
  oha "${args[@]}" "$5" >"$dir/oha-$tag.json" </dev/null
  jq -r '[.summary.requestsPerSec // 0, (.latencyPercentiles.p50 // 0) * 1000,
    (.latencyPercentiles.p99 // 0) * 1000,
    ([.statusCodeDistribution // {} | to_entries[] | select(.key | startswith("2") | not) | .value] | add // 0),
    ([.errorDistribution // {} | to_entries[] | .value] | add // 0)] | @tsv' "$dir/oha-$tag.json"
}

target/release/examples/ceiling "127.0.0.1:3920" &
pids+=($!)
start_server sqlite 3919 "sqlite://$dir/sqlite/kabinet.db"
backends=(sqlite)
if [ -n "$pg_admin" ] && psql -q "$pg_admin" -c "SELECT 1" >/dev/null 2>&1; then
  psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $pg_name WITH (FORCE)" >/dev/null
  psql -q "$pg_admin" -c "CREATE DATABASE $pg_name" >/dev/null
  pg_made=yes
  start_server postgres 3921 "${pg_admin%/*}/$pg_name"
  backends+=(postgres)
else
  echo "(PostgreSQL not reachable at ${pg_admin:-<skipped>}: SQLite only)"
fi

echo "== Saturation (closed loop, wrk -t2 -c$connections, ${seconds} s) and 70 % of it (open loop, oha -q, latency-corrected)"
printf '%-24s %-8s %9s %8s %8s | %8s %8s %8s %7s\n' target backend 'max r/s' 'p50 ms' 'p99 ms' \
  '70% r/s' 'p50 ms' 'p99 ms' errors
read -r top c50 c99 cerr < <(closed "http://127.0.0.1:3920" GET / "" "")
printf '%-24s %-8s %9.0f %8.2f %8.2f | %8s %8s %8s %7d\n' 'axum hello (ceiling)' - "$top" "$c50" "$c99" - - - "$cerr"
declare -A max p99_70
while IFS='|' read -r key label backend method path body auth; do
  [[ " ${backends[*]} " == *" $backend "* ]] || continue
  url_var="${backend}_url" cookie_var="${backend}_cookie"
  cookie=""
  [ "$auth" = yes ] && cookie="${!cookie_var}"
  read -r rps c50 c99 cerr < <(closed "${!url_var}" "$method" "$path" "$body" "$cookie")
  rate=$(calc '%.0f' "$rps * 0.7")
  read -r orps o50 o99 onon oerr < <(open_loop "$key" "$rate" "$seconds" 64 "${!url_var}$path" "$method" "$body" "$cookie")
  printf '%-24s %-8s %9.0f %8.2f %8.2f | %8.0f %8.2f %8.2f %7d\n' "$label" "$backend" "$rps" "$c50" "$c99" \
    "$orps" "$o50" "$o99" "$((cerr + onon + oerr))"
  max[$key]=$rps
  p99_70[$key]=$o99
done <<ROWS
login_sqlite|sign-in page|sqlite|GET|/login||no
main_sqlite|main page (signed in)|sqlite|GET|/||yes
balance_sqlite|balance (server fn)|sqlite|POST|/api/accounts/overview|account=1|yes
main_postgres|main page (signed in)|postgres|GET|/||yes
balance_postgres|balance (server fn)|postgres|POST|/api/accounts/overview|account=1|yes
ROWS
main=${max[main_sqlite]}
per_core=$(calc '%.0f' "$main / $cores")
echo "main page: $per_core req/s per core at saturation (wrk on the same $cores cores), p99 $(calc "%.1f" "${p99_70[main_sqlite]}") ms at 70 %"
met=no
if awk -v r="$per_core" -v p="${p99_70[main_sqlite]}" 'BEGIN { exit !(r >= 1000 && p <= 50) }'; then met=yes; fi
summary "main page, SQLite: req/s per core (saturation)" "$per_core" ">= 1000" "$met"
summary "main page, SQLite: p99 at 70 % load" "$(calc '%.1f ms' "${p99_70[main_sqlite]}")" "<= 50 ms" \
  "$(awk -v p="${p99_70[main_sqlite]}" 'BEGIN { print (p <= 50) ? "yes" : "no" }')"
summary "sign-in page, SQLite: saturation / p99 at 70 %" "$(calc '%.0f req/s / %.1f ms' "${max[login_sqlite]}, ${p99_70[login_sqlite]}")" "" ""
summary "balance fn, SQLite: saturation / p99 at 70 %" "$(calc '%.0f req/s / %.1f ms' "${max[balance_sqlite]}, ${p99_70[balance_sqlite]}")" "" ""
if [ -n "${max[main_postgres]:-}" ]; then
  echo "PostgreSQL / SQLite: main page $(calc '%.2f' "${max[main_postgres]} / $main")×," \
    "balance $(calc '%.2f' "${max[balance_postgres]} / ${max[balance_sqlite]}")× (saturation throughput)"
  summary "main page, PostgreSQL: saturation / p99 at 70 %" "$(calc '%.0f req/s / %.1f ms' "${max[main_postgres]}, ${p99_70[main_postgres]}")" "" ""
  summary "balance fn, PostgreSQL: saturation / p99 at 70 %" "$(calc '%.0f req/s / %.1f ms' "${max[balance_postgres]}, ${p99_70[balance_postgres]}")" "" ""
fi

echo
echo "== argon2id sign-in under load (wrk bench/signin.lua -c8, 500 customers) with the main page at a steady rate meanwhile"
# 500 customers with the demo customer's password (its hash copied: the same argon2id cost).
{
  echo "BEGIN;"
  for i in $(seq 0 499); do
    printf "INSERT INTO people (last_name, first_name, phone, password_hash, created_at) SELECT last_name, first_name, '+7999%07d', password_hash, created_at FROM people WHERE phone = '+79000000001' AND NOT EXISTS (SELECT 1 FROM people WHERE phone = '+7999%07d');\n" "$i" "$i"
  done
  echo "COMMIT;"
} | sqlite3 -cmd ".timeout 10000" "$dir/sqlite/kabinet.db"
login_seconds=$((seconds * 2))
background_rate=$(calc '%.0f' "$main * 0.1")
open_loop during "$background_rate" "$login_seconds" 32 "$sqlite_url/" GET "" "$sqlite_cookie" >"$dir/during.tsv" &
oha_pid=$!
logins=$(KABINET_BENCH_PASSWORD='Demo-2026%21' wrk -t2 -c8 -d"${login_seconds}s" -s bench/signin.lua "$sqlite_url/" | tail -n 1)
wait "$oha_pid"
read -r drps d50 d99 dnon derr <"$dir/during.tsv"
echo "$logins"
printf 'main page meanwhile at %s req/s (10 %% of its saturation): p50 %.2f ms, p99 %.2f ms, %d errors\n' \
  "$background_rate" "$d50" "$d99" "$((dnon + derr))"
summary "sign-in (argon2id) under load: logins/s, p95" "$(echo "$logins" | awk '{ print $2 " /s, p95 " $7 " ms" }')" "" ""
summary "main page p99 while logins run ($background_rate req/s)" "$(calc '%.1f ms' "$d99")" "" ""

echo
echo "== Overload: main page at 10× its capacity for ${overload_seconds} s (oha -q, open loop)"
rss() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$sqlite_pid/status"; }
rss_before=$(rss)
overload_rate=$(calc '%.0f' "$main * 10")
(while kill -0 "$sqlite_pid" 2>/dev/null; do rss; echo; sleep 1; done) >"$dir/rss.log" &
sampler=$!
open_loop overload "$overload_rate" "$overload_seconds" 512 "$sqlite_url/" GET "" "$sqlite_cookie" >"$dir/overload.tsv"
kill "$sampler" 2>/dev/null || true
rss_peak=$(sort -n "$dir/rss.log" | tail -n 1)
read -r vrps v50 v99 vnon verr <"$dir/overload.tsv"
after=$(curl -s -o /dev/null -b "$sqlite_cookie" -w '%{http_code} %{time_total}' "$sqlite_url/")
sleep 5
rss_after=$(rss)
statuses=$(jq -r '[.statusCodeDistribution // {} | to_entries[] | "\(.key): \(.value)"] | join(", ")' "$dir/oha-overload.json")
errors=$(jq -r '[.errorDistribution // {} | to_entries[] | "\(.key): \(.value)"] | join(", ")' "$dir/oha-overload.json")
bad5xx=$(jq -r '[.statusCodeDistribution // {} | to_entries[] | select((.key | startswith("5")) and .key != "503") | .value] | add // 0' "$dir/oha-overload.json")
printf 'asked %s req/s, served %.0f req/s; statuses: %s; client-side errors: %s\n' "$overload_rate" "$vrps" \
  "$statuses" "${errors:-none}"
printf 'latency (from when due): p50 %.0f ms, p99 %.0f ms\n' "$v50" "$v99"
echo "server RSS: before ${rss_before} MB, peak ${rss_peak} MB during, ${rss_after} MB 5 s after"
echo "right after: HTTP $(echo "$after" | awk '{ printf "%s in %.1f ms", $1, $2 * 1000 }')"
healthy=yes
[ "$bad5xx" = 0 ] || { healthy=no; echo "5xx other than 503 under overload: $bad5xx" >&2; }
[ "${after%% *}" = 200 ] || { healthy=no; echo "the main page did not answer 200 right after the overload" >&2; }
summary "overload 10× (${overload_rate} req/s, ${overload_seconds} s): statuses" "$statuses" "no 5xx but 503" \
  "$([ "$bad5xx" = 0 ] && echo yes || echo no)"
summary "overload: RSS before / peak / after" "${rss_before} / ${rss_peak} / ${rss_after} MB" "" ""
summary "overload: main page right after" "$(echo "$after" | awk '{ printf "HTTP %s, %.1f ms", $1, $2 * 1000 }')" "200" \
  "$([ "${after%% *}" = 200 ] && echo yes || echo no)"

echo
echo "($accounts accounts, 12 months; load tools and servers on the same $cores cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"

if [ "${KABINET_BENCH_MILLION:-}" = 1 ]; then
  echo
  echo "== Main page on 1,000 vs 1,000,000 accounts (accounts.sh)"
  KABINET_BENCH_MONTHS="${KABINET_BENCH_MILLION_MONTHS:-1}" bench/accounts.sh 1000 1000000
fi
[ "$healthy" = yes ]
