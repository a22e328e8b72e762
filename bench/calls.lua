-- wrk script: every wrk thread drives exactly one connection, and that connection is one operator.
--
-- run.sh starts wrk with as many threads as connections (-t N -c N). wrk gives each thread its own Lua
-- state but does not tell the script which connection a response belongs to, so one connection per thread
-- is what makes per-operator state (its token, its live call) sound.
--
-- Arguments (after `--`): <tokens file> [phone number]
-- The tokens file holds one JWT per line; thread i (1-based) is operator i and uses line i.
--
-- The loop per operator: initiate -> (200, call_id) -> terminate -> (200) -> initiate -> ...
-- Anything unexpected is counted and recovered from:
--   409 on initiate (a call is already live, e.g. left over by an earlier run with the same user):
--   GET /api/calls/history?limit=1&status=connecting (then status=active) and terminate the call found;
--   any other failure: start over with an initiate.
-- done() prints one machine-readable RESULT line that run.sh turns into a table row.

local threads = {}
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("operator", counter)
   table.insert(threads, thread)
end

local token, phone
local state = "initiate"   -- the request to send next: initiate | terminate | recover_connecting | recover_active
local call_id = nil
local sent = nil            -- what the request in flight was
-- Counters, read by done() through thread:get().
initiated, terminated, recovered, bad_initiate, bad_terminate, bad_recover, conflicts = 0, 0, 0, 0, 0, 0, 0

function init(args)
   local file = args[1] or os.getenv("BENCH_TOKENS")
   phone = args[2] or "+12025550100"
   local index = 0
   for line in io.lines(file) do
      index = index + 1
      if index == operator then token = line break end
   end
   if not token then
      error("no token for operator " .. tostring(operator) .. " in " .. tostring(file))
   end
end

local function post(path, body)
   return wrk.format("POST", path, {
      ["Content-Type"] = "application/json",
      ["Authorization"] = "Bearer " .. token,
   }, body)
end

function request()
   sent = state
   if state == "terminate" then
      return post("/api/calls/terminate", '{"call_id":"' .. call_id .. '"}')
   elseif state == "recover_connecting" or state == "recover_active" then
      local status = state == "recover_connecting" and "connecting" or "active"
      return wrk.format("GET", "/api/calls/history?limit=1&status=" .. status,
                        { ["Authorization"] = "Bearer " .. token })
   end
   return post("/api/calls/initiate", '{"phone_number":"' .. phone .. '"}')
end

function response(status, headers, body)
   if sent == "initiate" then
      local id = status == 200 and body:match('"call_id"%s*:%s*"([^"]+)"')
      if id then
         initiated = initiated + 1
         call_id, state = id, "terminate"
      elseif status == 409 then
         conflicts = conflicts + 1
         state = "recover_connecting"
      else
         bad_initiate = bad_initiate + 1
         state = "initiate"
      end
   elseif sent == "terminate" then
      if status == 200 then
         terminated = terminated + 1
      else
         bad_terminate = bad_terminate + 1
      end
      call_id, state = nil, "initiate"
   else -- recover_connecting | recover_active: look for this operator's live call and end it.
      local first = status == 200 and body:match('"calls"%s*:%s*%[%s*(%b{})')
      local id = first and first:match('"call_id"%s*:%s*"([^"]+)"')
      if status == 200 then recovered = recovered + 1 else bad_recover = bad_recover + 1 end
      if id then
         call_id, state = id, "terminate"
      elseif sent == "recover_connecting" and status == 200 then
         state = "recover_active"
      else
         state = "initiate"
      end
   end
end

function done(summary, latency, requests)
   local totals = { initiated = 0, terminated = 0, recovered = 0, bad_initiate = 0, bad_terminate = 0,
                    bad_recover = 0, conflicts = 0 }
   -- Fairness: the fewest and most initiate->terminate loops any one operator completed.
   local loops_min, loops_max = nil, 0
   for _, thread in ipairs(threads) do
      for name, _ in pairs(totals) do
         totals[name] = totals[name] + (tonumber(thread:get(name)) or 0)
      end
      local loops = tonumber(thread:get("terminated")) or 0
      loops_min = math.min(loops_min or loops, loops)
      loops_max = math.max(loops_max, loops)
   end
   local e = summary.errors
   io.write(string.format(
      "RESULT kind=calls operators=%d requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
      "mean_us=%.0f non2xx=%d connect=%d read=%d write=%d timeout=%d initiated=%d terminated=%d " ..
      "conflicts=%d recovered=%d bad_initiate=%d bad_terminate=%d bad_recover=%d loops_min=%d loops_max=%d\n",
      #threads, summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max, latency.mean, e.status, e.connect, e.read, e.write, e.timeout,
      totals.initiated, totals.terminated, totals.conflicts, totals.recovered, totals.bad_initiate,
      totals.bad_terminate, totals.bad_recover, loops_min or 0, loops_max))
end
