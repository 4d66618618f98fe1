/** Real-MLflow behaviour at the edges: aborted uploads, MLflow's Host check, readiness. */
import { existsSync, readdirSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { send } from '../harness/http.js'
import { callMlflow, useMlflow } from '../harness/mlflow.js'
import { basic } from '../harness/users.js'

const mlflow = useMlflow()
let gateway: TestGateway
let experimentId: string
let runId: string

const directPost = <T>(path: string, body?: object) => callMlflow<T>(mlflow(), path, body)

beforeAll(async () => {
  gateway = await startTestGateway(mlflow().url)
  ;({ experiment_id: experimentId } = await directPost<{ experiment_id: string }>(
    '/api/2.0/mlflow/experiments/create',
    { name: `edges-${Date.now()}` },
  ))
  ;({
    run: {
      info: { run_id: runId },
    },
  } = await directPost<{ run: { info: { run_id: string } } }>('/api/2.0/mlflow/runs/create', {
    experiment_id: experimentId,
  }))
})
afterAll(async () => {
  await gateway?.close()
})

const artifactUrl = (name: string) =>
  `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/${name}`

/** Lists what MLflow stored for the run, read directly from its artifact root on disk. */
function storedFiles(): string[] {
  const dir = join(mlflow().artifactsDir, experimentId, runId, 'artifacts')
  return existsSync(dir) ? readdirSync(dir) : []
}

/** Starts an upload through the gateway, sends `sentBytes`, then kills the connection. */
async function abortedUpload(name: string, headers: Record<string, string>, sentBytes: number) {
  const req = httpRequest(`${gateway.url}${artifactUrl(name)}`, {
    method: 'PUT',
    headers: { authorization: basic('admin'), ...headers },
  })
  req.on('error', () => undefined)
  for (let sent = 0; sent < sentBytes; sent += 1 << 20) {
    if (!req.write(Buffer.alloc(1 << 20, 0x61))) await new Promise((r) => req.once('drain', r))
  }
  await sleep(300)
  req.destroy()
  await sleep(1_500)
}

describe('uploads cut short by the client', () => {
  it('stores the artifact when the upload completes (the positive twin)', async () => {
    const res = await send(`${gateway.url}${artifactUrl('whole.bin')}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(3 << 20, 0x61),
    })
    expect(res.status).toBe(200)
    expect(storedFiles()).toContain('whole.bin')
  })

  it('leaves no artifact when a Content-Length upload is aborted midway', async () => {
    await abortedUpload(
      'cut-length.bin',
      { 'content-type': 'application/octet-stream', 'content-length': String(20 << 20) },
      5 << 20,
    )
    expect(storedFiles()).not.toContain('cut-length.bin')
  })

  it('leaves no artifact when a chunked upload is aborted midway', async () => {
    await abortedUpload(
      'cut-chunked.bin',
      { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
      5 << 20,
    )
    expect(storedFiles()).not.toContain('cut-chunked.bin')
  })
})

describe("MLflow's Host check", () => {
  it('rejects a foreign Host when called directly, but accepts the gateway whatever Host the client used', async () => {
    const path = `/api/2.0/mlflow/experiments/get?experiment_id=${experimentId}`
    const directRes = await send(`${mlflow().url}${path}`, {
      headers: { host: 'mlflow.example.com' },
    })
    expect(directRes.status).toBe(403)
    const viaGateway = await send(`${gateway.url}${path}`, {
      headers: { host: 'mlflow.example.com' },
    })
    expect(viaGateway.status).toBe(200)
  })
})

describe('readiness', () => {
  it('/healthz and /readyz answer for a healthy MLflow and storage', async () => {
    expect(JSON.parse((await send(`${gateway.url}/healthz`)).body)).toEqual({ status: 'alive' })
    const ready = await send(`${gateway.url}/readyz`)
    expect(ready.status).toBe(200)
    expect(JSON.parse(ready.body)).toMatchObject({
      ready: true,
      checks: { mlflow: { ok: true }, storage: { ok: true } },
    })
  })

  it('/readyz says MLflow is the part not ready once it stops, while /healthz stays alive', async () => {
    await mlflow().stop()
    const ready = await send(`${gateway.url}/readyz`)
    expect(ready.status).toBe(503)
    const body = JSON.parse(ready.body) as {
      ready: boolean
      checks: Record<string, { ok: boolean; detail: string }>
    }
    expect(body.ready).toBe(false)
    expect(body.checks.mlflow!.ok).toBe(false)
    expect(body.checks.mlflow!.detail).toContain('not reachable')
    expect(body.checks.storage!.ok).toBe(true)
    expect((await send(`${gateway.url}/healthz`)).status).toBe(200)
    const api = await send(`${gateway.url}/api/2.0/mlflow/experiments/search`)
    expect(api.status).toBe(502)
  })
})
