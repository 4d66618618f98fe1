/** Suite "mlflow": the read workload against a real MLflow, directly and through the gateway, in alternating rounds. */
import { checkMix, readMix, seedMlflow } from '../lib/mlflow-seed.mjs'
import { measure, warmUp } from '../lib/load.mjs'
import {
  gatewayPolicy,
  median,
  progress,
  rotate,
  startGatewayChild,
  summarizeRounds,
  withCleanup,
} from '../lib/helpers.mjs'

export const MLFLOW_TARGET_RATIO = 0.95

/**
 * Runs opts.mlflowRounds rounds; each measures both targets back to back, the order swapped every round so
 * that drift (MLflow's SQLite growing warm, thermal or neighbour noise) falls on both equally.
 */
async function rounds(opts, targets, mix) {
  const results = Object.fromEntries(targets.map((t) => [t.name, []]))
  for (let i = 0; i < opts.mlflowRounds; i++) {
    for (const t of rotate(targets, i)) {
      progress(`mlflow: round ${i + 1}/${opts.mlflowRounds}, ${t.name}, ${opts.mlflowDuration} s`)
      results[t.name].push(
        await measure({
          url: t.url,
          connections: opts.mlflowConnections,
          duration: opts.mlflowDuration,
          requests: mix,
          watch: t.watch,
          quietWait: opts.quietWait,
        }),
      )
    }
  }
  return results
}

export async function runMlflowSuite(ctx) {
  const { opts } = ctx
  return withCleanup(async (defer) => {
    const mlflow = await ctx.mlflow()
    progress(`mlflow: seeding ${opts.mlflowRuns} runs`)
    const seeded = await seedMlflow(mlflow.url, { runs: opts.mlflowRuns })
    const mix = readMix(seeded)
    const gateway = await startGatewayChild({
      upstreamUrl: mlflow.url,
      // One upstream connection per client connection: requests never queue inside the gateway.
      maxConnections: opts.mlflowConnections,
      auditPath: ctx.auditPath('mlflow'),
      profileDir: ctx.profileDir('mlflow'),
    })
    defer(gateway.stop)
    await checkMix(mlflow.url, mix)
    await checkMix(gateway.url, mix).catch(gateway.explain)

    const watch = { gateway: { pid: gateway.pid }, mlflow: { pgid: mlflow.pid } }
    const targets = [
      { name: 'direct', url: mlflow.url, watch },
      { name: 'gateway', url: gateway.url, watch },
    ]
    for (const t of targets) {
      progress(`mlflow: warm-up ${t.name}, ${opts.warmup} s`)
      await warmUp({
        url: t.url,
        connections: opts.mlflowConnections,
        seconds: opts.warmup,
        requests: mix,
      })
    }
    const perRound = await rounds(opts, targets, mix)
    const direct = summarizeRounds(perRound.direct)
    const viaGateway = summarizeRounds(perRound.gateway)
    const pairedRatios = perRound.gateway.map((g, i) => g.rps / perRound.direct[i].rps)
    return {
      conditions: {
        gateway: gatewayPolicy(),
        connections: opts.mlflowConnections,
        durationSeconds: opts.mlflowDuration,
        rounds: opts.mlflowRounds,
        warmupSeconds: opts.warmup,
        mlflowWorkers: opts.mlflowWorkers,
        seededRuns: opts.mlflowRuns,
        mix: mix.map((r) => `${r.method} ${r.path.split('?')[0]}`),
      },
      targets: {
        direct: { summary: direct, rounds: perRound.direct },
        gateway: { summary: viaGateway, rounds: perRound.gateway },
      },
      ratio: viaGateway.rps / direct.rps,
      pairedRatios,
      pairedRatioMedian: median(pairedRatios),
      targetRatio: MLFLOW_TARGET_RATIO,
      // Failed requests would make either side look faster than it is: they void the result.
      met:
        viaGateway.rps / direct.rps >= MLFLOW_TARGET_RATIO &&
        direct.non2xx + direct.errors + viaGateway.non2xx + viaGateway.errors === 0,
    }
  })
}
