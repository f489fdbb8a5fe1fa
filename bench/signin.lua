wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
request = function()
  local n = math.random(0, 499)
  local body = string.format("by=phone&login=%%2B7999%07d&password=Kx9%%23mePlank", n)
  return wrk.format(nil, "/api/auth/sign_in", nil, body)
end
done = function(summary, latency, requests)
  io.write(string.format("logins/s: %.1f  p50: %.1f ms  p95: %.1f ms  p99: %.1f ms  errors: %d non-2xx %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
