-- wrk's summary as one line: requests/s, p50 and p99 in ms, errors (for bench/load.sh).
-- KABINET_BENCH_METHOD, _PATH, _BODY and _COOKIE describe the request.
wrk.method = os.getenv("KABINET_BENCH_METHOD") or "GET"
wrk.path = os.getenv("KABINET_BENCH_PATH") or "/"
wrk.body = os.getenv("KABINET_BENCH_BODY")
if wrk.body then
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
local cookie = os.getenv("KABINET_BENCH_COOKIE")
if cookie then
  wrk.headers["Cookie"] = cookie
end
done = function(summary, latency, requests)
  io.write(string.format("%.1f %.2f %.2f %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status))
end
