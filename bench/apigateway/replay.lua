-- wrk script: sends the same raw HTTP request (a file written by client.py)
-- on every call. Script argument (after `--`): the request file.
local data

function init(args)
  local f = assert(io.open(args[1], "rb"), "cannot open request file " .. tostring(args[1]))
  data = f:read("*a")
  f:close()
end

function request()
  return data
end

-- One machine-readable line for run.sh; latencies in microseconds.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d status_errors=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
