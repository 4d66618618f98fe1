/** Starts the gateway and the fake upstream as child processes for the suites, and holds the small statistics they share. */
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { firstJsonLine, startProcess } from './procs.mjs'

const GATEWAY_CHILD = fileURLToPath(new URL('../gateway-child.mjs', import.meta.url))
const UPSTREAM_CHILD = fileURLToPath(new URL('../upstream-child.mjs', import.meta.url))

/**
 * Starts the gateway in front of `upstreamUrl`, access control on: anonymous callers get
 * `permission` on every experiment, the policy of a read-only public MLflow (EDIT where the
 * bench uploads). Every request is still identified, classified, resolved and decided. With
 * `profileDir`, Node writes a .cpuprofile there when the gateway is stopped. `access`, YAML lines
 * that replace the whole `access:` section, sets another policy.
 */
export async function startGatewayChild({
  upstreamUrl,
  maxConnections,
  auditPath,
  profileDir,
  permission = 'READ',
  memFile,
  access = [
    'access:',
    '  anonymous: true',
    `  grants: [{ to: anonymous, experiments: ["*"], permission: ${permission} }]`,
  ],
}) {
  const yaml = [
    'listen: { host: 127.0.0.1, port: 0 }',
    `upstream: { url: "${upstreamUrl}", max_connections: ${maxConnections} }`,
    'storage: { url: "sqlite::memory:" }',
    'log: { level: warn }',
    ...access,
  ].join('\n')
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []
  const proc = startProcess('gateway', process.execPath, [...nodeArgs, GATEWAY_CHILD], {
    env: {
      ...process.env,
      BENCH_GATE_CONFIG: yaml,
      BENCH_GATE_AUDIT: auditPath ?? '',
      BENCH_GATE_MEMFILE: memFile ?? '',
    },
  })
  try {
    const { url } = await firstJsonLine(proc)
    return {
      url,
      pid: proc.pid,
      stop: () => proc.stop('SIGTERM', 10_000),
      // For .catch(): a failed check says what the gateway itself printed.
      explain: (err) => {
        throw new Error(`${err.message}\ngateway stderr:\n${proc.stderrTail()}`, { cause: err })
      },
      memoryPeaks: memFile ? () => memoryPeaks(proc.pid, memFile) : undefined,
    }
  } catch (err) {
    await proc.stop('SIGKILL')
    throw err
  }
}

/** One line for the report: how the gateway was configured. */
export function gatewayPolicy(permission = 'READ') {
  return `access control on; anonymous callers granted ${permission} on every experiment`
}

/** Asks the gateway child (SIGUSR2) for its memoryUsage() peaks since the last ask. */
async function memoryPeaks(pid, file) {
  const asked = Date.now()
  process.kill(pid, 'SIGUSR2')
  for (let i = 0; i < 100; i++) {
    await sleep(20)
    try {
      const report = JSON.parse(readFileSync(file, 'utf8'))
      if (report.at >= asked) return report.peaks
    } catch {
      // Not written yet (or half-written): try again.
    }
  }
  throw new Error(`gateway ${pid} did not report its memory`)
}

/** Starts the fast fake upstream (fixed JSON, sink, source) in its own process. */
export async function startUpstreamChild() {
  const proc = startProcess('upstream', process.execPath, [UPSTREAM_CHILD])
  try {
    const { url } = await firstJsonLine(proc)
    return { url, pid: proc.pid, stop: () => proc.stop() }
  } catch (err) {
    await proc.stop('SIGKILL')
    throw err
  }
}

/** Median of the finite values (NaN when there are none). */
export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
  if (sorted.length === 0) return NaN
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Rotates `items` left by `n`, so each round starts with a different target. */
export function rotate(items, n) {
  const k = n % items.length
  return [...items.slice(k), ...items.slice(0, k)]
}

/** Median of each per-round figure across rounds, for one target. */
export function summarizeRounds(rounds) {
  const pick = (f) => median(rounds.map(f))
  return {
    rps: pick((r) => r.rps),
    p50Ms: pick((r) => r.latencyMs.p50),
    p99Ms: pick((r) => r.latencyMs.p99),
    othersCores: pick((r) => r.othersCores),
    non2xx: rounds.reduce((n, r) => n + r.non2xx, 0),
    errors: rounds.reduce((n, r) => n + r.errors + r.timeouts, 0),
    cpuUsPerRequest: Object.fromEntries(
      Object.keys(rounds[0]?.cpuUsPerRequest ?? {}).map((k) => [
        k,
        pick((r) => r.cpuUsPerRequest[k]),
      ]),
    ),
  }
}

/** Runs `fn` and then every cleanup in reverse order, whether `fn` failed or not. */
export async function withCleanup(fn) {
  const cleanups = []
  try {
    return await fn((cleanup) => cleanups.push(cleanup))
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup()
      } catch (err) {
        process.stderr.write(`bench: cleanup failed: ${err}\n`)
      }
    }
  }
}

/** Logs progress to stderr, keeping stdout for the final table. */
export function progress(message) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`)
}
