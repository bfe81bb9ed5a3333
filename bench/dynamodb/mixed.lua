-- wrk script: a mixed load for the memory soak (soak.sh): GetItem, PutItem
-- and Query in equal parts over the preloaded keys. Script arguments: the
-- GetItem headers file, N items, then (after the common arguments) the
-- PutItem and Query headers files.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")

local heads, items
function setup(thread)
  thread_count = (thread_count or 0) + 1
  thread:set("thread_id", thread_count)
end
function init(args)
  heads = {common.load_headers(args[1]), common.load_headers(args[5]),
           common.load_headers(args[6])}
  items = tonumber(args[2])
  math.randomseed(os.time() * 1000 + (thread_id or 0))
end
function request()
  local k = math.random(0, items - 1)
  local op = math.random(1, 3)
  if op == 1 then return common.request(heads[1], common.get_body(k)) end
  if op == 2 then return common.request(heads[2], common.item_body(k)) end
  return common.request(heads[3], string.format(
    '{"TableName":"bench_q","KeyConditionExpression":"pk = :p",' ..
    '"ExpressionAttributeValues":{":p":{"S":"part-%08d"}}}', math.floor(k / 10)))
end
done = common.report
