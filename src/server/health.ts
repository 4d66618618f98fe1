/** The gateway's own health routes: /healthz (the process is alive) and /readyz (MLflow and storage answer). */
import type { FastifyInstance } from 'fastify'
import type { Upstream } from '../forward/upstream.js'
import type { Store } from '../storage/open.js'

export type Check = { ok: boolean; detail: string }

const READY_TIMEOUT_MS = 2_000

/** Asks MLflow's own /health, with a short deadline so /readyz answers quickly when MLflow hangs. */
export async function checkMlflow(upstream: Upstream): Promise<Check> {
  try {
    const res = await upstream.pool.request({
      method: 'GET',
      path: `${upstream.basePath}/health`,
      headers: { host: upstream.hostHeader },
      headersTimeout: READY_TIMEOUT_MS,
      bodyTimeout: READY_TIMEOUT_MS,
      signal: AbortSignal.timeout(READY_TIMEOUT_MS),
    })
    await res.body.dump()
    return res.statusCode === 200
      ? { ok: true, detail: `${upstream.origin} answered /health` }
      : { ok: false, detail: `${upstream.origin}/health answered ${res.statusCode}` }
  } catch (err) {
    const code = (err as { code?: string }).code ?? (err as Error).name
    return { ok: false, detail: `${upstream.origin} is not reachable (${code})` }
  }
}

async function checkStore(store: Store): Promise<Check> {
  try {
    await Promise.race([
      store.ping(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('timed out')), READY_TIMEOUT_MS).unref(),
      ),
    ])
    return { ok: true, detail: `${store.kind} answered` }
  } catch (err) {
    return { ok: false, detail: `${store.kind} is not reachable (${(err as Error).message})` }
  }
}

export function registerHealthRoutes(
  app: FastifyInstance,
  deps: { upstream: Upstream; store: Store; isClosing: () => boolean },
): void {
  app.get('/healthz', async () => ({ status: 'alive' }))
  app.get('/readyz', async (_req, reply) => {
    const [mlflow, storage] = await Promise.all([
      checkMlflow(deps.upstream),
      checkStore(deps.store),
    ])
    const shutdown: Check = deps.isClosing()
      ? { ok: false, detail: 'the gateway is shutting down' }
      : { ok: true, detail: 'serving' }
    const ready = mlflow.ok && storage.ok && shutdown.ok
    return reply
      .code(ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ ready, checks: { mlflow, storage, gateway: shutdown } })
  })
}
