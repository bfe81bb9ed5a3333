-- Shared by the wrk scripts of bench/dynamodb: request framing and the item
-- shape. Each wrk thread loads its own copy (wrk gives every thread a separate
-- Lua state), so nothing here is shared between threads.
--
-- Script arguments (after `--` on the wrk command line):
--   1  file with the signed headers, one "Name: value" a line (client.py sign)
--   2  number of preloaded items N; keys are user-00000000 .. user-(N-1)
--   3  number of wrk threads (the preload splits the key range by thread)
--   4  number of connections (preload only)
--   5  directory for the per-thread "done" markers (preload only)

local common = {}

common.table_name = "bench"
common.key_format = "user-%08d"   -- fixed width, so every body of a kind has the same length

-- Reads the signed headers once per thread; the request line and headers
-- then stay the same for every request, only the body changes.
function common.load_headers(path)
  local f = assert(io.open(path, "r"), "cannot open headers file " .. tostring(path))
  local lines = {}
  for line in f:lines() do
    if line ~= "" then lines[#lines + 1] = line .. "\r\n" end
  end
  f:close()
  return "POST / HTTP/1.1\r\n" .. table.concat(lines)
end

function common.request(head, body)
  return head .. "Content-Length: " .. #body .. "\r\n\r\n" .. body
end

function common.key(k)
  return string.format(common.key_format, k)
end

-- About 200 bytes of DynamoDB item size (attribute names plus values);
-- every value is fixed width so the body length does not depend on k.
function common.item_body(k)
  local key = common.key(k)
  return string.format(
    '{"TableName":"%s","Item":{"pk":{"S":"%s"},"name":{"S":"Name %08d"},' ..
    '"email":{"S":"%s@example.com"},"age":{"N":"%d"},"score":{"N":"%d.5"},' ..
    '"active":{"BOOL":%s},"bio":{"S":"%s"}}}',
    common.table_name, key, k, key, 10 + k % 90, 1000 + k % 9000,
    (k % 2 == 0) and "true " or "false", common.bio)
end

common.bio = string.rep("lorem ipsum dolor sit amet ", 5):sub(1, 118)

function common.get_body(k)
  return string.format('{"TableName":"%s","Key":{"pk":{"S":"%s"}}}',
                       common.table_name, common.key(k))
end

-- One machine-readable line for run.sh; latencies in microseconds.
function common.report(summary, latency)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d mean_us=%.0f max_us=%d " ..
    "status_errors=%d socket_errors=%d bytes=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.mean, latency.max, e.status, e.connect + e.read + e.write + e.timeout,
    summary.bytes))
end

-- Installs wrk's hooks for a closed-loop workload over uniformly random
-- preloaded keys; `body(k)` builds the request body for key number k.
function common.random_key_workload(body)
  local head, items
  _G.setup = function(thread)
    thread_count = (thread_count or 0) + 1
    thread:set("thread_id", thread_count)
  end
  _G.init = function(args)
    head = common.load_headers(args[1])
    items = tonumber(args[2])
    math.randomseed(os.time() * 1000 + (thread_id or 0))
  end
  _G.request = function()
    return common.request(head, body(math.random(0, items - 1)))
  end
  _G.done = common.report
end

return common
