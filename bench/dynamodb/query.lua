-- wrk script: Query of one random partition of the query table, which
-- holds 10 items a partition (client.py create-query-table).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")

common.random_key_workload(function(k)
  return string.format(
    '{"TableName":"bench_q","KeyConditionExpression":"pk = :p",' ..
    '"ExpressionAttributeValues":{":p":{"S":"part-%08d"}}}', math.floor(k / 10))
end)
