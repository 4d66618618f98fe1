/** Suite "nginx": the gateway against nginx as plain reverse proxies in front of the same fast upstream, with the upstream alone as the ceiling. */
import { measure, warmUp } from '../lib/load.mjs'
import {
  gatewayPolicy,
  median,
  progress,
  rotate,
  startGatewayChild,
  startUpstreamChild,
  summarizeRounds,
  withCleanup,
} from '../lib/helpers.mjs'
import { nginxVersion, startNginx } from '../lib/nginx.mjs'

/** An MLflow-shaped GET; the upstream answers every path with the same ~1 KiB JSON. */
const REQUESTS = [{ method: 'GET', path: '/api/2.0/mlflow/runs/get?run_id=0123456789abcdef' }]

const rethrow = (err) => {
  throw err
}

/** One request, to be sure a target answers 200 with the full body before it is loaded. */
async function checkTarget(name, url) {
  const res = await fetch(`${url}${REQUESTS[0].path}`).catch((err) => {
    throw new Error(`${name} at ${url}: ${err.message} (${err.cause?.code ?? 'no code'})`)
  })
  const body = await res.arrayBuffer()
  if (res.status !== 200 || body.byteLength < 900) {
    throw new Error(`${name} at ${url} answered ${res.status} with ${body.byteLength} bytes`)
  }
}

export async function runNginxSuite(ctx) {
  const { opts } = ctx
  return withCleanup(async (defer) => {
    const upstream = await startUpstreamChild()
    defer(upstream.stop)
    const upstreamPort = Number(new URL(upstream.url).port)
    const nginx = await startNginx({ upstreamPort, keepalive: opts.nginxConnections })
    defer(nginx.stop)
    const gateway = await startGatewayChild({
      upstreamUrl: upstream.url,
      maxConnections: opts.nginxConnections,
      auditPath: ctx.auditPath('nginx'),
      profileDir: ctx.profileDir('nginx'),
    })
    defer(gateway.stop)

    const watch = {
      upstream: { pid: upstream.pid },
      nginx: { pgid: nginx.pid },
      gateway: { pid: gateway.pid },
    }
    const targets = [
      { name: 'upstream', url: upstream.url },
      { name: 'nginx', url: nginx.url },
      { name: 'gateway', url: gateway.url, explain: gateway.explain },
    ]
    for (const t of targets) {
      await checkTarget(t.name, t.url).catch(t.explain ?? rethrow)
      progress(`nginx: warm-up ${t.name}, ${opts.warmup} s`)
      await warmUp({
        url: t.url,
        connections: opts.nginxConnections,
        seconds: opts.warmup,
        requests: REQUESTS,
      })
    }

    const perRound = Object.fromEntries(targets.map((t) => [t.name, []]))
    for (let i = 0; i < opts.nginxRounds; i++) {
      for (const t of rotate(targets, i)) {
        progress(`nginx: round ${i + 1}/${opts.nginxRounds}, ${t.name}, ${opts.nginxDuration} s`)
        perRound[t.name].push(
          await measure({
            url: t.url,
            connections: opts.nginxConnections,
            duration: opts.nginxDuration,
            requests: REQUESTS,
            watch,
            quietWait: opts.quietWait,
          }),
        )
      }
    }
    const summary = Object.fromEntries(
      Object.entries(perRound).map(([name, r]) => [name, summarizeRounds(r)]),
    )
    const pairedRatios = perRound.gateway.map((g, i) => g.rps / perRound.nginx[i].rps)
    return {
      conditions: {
        gateway: gatewayPolicy(),
        connections: opts.nginxConnections,
        durationSeconds: opts.nginxDuration,
        rounds: opts.nginxRounds,
        warmupSeconds: opts.warmup,
        nginxVersion: nginxVersion(),
        nginx: 'worker_processes 1, upstream keepalive, access_log to a file',
        request: `${REQUESTS[0].method} ${REQUESTS[0].path}`,
      },
      targets: Object.fromEntries(
        Object.keys(perRound).map((n) => [n, { summary: summary[n], rounds: perRound[n] }]),
      ),
      ratio: summary.gateway.rps / summary.nginx.rps,
      pairedRatios,
      pairedRatioMedian: median(pairedRatios),
    }
  })
}
