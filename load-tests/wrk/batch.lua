-- The batch endpoint: 1000 events a request (BATCH), new users each time (ids made unique across runs by PREFIX).
dofile("wrk/common.lua")
local org = os.getenv("ORG") or "bench"
local size = tonumber(os.getenv("BATCH") or "1000")
local prefix = os.getenv("PREFIX") or ""
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  counter = counter + 1
  local parts = {}
  for i = 1, size do
    parts[i] = '{"organization_id":"' .. org .. '","user":{"id":"b-' .. prefix .. counter .. '-' .. i .. '"},'
      .. '"events":[{"action":"consent.given","purpose":"analytics"}]}'
  end
  return wrk.format(nil, "/v1/consents/events/batch", nil, "[" .. table.concat(parts, ",") .. "]")
end
done = function(summary, latency, requests) report(summary, latency) end
