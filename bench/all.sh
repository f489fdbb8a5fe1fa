#!/usr/bin/env bash
# `make bench`: every benchmark that takes reasonable time — size (size.sh), load (load.sh),
# Lighthouse (lighthouse.sh) — then one table of the figures against their aims.
# The 1,000,000-account comparison joins with KABINET_BENCH_MILLION=1 (see load.sh).
# Exits non-zero when a benchmark failed (the WASM over its budget, a 5xx other than 503
# under overload, Lighthouse not running); an aim not met is reported, not a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
summary=$(mktemp)
trap 'rm -f "$summary"' EXIT
export KABINET_BENCH_SUMMARY="$summary"
status=0
for script in size load lighthouse; do
  printf '\n\033[1m==> bench/%s.sh\033[0m\n' "$script"
  bench/$script.sh || { status=1; echo "bench/$script.sh failed" >&2; }
done
printf '\n\033[1m==> Summary\033[0m (%s cores, %s, %s GB RAM, %s)\n' "$(nproc)" \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" \
  "$(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)" \
  "$(. /etc/os-release && echo "$PRETTY_NAME")"
{
  printf 'metric\tmeasured\taim\tmet\n'
  cat "$summary"
} | awk -F '\t' '{ printf "%-70s %-50s %-15s %s\n", $1, $2, $3, $4 }'
exit $status
