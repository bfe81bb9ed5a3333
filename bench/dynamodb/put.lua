-- wrk script: PutItem of uniformly random keys within the preloaded range,
-- so every server ends the run with the same N items whatever its throughput.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")

common.random_key_workload(common.item_body)
