-- wrk script: Lambda Invoke (RequestResponse) of one function with body "{}".
-- Script arguments (after `--`): 1 file of signed headers (client.py sign),
-- 2 the function name. Every request is the same bytes.
local head, path

function init(args)
  local f = assert(io.open(args[1], "r"), "cannot open headers file " .. tostring(args[1]))
  local lines = {}
  for line in f:lines() do
    if line ~= "" then lines[#lines + 1] = line .. "\r\n" end
  end
  f:close()
  path = "/2015-03-31/functions/" .. args[2] .. "/invocations"
  local body = "{}"
  head = "POST " .. path .. " HTTP/1.1\r\n" .. table.concat(lines) ..
         "Content-Length: " .. #body .. "\r\n\r\n" .. body
end

function request()
  return head
end

-- One machine-readable line for run.sh; latencies in microseconds.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d mean_us=%.0f max_us=%d " ..
    "status_errors=%d socket_errors=%d bytes=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.mean, latency.max, e.status, e.connect + e.read + e.write + e.timeout,
    summary.bytes))
end
