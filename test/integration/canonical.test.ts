/**
 * Each canonicalisation rule against the real MLflow: the trick is refused before MLflow sees it,
 * and its positive twin (the same request without the trick) works for a caller who is allowed,
 * so the refusal is not an accident of a broken request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { send, until, type SimpleResponse } from '../harness/http.js'
import { callMlflow, useMlflow } from '../harness/mlflow.js'
import { basic, USERS } from '../harness/users.js'

const mlflow = useMlflow()
let gateway: TestGateway
const w = { a: '', b: '', runA: '', runB: '' }

const direct = <T>(path: string, body?: object) => callMlflow<T>(mlflow(), path, body)

beforeAll(async () => {
  w.a = (
    await direct<{ experiment_id: string }>('/api/2.0/mlflow/experiments/create', {
      name: 'visible',
    })
  ).experiment_id
  w.b = (
    await direct<{ experiment_id: string }>('/api/2.0/mlflow/experiments/create', {
      name: 'hidden',
    })
  ).experiment_id
  const run = (e: string) =>
    direct<{ run: { info: { run_id: string } } }>('/api/2.0/mlflow/runs/create', {
      experiment_id: e,
    })
  w.runA = (await run(w.a)).run.info.run_id
  w.runB = (await run(w.b)).run.info.run_id
  gateway = await startTestGateway(mlflow().url, {
    access: {
      users: [{ name: 'editor', password_hash: USERS.editor.hash }],
      grants: [{ to: 'user:editor', experiment_ids: [w.a], permission: 'EDIT' }],
    },
    limits: { max_json_body_bytes: 2048 },
  })
})
afterAll(async () => {
  await gateway?.close()
})

type Req = { method?: string; path: string; body?: string; headers?: Record<string, string> }

/** Sends as the editor (allowed on experiment A only) and returns the answer with its audit line. */
async function asEditor(req: Req): Promise<SimpleResponse & { reachedMlflow: boolean }> {
  const res = await send(gateway.url, {
    method: req.method ?? 'GET',
    path: req.path,
    auth: false,
    headers: {
      authorization: basic('editor'),
      ...(req.body !== undefined && { 'content-type': 'application/json' }),
      ...req.headers,
    },
    ...(req.body !== undefined && { body: req.body }),
  })
  const id = res.headers['x-request-id']
  await until(() => gateway.audit.some((e) => e.request_id === id), 2_000, 'audit line')
  const line = gateway.audit.find((e) => e.request_id === id)!
  return { ...res, reachedMlflow: line.upstream_status !== null }
}

const logMetric = (body: object) => ({
  method: 'POST',
  path: '/api/2.0/mlflow/runs/log-metric',
  body: JSON.stringify({ key: 'm', value: 1, timestamp: 1, step: 0, ...body }),
})

// [name, trick, expected status, positive twin]
const RULES: [string, () => Req, number, () => Req][] = [
  [
    'an encoded slash',
    () => ({ path: `/api/2.0/mlflow%2Fexperiments%2Fget?experiment_id=${w.a}` }),
    400,
    () => ({ path: `/api/2.0/mlflow/experiments/get?experiment_id=${w.a}` }),
  ],
  [
    'a dot segment',
    () => ({ path: `/api/2.0/mlflow/runs/../experiments/get?experiment_id=${w.a}` }),
    400,
    () => ({ path: `/api/2.0/mlflow/experiments/get?experiment_id=${w.a}` }),
  ],
  [
    'an empty segment',
    () => ({ path: `/api/2.0/mlflow//experiments/get?experiment_id=${w.a}` }),
    400,
    () => ({ path: `/api/2.0/mlflow/experiments/get?experiment_id=${w.a}` }),
  ],
  [
    'a backslash',
    () => ({ path: `/api/2.0/mlflow\\experiments/get?experiment_id=${w.a}` }),
    400,
    () => ({ path: `/api/2.0/mlflow/experiments/get?experiment_id=${w.a}` }),
  ],
  [
    'a ; parameter',
    () => ({ path: `/api/2.0/mlflow/experiments/get;x=1?experiment_id=${w.a}` }),
    400,
    () => ({ path: `/api/2.0/mlflow/experiments/get?experiment_id=${w.a}` }),
  ],
  [
    'an absolute-form target',
    () => ({ path: `http://x/api/2.0/mlflow/experiments/get?experiment_id=${w.a}` }),
    400,
    () => ({ path: `/api/2.0/mlflow/experiments/get?experiment_id=${w.a}` }),
  ],
  [
    'a repeated id parameter',
    () => ({ path: `/api/2.0/mlflow/experiments/get?experiment_id=${w.a}&experiment_id=${w.b}` }),
    400,
    () => ({ path: `/api/2.0/mlflow/experiments/get?experiment_id=${w.a}` }),
  ],
  [
    'one id in the query and another in the body',
    () => ({
      ...logMetric({ run_id: w.runA }),
      path: `/api/2.0/mlflow/runs/log-metric?run_id=${w.runB}`,
    }),
    400,
    () => logMetric({ run_id: w.runA }),
  ],
  [
    'snake and camel spellings naming different runs',
    () => logMetric({ run_id: w.runA, runId: w.runB }),
    400,
    () => logMetric({ run_id: w.runA }),
  ],
  [
    'run_id and run_uuid naming different runs',
    () => logMetric({ run_id: w.runA, run_uuid: w.runB }),
    400,
    () => logMetric({ run_id: w.runA }),
  ],
  [
    'a JSON body that is a string (MLflow decodes it twice)',
    () => ({ ...logMetric({}), body: JSON.stringify(logMetric({ run_id: w.runA }).body) }),
    400,
    () => logMetric({ run_id: w.runA }),
  ],
  [
    'a non-JSON content type',
    () => ({ ...logMetric({ run_id: w.runA }), headers: { 'content-type': 'text/plain' } }),
    400,
    () => logMetric({ run_id: w.runA }),
  ],
  [
    'an id given as a JSON number',
    () => ({
      method: 'POST',
      path: '/api/2.0/mlflow/runs/create',
      body: JSON.stringify({ experiment_id: Number(w.a) }),
    }),
    400,
    () => ({
      method: 'POST',
      path: '/api/2.0/mlflow/runs/create',
      body: JSON.stringify({ experiment_id: w.a }),
    }),
  ],
  [
    'an oversized JSON body',
    () => logMetric({ run_id: w.runA, pad: 'x'.repeat(4096) }),
    413,
    () => logMetric({ run_id: w.runA }),
  ],
  [
    'a GET with a body',
    // Node's client frames no body on a GET unless told to: without Content-Length the two bytes
    // would arrive as a second, malformed request.
    () => ({
      path: `/api/2.0/mlflow/experiments/get?experiment_id=${w.a}`,
      body: '{}',
      headers: { 'content-length': '2' },
    }),
    400,
    () => ({ path: `/api/2.0/mlflow/experiments/get?experiment_id=${w.a}` }),
  ],
  [
    'a method-override header',
    () => ({
      path: `/api/2.0/mlflow/experiments/get?experiment_id=${w.a}`,
      headers: { 'x-http-method-override': 'DELETE' },
    }),
    400,
    () => ({ path: `/api/2.0/mlflow/experiments/get?experiment_id=${w.a}` }),
  ],
  [
    'a header name with an underscore',
    () => ({
      path: `/api/2.0/mlflow/experiments/get?experiment_id=${w.a}`,
      headers: { x_forwarded_user: 'admin' },
    }),
    400,
    () => ({ path: `/api/2.0/mlflow/experiments/get?experiment_id=${w.a}` }),
  ],
  [
    'HEAD on an experiment the caller may not read (decided as GET)',
    () => ({ method: 'HEAD', path: `/api/2.0/mlflow/experiments/get?experiment_id=${w.b}` }),
    403,
    () => ({ method: 'HEAD', path: `/api/2.0/mlflow/experiments/get?experiment_id=${w.a}` }),
  ],
  [
    'an uncatalogued route',
    () => ({ path: '/api/2.0/preview/mlflow/experiments/list' }),
    404,
    () => ({ path: `/api/2.0/mlflow/experiments/get?experiment_id=${w.a}` }),
  ],
]

describe('canonicalisation against the real MLflow', () => {
  it.each(RULES)(
    'refuses %s before MLflow sees it; the twin reaches MLflow',
    async (_name, trick, status, twin) => {
      const refused = await asEditor(trick())
      expect(refused.status, refused.body).toBe(status)
      expect(refused.reachedMlflow).toBe(false)
      if (refused.body) expect(JSON.parse(refused.body)).toHaveProperty('error_code')
      const allowed = await asEditor(twin())
      expect(allowed.reachedMlflow).toBe(true)
      // MLflow builds a HEAD's message from the (empty) body, not the query
      // (handlers.py _get_request_message checks `method == "GET"`), so it answers HEAD with 400.
      expect(allowed.status, allowed.body).toBe(twin().method === 'HEAD' ? 400 : 200)
    },
  )

  it('shows why the encoded slash matters: MLflow itself routes it as a plain slash', async () => {
    const res = await send(
      `${mlflow().url}/api/2.0/mlflow%2Fexperiments%2Fget?experiment_id=${w.b}`,
      { auth: false },
    )
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body).experiment.name).toBe('hidden')
  })
})
