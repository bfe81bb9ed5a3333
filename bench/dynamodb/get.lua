-- wrk script: GetItem of uniformly random preloaded keys.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")

common.random_key_workload(common.get_body)
