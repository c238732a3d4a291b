-- Latest-state lookups over the seeded population (u-0 .. u-POPULATION-1).
dofile("wrk/common.lua")
local population = tonumber(os.getenv("POPULATION") or "10000")
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/v1/consents/users/u-" .. (counter % population))
end
done = function(summary, latency, requests) report(summary, latency) end
