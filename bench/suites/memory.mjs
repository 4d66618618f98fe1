/** Suite "memory": the gateway's RSS while 1 GiB streams through it each way, at full speed and against a slow reader. */
import { existsSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  progress,
  gatewayPolicy,
  median,
  startGatewayChild,
  startUpstreamChild,
  withCleanup,
} from '../lib/helpers.mjs'
import { cpuSeconds, rssBytes, sampleRss } from '../lib/proc-stats.mjs'
import { download, upload } from '../lib/transfer.mjs'
import { waitForQuiet } from '../lib/load.mjs'
import { seedMlflow } from '../lib/mlflow-seed.mjs'

export const RSS_GROWTH_LIMIT = 64 * 1024 * 1024
const MiB = 1024 * 1024

/** Where artifacts go on the fake upstream: experiment 1, one run (see upstream-child.mjs). */
const ARTIFACTS = `/api/2.0/mlflow-artifacts/artifacts/1/${'f'.repeat(32)}/artifacts`

/** The cases; `slow` cases read the first opts.slowMib MiB at opts.slowRateMib MiB/s. */
function cases(opts) {
  const bytes = opts.memoryBytes
  const slow = { slowBytes: opts.slowMib * MiB, rate: opts.slowRateMib * MiB }
  return [
    {
      name: 'upload, upstream reads at full speed',
      run: (gw) => uploadToSink(`${gw}${ARTIFACTS}/upload.bin`, bytes),
    },
    {
      name: `upload, upstream reads slowly for the first ${opts.slowMib} MiB`,
      run: (gw) => uploadToSink(`${gw}${ARTIFACTS}/slow-${slow.slowBytes}-${slow.rate}.bin`, bytes),
    },
    {
      name: 'download, client reads at full speed',
      run: (gw) => download(`${gw}${ARTIFACTS}/size-${bytes}.bin`),
    },
    {
      name: `download, client reads slowly for the first ${opts.slowMib} MiB`,
      run: (gw) => download(`${gw}${ARTIFACTS}/size-${bytes}.bin`, slow),
    },
  ]
}

/** Fails unless the whole body went through: a short transfer would flatter the memory figure. */
function checkComplete(name, result, bytes) {
  if (result.status !== 200 || result.received !== bytes) {
    throw new Error(
      `${name}: status ${result.status}, ${result.received} of ${bytes} bytes arrived`,
    )
  }
}

/** An upload to the sink, with how much the sink says it received. */
async function uploadToSink(url, bytes) {
  const r = await upload(url, bytes)
  return { ...r, received: r.status === 200 ? JSON.parse(r.text).received : undefined }
}

/**
 * RSS at rest (median over half a second), then the transfer sampled every 100 ms, then RSS a
 * second later; plus the gateway's own memoryUsage() peaks at rest and during the transfer.
 */
async function sampleTransfer({ pid, memoryPeaks }, transfer) {
  const idle = sampleRss(pid)
  await sleep(500)
  const baseline = median(idle.stop().map((s) => s.rss))
  const atRest = await memoryPeaks()
  const cpuBefore = cpuSeconds(pid)
  const sampler = sampleRss(pid)
  let samples
  let result
  try {
    result = await transfer()
  } finally {
    samples = sampler.stop()
  }
  const cpu = cpuSeconds(pid) - cpuBefore
  const during = await memoryPeaks()
  await sleep(1_000)
  const peak = Math.max(...samples.map((s) => s.rss))
  const memory = { atRest, during }
  return {
    result,
    baseline,
    peak,
    growth: peak - baseline,
    after: rssBytes(pid),
    cpu,
    samples,
    memory,
  }
}

/** One case against a fresh gateway, so each starts from the same baseline. */
async function runCase(ctx, c, upstreamUrl, bytes, warm) {
  return withCleanup(async (defer) => {
    const gateway = await startGatewayChild({
      upstreamUrl,
      maxConnections: 8,
      // Uploading an artifact needs EDIT on its experiment.
      permission: 'EDIT',
      auditPath: ctx.auditPath('memory'),
      profileDir: ctx.profileDir('memory'),
      memFile: join(ctx.tmp, 'gateway-memory.json'),
    })
    defer(gateway.stop)
    // A small transfer first loads the code paths; the baseline is then the gateway at rest.
    await warm(gateway.url)
    if (ctx.opts.quietWait > 0) await waitForQuiet(ctx.opts.quietWait)
    progress(`memory: ${c.name}`)
    const m = await sampleTransfer(gateway, () => c.run(gateway.url))
    checkComplete(c.name, m.result, bytes)
    return {
      name: c.name,
      bytes,
      seconds: m.result.seconds,
      mibPerSecond: bytes / MiB / m.result.seconds,
      rssBaseline: m.baseline,
      rssPeak: m.peak,
      rssGrowth: m.growth,
      rssAfter: m.after,
      gatewayCpuSeconds: m.cpu,
      // What the RSS rise is made of, from the gateway's own process.memoryUsage().
      heapUsedPeak: m.memory.during.heapUsed,
      arrayBuffersAtRest: m.memory.atRest.arrayBuffers,
      arrayBuffersPeak: m.memory.during.arrayBuffers,
      met: m.growth < RSS_GROWTH_LIMIT,
      samples: m.samples,
    }
  })
}

/**
 * The same upload into the real MLflow (PUT mlflow-artifacts). MLflow answers with an empty JSON
 * body, so what it received is read from the size of the stored file.
 */
function mlflowArtifactCase(opts, mlflow, prefix) {
  return {
    name: 'upload to real MLflow (PUT mlflow-artifacts)',
    run: async (gw) => {
      const path = `${prefix}/big-${Date.now()}.bin`
      const r = await upload(`${gw}/api/2.0/mlflow-artifacts/artifacts/${path}`, opts.memoryBytes)
      const stored = join(mlflow.artifactsDir, path)
      const received = existsSync(stored) ? statSync(stored).size : undefined
      rmSync(stored, { force: true })
      return { ...r, received }
    },
  }
}

export async function runMemorySuite(ctx) {
  const { opts } = ctx
  const bytes = opts.memoryBytes
  const results = []
  await withCleanup(async (defer) => {
    const upstream = await startUpstreamChild()
    defer(upstream.stop)
    const warm = async (gw) => {
      await uploadToSink(`${gw}${ARTIFACTS}/upload.bin`, MiB)
      await download(`${gw}${ARTIFACTS}/size-${MiB}.bin`)
    }
    for (const c of cases(opts)) results.push(await runCase(ctx, c, upstream.url, bytes, warm))
  })
  if (opts.mlflowArtifact) {
    const mlflow = await ctx.mlflow()
    // Artifact paths start with <experiment_id>/<run_id>: the gateway authorizes by experiment.
    const { experimentId, runIds } = await seedMlflow(mlflow.url, { runs: 1 })
    const prefix = `${experimentId}/${runIds[0]}/artifacts`
    const warm = (gw) => upload(`${gw}/api/2.0/mlflow-artifacts/artifacts/${prefix}/warm.bin`, MiB)
    const c = mlflowArtifactCase(opts, mlflow, prefix)
    results.push(await runCase(ctx, c, mlflow.url, bytes, warm))
  }
  return {
    conditions: {
      gateway: gatewayPolicy('EDIT'),
      bytes,
      slowMib: opts.slowMib,
      slowRateMibPerSecond: opts.slowRateMib,
      sampleIntervalMs: 100,
      rss: 'VmRSS of the gateway child process, read from /proc by the bench',
    },
    cases: results,
    limitBytes: RSS_GROWTH_LIMIT,
    met: results.every((r) => r.met),
  }
}
