-- Vault reads: GETs the request paths of PATHS (space-separated, query strings URL-encoded) in turn.
dofile("wrk/common.lua")
local paths = {}
for p in string.gmatch(os.getenv("PATHS") or "", "%S+") do paths[#paths + 1] = p end
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[counter % #paths + 1])
end
done = function(summary, latency, requests) report(summary, latency) end
