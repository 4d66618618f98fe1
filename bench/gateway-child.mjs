/**
 * Runs the built gateway alone in this process, so its RSS and CPU can be read from outside
 * without the bench's own work mixed in. Config: YAML text in BENCH_GATE_CONFIG; audit lines go
 * to the file in BENCH_GATE_AUDIT (default /dev/null) through the real pino sink. Prints
 * {"url","pid"} once listening; SIGTERM closes it cleanly, which also lets --cpu-prof write.
 * With BENCH_GATE_MEMFILE set, each SIGUSR2 writes there the peaks of process.memoryUsage()
 * since the previous SIGUSR2, so an RSS rise can be told apart into heap and Buffer memory.
 */
import { writeFileSync } from 'node:fs'
import { pino } from 'pino'
import { createAuditSink } from '../dist/audit/sink.js'
import { parseConfig } from '../dist/config/load.js'
import { startGateway } from '../dist/server/app.js'

const yaml = process.env.BENCH_GATE_CONFIG ?? ''
const auditPath = process.env.BENCH_GATE_AUDIT || '/dev/null'

const config = parseConfig(yaml, { source: 'BENCH_GATE_CONFIG', baseDir: process.cwd(), env: {} })
const gateway = await startGateway(config, {
  log: pino({ level: config.log.level }, pino.destination(2)),
  // Same kind of destination as production (pino.destination, asynchronous writes), so the cost
  // of writing one audit line per request is part of what is measured.
  audit: createAuditSink(pino.destination(auditPath)),
  drainMs: 1_000,
})
process.stdout.write(`${JSON.stringify({ url: gateway.url, pid: process.pid })}\n`)

/** Tracks memoryUsage() peaks every 100 ms; only when asked, as it is work the gateway does not do. */
function reportMemoryPeaks(file) {
  let peaks = {}
  const sample = () => {
    for (const [k, v] of Object.entries(process.memoryUsage()))
      peaks[k] = Math.max(peaks[k] ?? 0, v)
  }
  setInterval(sample, 100).unref()
  process.on('SIGUSR2', () => {
    sample()
    writeFileSync(file, JSON.stringify({ at: Date.now(), peaks }))
    peaks = {}
  })
}
if (process.env.BENCH_GATE_MEMFILE) reportMemoryPeaks(process.env.BENCH_GATE_MEMFILE)

process.once('SIGTERM', () => {
  // A second signal, or a drain that hangs, must not keep the bench waiting.
  process.once('SIGTERM', () => process.exit(143))
  void gateway.close().finally(() => process.exit(0))
})
