-- Single consent events, one new event per request, users drawn from a population of POPULATION.
dofile("wrk/common.lua")
local org = os.getenv("ORG") or "bench"
local population = tonumber(os.getenv("POPULATION") or "10000")
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  counter = counter + 1
  local body = '{"organization_id":"' .. org .. '","user":{"id":"u-' .. (counter % population) .. '","country":"FR"},'
    .. '"regulation":"gdpr","events":[{"action":"consent.given","purpose":"analytics"},'
    .. '{"action":"consent.refused","purpose":"ads"},{"action":"consent.given","vendor":"755"}],'
    .. '"source":{"type":"web","sdk_version":"2.1.0","url":"https://shop.example/checkout"}}'
  return wrk.format(nil, "/v1/consents/events", nil, body)
end
done = function(summary, latency, requests) report(summary, latency) end
