-- Password sign-in under load (bench/load.sh): POSTs /api/auth/sign_in for 500 customers
-- +79990000000 … +79990000499 and prints logins/s with p50/p95/p99. KABINET_BENCH_PASSWORD
-- is their password, form-encoded (default Kx9%23mePlank).
local password = os.getenv("KABINET_BENCH_PASSWORD") or "Kx9%23mePlank"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
request = function()
  local n = math.random(0, 499)
  local body = string.format("by=phone&login=%%2B7999%07d&password=%s", n, password)
  return wrk.format(nil, "/api/auth/sign_in", nil, body)
end
done = function(summary, latency, requests)
  io.write(string.format("logins/s: %.1f  p50: %.1f ms  p95: %.1f ms  p99: %.1f ms  errors: %d non-2xx %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
