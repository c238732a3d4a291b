-- The batch endpoint: 1000 events a request (BATCH), new users each time.
local org = os.getenv("ORG") or "bench"
local key = os.getenv("KEY")
local size = tonumber(os.getenv("BATCH") or "1000")
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
if key then wrk.headers["Authorization"] = "Bearer " .. key end
request = function()
  counter = counter + 1
  local parts = {}
  for i = 1, size do
    parts[i] = '{"organization_id":"' .. org .. '","user":{"id":"b-' .. counter .. '-' .. i .. '"},'
      .. '"events":[{"action":"consent.given","purpose":"analytics"}]}'
  end
  return wrk.format(nil, "/v1/consents/events/batch", nil, "[" .. table.concat(parts, ",") .. "]")
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d non2xx=%d errors=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f\n",
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
