-- Single consent events, one new event per request, users drawn from a population of POPULATION.
local org = os.getenv("ORG") or "bench"
local key = os.getenv("KEY")
local population = tonumber(os.getenv("POPULATION") or "10000")
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
if key then wrk.headers["Authorization"] = "Bearer " .. key end
request = function()
  counter = counter + 1
  local body = '{"organization_id":"' .. org .. '","user":{"id":"u-' .. (counter % population) .. '","country":"FR"},'
    .. '"regulation":"gdpr","events":[{"action":"consent.given","purpose":"analytics"},'
    .. '{"action":"consent.refused","purpose":"ads"},{"action":"consent.given","vendor":"755"}],'
    .. '"source":{"type":"web","sdk_version":"2.1.0","url":"https://shop.example/checkout"}}'
  return wrk.format(nil, "/v1/consents/events", nil, body)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d non2xx=%d errors=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f\n",
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
