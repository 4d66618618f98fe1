/** Each way the upstream can fail maps to a clear status and an MLflow-shaped JSON error, never a hang. */
import { createServer, type Server } from 'node:net'
import { request as httpRequest } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { freePort } from '../../src/mlflow/server-process.js'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { send, until } from '../harness/http.js'
import { basic } from '../harness/users.js'
import { startBlackHole, startRecordingUpstream } from '../harness/recording-upstream.js'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function gatewayTo(
  url: string,
  upstream: Record<string, unknown> = {},
): Promise<TestGateway> {
  const gateway = await startTestGateway(url, { upstream })
  cleanups.push(() => gateway.close())
  return gateway
}

/** A raw TCP server that answers every connection with `reply` (or nothing) and then acts. */
async function rawUpstream(
  onConnection: (socket: import('node:net').Socket) => void,
): Promise<string> {
  const server: Server = createServer(onConnection)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  cleanups.push(() => new Promise((r) => server.close(r)))
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`
}

function expectMlflowError(
  res: { status: number; body: string },
  status: number,
  code: string,
  gw: string,
) {
  expect(res.status).toBe(status)
  const body = JSON.parse(res.body) as { error_code: string; message: string; gateway_code: string }
  expect(body.error_code).toBe(code)
  expect(body.gateway_code).toBe(gw)
  expect(body.message.length).toBeGreaterThan(10)
  return body
}

describe('upstream faults', () => {
  it('answers 502 TEMPORARILY_UNAVAILABLE when MLflow is not listening', async () => {
    const port = await freePort()
    const gateway = await gatewayTo(`http://127.0.0.1:${port}`)
    const started = Date.now()
    const res = await send(`${gateway.url}/api/2.0/mlflow/experiments/search`)
    const body = expectMlflowError(res, 502, 'TEMPORARILY_UNAVAILABLE', 'GW_UPSTREAM_UNAVAILABLE')
    expect(body.message).toContain(
      `MLflow at http://127.0.0.1:${port} is not reachable (ECONNREFUSED)`,
    )
    expect(Date.now() - started).toBeLessThan(2_000)
  })

  it('answers 504 DEADLINE_EXCEEDED when the connection cannot be opened in time', async () => {
    const hole = await startBlackHole()
    cleanups.push(() => hole.close())
    const gateway = await gatewayTo(hole.url, { connect_timeout_ms: 300 })
    const res = await send(`${gateway.url}/api/2.0/mlflow/experiments/search`)
    const body = expectMlflowError(res, 504, 'DEADLINE_EXCEEDED', 'GW_UPSTREAM_TIMEOUT')
    expect(body.message).toContain('upstream.connect_timeout_ms')
  })

  it('answers 504 when MLflow accepts but sends no response headers in time', async () => {
    const upstream = await startRecordingUpstream()
    cleanups.push(() => upstream.close())
    upstream.behave(() => undefined)
    const gateway = await gatewayTo(upstream.url, { headers_timeout_ms: 300 })
    const res = await send(`${gateway.url}/api/2.0/mlflow/runs/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"experiment_ids": ["1"]}',
    })
    const body = expectMlflowError(res, 504, 'DEADLINE_EXCEEDED', 'GW_UPSTREAM_TIMEOUT')
    expect(body.message).toContain('did not answer within 300 ms (upstream.headers_timeout_ms)')
  })

  it('answers 502 when MLflow resets the connection before answering', async () => {
    const url = await rawUpstream((socket) => socket.once('data', () => socket.resetAndDestroy()))
    const gateway = await gatewayTo(url)
    const res = await send(`${gateway.url}/api/2.0/mlflow/experiments/search`)
    expectMlflowError(res, 502, 'TEMPORARILY_UNAVAILABLE', 'GW_UPSTREAM_UNAVAILABLE')
  })

  it('answers 502 when MLflow sends a malformed response', async () => {
    const url = await rawUpstream((socket) =>
      socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\nhello')),
    )
    const gateway = await gatewayTo(url)
    const res = await send(`${gateway.url}/api/2.0/mlflow/experiments/search`)
    const body = expectMlflowError(res, 502, 'TEMPORARILY_UNAVAILABLE', 'GW_UPSTREAM_BAD_RESPONSE')
    expect(body.message).toContain('malformed response')
  })

  it('cuts the client connection (never a clean short body) when MLflow stalls mid-body', async () => {
    const upstream = await startRecordingUpstream()
    cleanups.push(() => upstream.close())
    upstream.behave((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '1000' })
      res.write(Buffer.alloc(100))
    })
    const gateway = await gatewayTo(upstream.url, { body_idle_timeout_ms: 300 })
    const outcome = await new Promise<string>((resolve) => {
      httpRequest(
        `${gateway.url}/get-artifact?path=a&run_id=r`,
        { headers: { authorization: basic('admin') } },
        (res) => {
          res.resume()
          res.on('end', () => resolve('clean end'))
          res.on('error', () => resolve('aborted'))
          res.on('aborted', () => resolve('aborted'))
        },
      )
        .on('error', () => resolve('aborted'))
        .end()
    })
    expect(outcome).toBe('aborted')
    await until(() => gateway.audit.length > 0, 2_000, 'audit line')
    expect(gateway.audit[0]).toMatchObject({ path: '/get-artifact', error: 'GW_UPSTREAM_TIMEOUT' })
  })

  it('recovers without a restart once MLflow is back', async () => {
    const port = await freePort()
    const gateway = await gatewayTo(`http://127.0.0.1:${port}`)
    expect((await send(`${gateway.url}/health`)).status).toBe(502)
    const { createServer: createHttpServer } = await import('node:http')
    const server = createHttpServer((_req, res) => res.end('OK'))
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r))
    cleanups.push(() => new Promise((r) => server.close(r)))
    const res = await send(`${gateway.url}/health`)
    expect(res.status).toBe(200)
    expect(res.body).toBe('OK')
  })
})
