-- wrk script: PutItem of keys 0 .. N-1, each once, split across wrk threads
-- (thread t of T writes t, t+T, t+2T, ...). A thread stops itself once all its
-- keys are answered, plus one round per connection so that the last distinct
-- keys are not still in flight when it stops. A stopped thread does not end
-- wrk (its main thread sleeps for the whole -d), so each thread also drops a
-- marker file; run.sh sends wrk SIGINT once all are there. run.sh then checks
-- the totals that done() prints and client.py spot-checks the keys.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")

local head, items, threads, share, margin, marker
local sent = 0
answered, failed = 0, 0   -- globals, so done() can read them with thread:get

local all_threads = {}

function setup(thread)
  all_threads[#all_threads + 1] = thread
  thread:set("thread_id", #all_threads - 1)
end

function init(args)
  head = common.load_headers(args[1])
  items = tonumber(args[2])
  threads = tonumber(args[3])
  margin = math.ceil(tonumber(args[4]) / threads)
  marker = args[5] .. "/preload-done." .. thread_id
  share = math.floor((items - 1 - thread_id) / threads) + 1
  if share < 1 then share, margin = 1, 0 end   -- more threads than items
end

function request()
  -- Request n of thread t writes key t + (n mod share) * T: once the share is
  -- sent, the remaining connections rewrite the first keys again. That also
  -- covers the one request wrk builds and throws away before the run (it
  -- calls request() once in thread 1 to check the script).
  local k = (thread_id + (sent % share) * threads) % items
  sent = sent + 1
  return common.request(head, common.item_body(k))
end

function response(status)
  answered = answered + 1
  if status ~= 200 then failed = failed + 1 end
  if answered == share + margin then
    wrk.thread:stop()
    io.open(marker, "w"):close()
  end
end

function done(summary, latency)
  local ok = 0
  local bad = 0
  for _, t in ipairs(all_threads) do
    ok = ok + t:get("answered")
    bad = bad + t:get("failed")
  end
  io.write(string.format("PRELOAD answered=%d failed=%d duration_us=%d\n", ok, bad, summary.duration))
  common.report(summary, latency)
end
