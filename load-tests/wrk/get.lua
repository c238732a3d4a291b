-- Latest-state lookups over the seeded population (u-0 .. u-POPULATION-1).
local key = os.getenv("KEY")
local population = tonumber(os.getenv("POPULATION") or "10000")
local counter = 0
if key then wrk.headers["Authorization"] = "Bearer " .. key end
request = function()
  counter = counter + 1
  return wrk.format("GET", "/v1/consents/users/u-" .. (counter % population))
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d non2xx=%d errors=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f\n",
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
