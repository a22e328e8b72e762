-- wrk script: GET /system/health on every connection, run beside calls.lua for the same duration.
-- done() prints one machine-readable RESULT line that run.sh turns into the health columns of a row.

wrk.method = "GET"
wrk.path = "/system/health"

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "RESULT kind=health requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.0f " ..
      "non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency.max, latency.mean, e.status, e.connect, e.read, e.write, e.timeout))
end
