/**
 * One autocannon measurement in a process of its own, so the load generator never shares an
 * event loop with the bench's bookkeeping. Takes a JSON job as argv[2]
 * ({url, connections, duration, requests}) and prints one JSON summary on stdout.
 */
import autocannon from 'autocannon'

const job = JSON.parse(process.argv[2] ?? '{}')

function cannon(duration) {
  return autocannon({
    url: job.url,
    connections: job.connections,
    pipelining: 1,
    duration,
    requests: job.requests,
    // Closed loop: each connection sends its next request when the previous answer is in. The
    // timeout is generous because a saturated MLflow can take seconds for a search.
    timeout: 30,
  })
}

/** Keeps what the report needs from autocannon's result, plus this process's own CPU time. */
function summarize(result, cpu, total) {
  const seconds = result.duration
  return {
    requests: result.requests.total,
    seconds,
    rps: result.requests.total / seconds,
    latencyMs: {
      mean: result.latency.mean,
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]),
    ),
    loadCpuSeconds: (cpu.user + cpu.system) / 1e6,
    // Including start-up: lets the bench tell its own processes' CPU from other users of the box.
    loadCpuTotalSeconds: (total.user + total.system) / 1e6,
  }
}

const before = process.cpuUsage()
const result = await cannon(job.duration)
process.stdout.write(
  `${JSON.stringify(summarize(result, process.cpuUsage(before), process.cpuUsage()))}\n`,
)
