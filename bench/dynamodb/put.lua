-- wrk script: PutItem of uniformly random keys within the preloaded range,
-- so every server ends the run with the same N items whatever its throughput.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")

local head, items

function setup(thread)
  thread_count = (thread_count or 0) + 1
  thread:set("thread_id", thread_count)
end

function init(args)
  head = common.load_headers(args[1])
  items = tonumber(args[2])
  math.randomseed(os.time() * 1000 + (thread_id or 0))
end

function request()
  return common.request(head, common.item_body(math.random(0, items - 1)))
end

done = common.report
