#!/usr/bin/env bash
# Lighthouse (npm `lighthouse`, end2end's devDependencies) with Debian's chromium against the
# release server: the sign-in page, and the main page and the readings page of the signed-in
# demo customer (the session cookie passed with --extra-headers). Mobile form factor with
# Lighthouse's simulated mobile throttling (slow 4G, 4× CPU slowdown), its defaults.
# Prints the performance and accessibility scores, LCP, CLS and TBT of each page: the median
# run by performance of KABINET_BENCH_LIGHTHOUSE_RUNS (3) — a single run's LCP can jump from
# about 1 s to 16 s when the 3 MB WASM's download happens to be counted before the paint.
# Never downloads a browser: CHROME_PATH is Debian's /usr/bin/chromium.
# Usage: bench/lighthouse.sh   (KABINET_BENCH_SUMMARY: see load.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh bench >/dev/null
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
binary=target/release/kabinet
if [ ! -x "$binary" ] || [ ! -s target/release/hash.txt ]; then scripts/build.sh >&2; fi
export CHROME_PATH=/usr/bin/chromium
lighthouse=end2end/node_modules/.bin/lighthouse
runs="${KABINET_BENCH_LIGHTHOUSE_RUNS:-3}"
flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
dir=$(mktemp -d)
port=3916
url="http://127.0.0.1:$port"
(
  export KABINET_DATA_DIR="$dir" KABINET_ENV=development KABINET_LISTEN="127.0.0.1:$port" \
    KABINET_PUBLIC_URL="$url" RUST_LOG=warn
  "$binary" demo --accounts 300 --months 12 --if-empty >/dev/null 2>&1
  exec "$binary" serve >"$dir/serve.log" 2>&1
) &
server=$!
trap 'kill $server 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 300); do
  curl -fsS "$url/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS -c "$dir/cookies" -H 'Accept: application/json' \
  --data 'by=phone&login=%2B79000000001&password=Demo-2026%21' "$url/api/auth/sign_in" >/dev/null
cookie=$(awk '$6 == "kabinet_session" { print "kabinet_session=" $7 }' "$dir/cookies")

summary() { # metric value aim met
  if [ -n "${KABINET_BENCH_SUMMARY:-}" ]; then printf '%s\t%s\t%s\t%s\n' "$@" >>"$KABINET_BENCH_SUMMARY"; fi
}

printf '%-24s %11s %13s %8s %7s %8s   (median of %s runs)\n' page performance accessibility 'LCP ms' CLS 'TBT ms' "$runs"
status=0
while IFS='|' read -r label path auth; do
  args=("$url$path" --quiet --output=json --output-path="$dir/report.json"
    --only-categories=performance,accessibility --form-factor=mobile --throttling-method=simulate
    "--chrome-flags=$flags")
  [ "$auth" = yes ] && args+=("--extra-headers={\"Cookie\": \"$cookie\"}")
  : >"$dir/runs.tsv"
  for _ in $(seq 1 "$runs"); do
    if ! "$lighthouse" "${args[@]}" </dev/null >"$dir/lighthouse.log" 2>&1; then
      echo "$label: lighthouse failed:" >&2
      tail -n 20 "$dir/lighthouse.log" >&2
      status=1
      continue
    fi
    jq -r '[(.categories.performance.score // 0) * 100,
      (.categories.accessibility.score // 0) * 100, .audits["largest-contentful-paint"].numericValue // 0,
      .audits["cumulative-layout-shift"].numericValue // 0, .audits["total-blocking-time"].numericValue // 0]
      | @tsv' "$dir/report.json" >>"$dir/runs.tsv"
  done
  [ -s "$dir/runs.tsv" ] || continue
  all_perf=$(cut -f1 "$dir/runs.tsv" | awk '{ printf "%s%.0f", (NR > 1 ? " " : ""), $1 }')
  read -r perf a11y lcp cls tbt < <(sort -n -k1,1 "$dir/runs.tsv" | awk -v n="$(wc -l <"$dir/runs.tsv")" \
    'NR == int((n + 1) / 2)')
  printf '%-24s %11.0f %13.0f %8.0f %7.3f %8.0f   (performance of the runs: %s)\n' "$label" "$perf" "$a11y" \
    "$lcp" "$cls" "$tbt" "$all_perf"
  met=$(awk -v p="$perf" -v a="$a11y" 'BEGIN { print (p >= 95 && a >= 100) ? "yes" : "no" }')
  summary "Lighthouse mobile, $label: performance / accessibility" \
    "$(printf '%.0f / %.0f (LCP %.0f ms, TBT %.0f ms; runs %s)' "$perf" "$a11y" "$lcp" "$tbt" "$all_perf")" \
    ">= 95 / 100" "$met"
done <<PAGES
sign-in page|/login|no
main page (signed in)|/|yes
readings page (signed in)|/readings|yes
PAGES
echo "(Lighthouse $("$lighthouse" --version), $(chromium --version 2>/dev/null | head -n 1), Node $(node --version))"
exit $status
