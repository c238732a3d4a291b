-- Shared by the benchmark scripts (run from load-tests/): authentication from KEY, and the one-line result bench.sh reads.
local key = os.getenv("KEY")
if key then wrk.headers["Authorization"] = "Bearer " .. key end

function report(summary, latency)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%d non2xx=%d errors=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f\n",
    summary.requests, summary.errors.status, errors, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
