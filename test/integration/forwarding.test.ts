/** What the gateway sends to the upstream and back: exact targets, header rules, reuse, streaming. */
import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { send, until } from '../harness/http.js'
import { basic } from '../harness/users.js'
import {
  echoJson,
  startRecordingUpstream,
  type RecordingUpstream,
} from '../harness/recording-upstream.js'

let upstream: RecordingUpstream
let gateway: TestGateway

beforeAll(async () => {
  upstream = await startRecordingUpstream()
  gateway = await startTestGateway(upstream.url)
})
afterAll(async () => {
  await gateway.close()
  await upstream.close()
})
beforeEach(() => upstream.behave(echoJson))

describe('forwarding', () => {
  it('forwards method, target and body exactly and returns the answer unchanged', async () => {
    const body = JSON.stringify({ experiment_id: '1', name: 'x' })
    const res = await send(`${gateway.url}/api/2.0/mlflow/runs/create?a=1&a=2&b=%2F`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    })
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body)).toMatchObject({
      method: 'POST',
      url: '/api/2.0/mlflow/runs/create?a=1&a=2&b=%2F',
    })
    const rec = upstream.requests.at(-1)!
    expect(rec.body.toString()).toBe(body)
    expect(rec.headers['content-type']).toBe('application/json')
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(rec.headers['x-request-id']).toBe(res.headers['x-request-id'])
  })

  it('removes hop-by-hop headers, names listed in Connection, and client credentials', async () => {
    const res = await send(`${gateway.url}/api/2.0/mlflow/experiments/search`, {
      headers: {
        connection: 'keep-alive, x-secret-hop, x-forwarded-for',
        'x-secret-hop': 'must-not-pass',
        'keep-alive': 'timeout=5',
        te: 'trailers',
        'proxy-authorization': 'Basic eDp5',
        cookie: 'mlflow_gate_session=abc',
        'x-forwarded-for': '6.6.6.6',
        'x-forwarded-host': 'spoofed.example',
        forwarded: 'for=6.6.6.6',
        host: 'gate.example.com',
        'x-kept': 'yes',
      },
    })
    expect(res.status).toBe(200)
    const h = upstream.requests.at(-1)!.headers
    for (const name of [
      'x-secret-hop',
      'keep-alive',
      'te',
      'proxy-authorization',
      'authorization',
      'cookie',
      'forwarded',
    ]) {
      expect(h[name], name).toBeUndefined()
    }
    expect(h['x-kept']).toBe('yes')
    expect(h['x-forwarded-for']).toBe('127.0.0.1')
    expect(h['x-forwarded-proto']).toBe('http')
    expect(h['x-forwarded-host']).toBe('gate.example.com')
    expect(h.host).toBe(new URL(upstream.url).host)
  })

  it('strips hop-by-hop headers from the response too', async () => {
    upstream.behave((_req, res) => {
      res.setHeader('connection', 'keep-alive, x-upstream-hop')
      res.setHeader('x-upstream-hop', 'internal')
      res.setHeader('x-visible', 'yes')
      res.end('ok')
    })
    const res = await send(`${gateway.url}/version`)
    expect(res.body).toBe('ok')
    expect(res.headers['x-upstream-hop']).toBeUndefined()
    expect(res.headers['x-visible']).toBe('yes')
  })

  it('reuses keep-alive connections to the upstream', async () => {
    const before = upstream.sockets()
    for (let i = 0; i < 20; i++) await send(`${gateway.url}/health?i=${i}`)
    expect(upstream.sockets() - before).toBeLessThanOrEqual(1)
  })

  it('forwards HEAD and keeps the upstream status', async () => {
    upstream.behave((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain', 'content-length': '9' })
      res.end('not found')
    })
    const res = await send(`${gateway.url}/api/2.0/mlflow/experiments/get?experiment_id=7`, {
      method: 'HEAD',
    })
    expect(res.status).toBe(404)
    expect(res.headers['content-length']).toBe('9')
    expect(upstream.requests.at(-1)!.method).toBe('HEAD')
  })

  it('refuses absolute-form request targets with a JSON error and never forwards them', async () => {
    const count = upstream.requests.length
    const res = await send(gateway.url, {
      path: 'http://evil.example/api/2.0/mlflow/experiments/search',
    })
    expect(res.status).toBe(400)
    expect(JSON.parse(res.body)).toMatchObject({
      error_code: 'BAD_REQUEST',
      gateway_code: 'GW_BAD_REQUEST',
    })
    expect(upstream.requests.length).toBe(count)
  })

  it('answers malformed or smuggling-shaped requests with 400 JSON and forwards nothing', async () => {
    const { connect } = await import('node:net')
    const count = upstream.requests.length
    const u = new URL(gateway.url)
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(Number(u.port), u.hostname, () => {
        socket.write(
          'POST /api/2.0/mlflow/runs/create HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n' +
            'Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /admin HTTP/1.1\r\n\r\n',
        )
      })
      let data = ''
      socket.on('data', (d: Buffer) => (data += d.toString()))
      socket.on('close', () => resolve(data))
    })
    expect(reply).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/)
    expect(reply).toContain('"error_code":"BAD_REQUEST"')
    expect(upstream.requests.length).toBe(count)
  })

  it('answers a refused upload at once and closes the connection instead of reading it all', async () => {
    const count = upstream.requests.length
    const outcome = await new Promise<{ status: number; closed: boolean }>((resolve) => {
      const req = httpRequest(
        `${gateway.url}/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/big.bin`,
        {
          method: 'PUT',
          headers: {
            'content-type': 'application/octet-stream',
            'content-length': String(100 << 20),
          },
        },
      )
      req.on('error', () => undefined)
      req.on('response', (res) => {
        res.resume()
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, closed: res.headers.connection === 'close' }),
        )
      })
      req.write(Buffer.alloc(1 << 20))
    })
    expect(outcome).toEqual({ status: 401, closed: true })
    expect(upstream.requests.length).toBe(count)
  })

  it('writes one audit line per request with its outcome', async () => {
    await send(`${gateway.url}/api/2.0/mlflow/experiments/get?experiment_id=0`)
    const isIt = (e: { path: string; method: string }) =>
      e.path === '/api/2.0/mlflow/experiments/get' && e.method === 'GET'
    await until(() => gateway.audit.some(isIt))
    const line = gateway.audit.find(isIt)!
    expect(line).toMatchObject({
      type: 'audit',
      principal: 'admin',
      method: 'GET',
      allow: true,
      reasons: [{ code: 'admin', message: 'admin is an admin' }],
      status: 200,
      upstream_status: 200,
      error: null,
    })
    expect(line.duration_ms).toBeGreaterThanOrEqual(0)
  })
})

describe('streaming', () => {
  it('passes the request body on before the client has finished sending it', async () => {
    upstream.behave(echoJson)
    const arrived = upstream.nextRequest()
    const req = httpRequest(
      `${gateway.url}/api/2.0/mlflow-artifacts/artifacts/0/r/artifacts/big.bin`,
      {
        method: 'PUT',
        headers: {
          authorization: basic('admin'),
          'content-type': 'application/octet-stream',
          'transfer-encoding': 'chunked',
        },
      },
    )
    const answered = new Promise<number>((resolve, reject) => {
      req.on('response', (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
    })
    req.write(Buffer.alloc(64 * 1024, 1))
    const rec = await arrived
    // The first chunk reached the upstream while the client still holds the rest.
    await until(() => rec.body.length >= 64 * 1024, 5_000, 'first chunk upstream')
    expect(rec.complete).toBe(false)
    req.end(Buffer.alloc(64 * 1024, 2))
    expect(await answered).toBe(200)
    expect(rec.body.length).toBe(128 * 1024)
    expect(rec.complete).toBe(true)
  })

  it('passes the response body on before the upstream has finished sending it', async () => {
    let finish: () => void = () => undefined
    upstream.behave((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      res.write(Buffer.alloc(32 * 1024, 7))
      finish = () => res.end(Buffer.alloc(10, 8))
    })
    const received: Buffer[] = []
    const done = new Promise<void>((resolve, reject) => {
      httpRequest(
        `${gateway.url}/get-artifact?path=x&run_uuid=r`,
        { headers: { authorization: basic('admin') } },
        (res) => {
          res.on('data', (c: Buffer) => {
            received.push(c)
          })
          res.on('end', resolve)
          res.on('error', reject)
        },
      ).end()
    })
    await until(
      () => Buffer.concat(received).length >= 32 * 1024,
      5_000,
      'first chunk at the client',
    )
    finish()
    await done
    expect(Buffer.concat(received).length).toBe(32 * 1024 + 10)
  })

  it('aborts the upstream upload when the client goes away mid-body', async () => {
    upstream.behave(() => undefined)
    const arrived = upstream.nextRequest()
    const req = httpRequest(
      `${gateway.url}/api/2.0/mlflow-artifacts/artifacts/0/r/artifacts/cut.bin`,
      {
        method: 'PUT',
        headers: {
          authorization: basic('admin'),
          'content-type': 'application/octet-stream',
          'content-length': String(1024 * 1024),
        },
      },
    )
    req.on('error', () => undefined)
    req.write(Buffer.alloc(256 * 1024, 3))
    const rec = await arrived
    await until(() => rec.body.length > 0, 5_000, 'upload start')
    req.destroy()
    // The upstream's connection is torn down instead of the body ending cleanly.
    await until(() => upstream.requests.includes(rec) && upstream.sockets() > 0, 1_000)
    await new Promise((r) => setTimeout(r, 300))
    expect(rec.complete).toBe(false)
    expect(rec.body.length).toBeLessThan(1024 * 1024)
    await until(() => gateway.audit.some((e) => e.path.endsWith('cut.bin')), 5_000, 'audit line')
    expect(gateway.audit.find((e) => e.path.endsWith('cut.bin'))!.client_aborted).toBe(true)
  })

  it('stops reading from the upstream when the client abandons a download', async () => {
    let upstreamClosed = false
    upstream.behave((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      const chunk = Buffer.alloc(64 * 1024)
      const pump = () => {
        while (!upstreamClosed && res.write(chunk));
        if (!upstreamClosed) res.once('drain', pump)
      }
      res.on('close', () => (upstreamClosed = true))
      pump()
    })
    await new Promise<void>((resolve) => {
      const req = httpRequest(
        `${gateway.url}/get-artifact?path=endless&run_id=r`,
        { headers: { authorization: basic('admin') } },
        (res) => {
          res.once('data', () => {
            req.destroy()
            resolve()
          })
        },
      )
      req.on('error', () => undefined)
      req.end()
    })
    await until(() => upstreamClosed, 5_000, 'upstream response closed')
  })
})
