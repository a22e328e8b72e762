-- wrk script: GET the URL's path on every connection, with `Authorization: Bearer $BENCH_TOKEN` when
-- that is set. done() prints one machine-readable RESULT line (requests, latency percentiles, errors).

local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
   wrk.headers["Authorization"] = "Bearer " .. token
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "RESULT kind=get requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.0f " ..
      "non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency.max, latency.mean, e.status, e.connect, e.read, e.write, e.timeout))
end
