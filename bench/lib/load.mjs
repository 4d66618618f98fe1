/** Runs one load measurement in a separate autocannon process, charges the CPU each watched process spent to it, and tells how busy the rest of the machine was. */
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { cpuSeconds, groupCpuSeconds, systemBusySeconds } from './proc-stats.mjs'
import { progress } from './helpers.mjs'
import { runToCompletion, startProcess } from './procs.mjs'

const LOAD_CHILD = fileURLToPath(new URL('../load-child.mjs', import.meta.url))

/** Machine-wide busy cores (0..N) over `ms`, measured while the bench itself is idle. */
async function busyCores(ms) {
  const before = systemBusySeconds()
  await sleep(ms)
  return (systemBusySeconds() - before) / (ms / 1000)
}

/**
 * Waits, up to `maxSeconds`, until the machine is nearly idle (other people's builds and tests
 * share this box). Returns how busy it still was, so a noisy measurement is at least labelled.
 */
export async function waitForQuiet(maxSeconds, thresholdCores = 0.2) {
  const deadline = Date.now() + maxSeconds * 1000
  let busy = await busyCores(500)
  let announced = false
  while (busy > thresholdCores && Date.now() < deadline) {
    if (!announced) progress(`machine busy (${busy.toFixed(2)} cores used by others), waiting`)
    announced = true
    busy = await busyCores(1_000)
  }
  return busy
}

/** CPU seconds of each watched process: { pid } is one process, { pgid } a whole group. */
function readWatched(watch) {
  return Object.fromEntries(
    Object.entries(watch).map(([label, w]) => [
      label,
      w.pgid ? groupCpuSeconds(w.pgid) : cpuSeconds(w.pid),
    ]),
  )
}

const perRequestUs = (seconds, requests) => (requests ? (seconds * 1e6) / requests : 0)

/**
 * `watch` maps a label to the processes under test; their CPU seconds over the measurement come
 * back as `cpuSeconds[label]` and `cpuUsPerRequest[label]`. `othersCores` is the machine's busy
 * time not spent by the watched processes, the load generator or the bench, averaged in cores.
 */
export async function measure({ url, connections, duration, requests, watch = {}, quietWait = 0 }) {
  const idleBefore = quietWait > 0 ? await waitForQuiet(quietWait) : undefined
  const before = readWatched(watch)
  const busyBefore = systemBusySeconds()
  const benchBefore = process.cpuUsage()
  const t0 = performance.now()
  const proc = startProcess('autocannon', process.execPath, [
    LOAD_CHILD,
    JSON.stringify({ url, connections, duration, requests }),
  ])
  const summary = JSON.parse(await runToCompletion(proc))
  const wallSeconds = (performance.now() - t0) / 1000
  const after = readWatched(watch)
  const busy = systemBusySeconds() - busyBefore
  const bench = process.cpuUsage(benchBefore)
  const cpu = Object.fromEntries(Object.keys(watch).map((k) => [k, after[k] - before[k]]))
  const ours = Object.values(cpu).reduce((a, b) => a + b, 0) + summary.loadCpuTotalSeconds
  const others = busy - ours - (bench.user + bench.system) / 1e6
  return {
    ...summary,
    cpuSeconds: cpu,
    cpuUsPerRequest: Object.fromEntries(
      Object.entries(cpu).map(([k, s]) => [k, perRequestUs(s, summary.requests)]),
    ),
    loadCpuUsPerRequest: perRequestUs(summary.loadCpuSeconds, summary.requests),
    // Clamped: tick rounding can make a quiet machine look a hair below zero.
    othersCores: Math.max(0, others / wallSeconds),
    othersCoresBefore: idleBefore,
  }
}

/** A short throw-away run: JIT, connection pools and caches are warm before anything counts. */
export async function warmUp({ url, connections, seconds, requests }) {
  if (seconds <= 0) return
  const r = await measure({ url, connections, duration: seconds, requests })
  if (r.non2xx || r.errors) {
    throw new Error(
      `warm-up against ${url} failed: ${JSON.stringify(r.statusCodes)}, ${r.errors} errors`,
    )
  }
}
