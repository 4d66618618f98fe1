/**
 * Path tricks on every artifact route are refused before MLflow sees them: a gateway in front of
 * the recording upstream shows that nothing reached it, even for an admin (so no grant is what
 * refuses). Each route's positive twin, the same request without the trick, works against the
 * real MLflow, so the refusal is not an accident of a broken request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createExperiment, createLoggedModel, createRun, putFile } from '../harness/artifacts.js'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { send, until } from '../harness/http.js'
import { callMlflow, useMlflow } from '../harness/mlflow.js'
import { startRecordingUpstream, type RecordingUpstream } from '../harness/recording-upstream.js'

const mlflow = useMlflow()
let real: TestGateway
let fake: TestGateway
let upstream: RecordingUpstream
const w = { a: '', runA: '', store: '', modelId: '' }

beforeAll(async () => {
  const m = mlflow()
  w.a = await createExperiment(m, 'traversal')
  const run = await createRun(m, w.a)
  w.runA = run.runId
  w.store = run.storePath
  await putFile(m, `${run.storePath}/a.txt`, 'a')
  const lm = await createLoggedModel(m, w.a)
  w.modelId = lm.modelId
  await putFile(m, `${lm.storePath}/MLmodel`, 'flavors: {}\n')
  await callMlflow(m, '/api/2.0/mlflow/registered-models/create', { name: 'trav-model' })
  await callMlflow(m, '/api/2.0/mlflow/model-versions/create', {
    name: 'trav-model',
    source: `mlflow-artifacts:/${run.storePath}`,
    run_id: run.runId,
  })
  real = await startTestGateway(m.url)
  upstream = await startRecordingUpstream()
  fake = await startTestGateway(upstream.url)
})
afterAll(async () => {
  await Promise.all([real?.close(), fake?.close(), upstream?.close()])
})

type Req = { method: string; path: string; body?: string }

const jsonOrRaw = (r: Req) =>
  r.body === undefined
    ? {}
    : {
        body: r.body,
        headers: {
          'content-type': r.body.startsWith('{') ? 'application/json' : 'application/octet-stream',
        },
      }

/** Through the gateway in front of the recording upstream: refused, and nothing reached it. */
async function expectRefused(r: Req, code = 'GW_BAD_REQUEST'): Promise<void> {
  const before = upstream.requests.length
  const res = await send(`${fake.url}`, { method: r.method, path: r.path, ...jsonOrRaw(r) })
  expect(JSON.parse(res.body).gateway_code, `${r.method} ${r.path}: ${res.body}`).toBe(code)
  expect(upstream.requests.length, `${r.method} ${r.path} reached the upstream`).toBe(before)
}

/** Through the gateway in front of the real MLflow: MLflow answered, with `status` if given. */
async function expectTwinWorks(r: Req, status?: number): Promise<void> {
  const res = await send(`${real.url}`, { method: r.method, path: r.path, ...jsonOrRaw(r) })
  const id = res.headers['x-request-id']
  await until(() => real.audit.some((e) => e.request_id === id), 2_000, 'audit line')
  const line = real.audit.find((e) => e.request_id === id)!
  expect(line.upstream_status, `${r.method} ${r.path}: ${res.body}`).not.toBeNull()
  if (status !== undefined) expect(res.status, `${r.method} ${r.path}: ${res.body}`).toBe(status)
}

// Tricks written into a URL path after the route's prefix ({artifact_path:path}).
// The third element is the refusal when it is not a 400: a decoded newline is matched by no
// route template (a `:path` parameter does not span line breaks), so it is an unknown route.
const PATH_TRICKS: [string, () => string, string?][] = [
  ['a dot-dot segment', () => `${w.a}/../0/x`],
  ['an encoded dot-dot', () => `${w.a}/%2e%2e/0/x`],
  ['an encoded slash', () => `${w.a}%2F..%2F0%2Fx`],
  ['an encoded backslash', () => `${w.a}%5C..%5C0`],
  ['a raw backslash', () => `${w.a}\\..\\0`],
  ['an absolute path', () => `/etc/passwd`],
  ['a double slash', () => `${w.a}//x`],
  ['NUL', () => `${w.a}/x%00`],
  ['a double-encoded dot-dot', () => `${w.a}/%252e%252e/0`],
  ['an encoded newline', () => `${w.a}/x%0A`, 'GW_UNKNOWN_ROUTE'],
  ['an encoded tab', () => `${w.a}/x%09y`],
  ['an encoded control character', () => `${w.a}/x%01`],
  ['an encoded question mark', () => `${w.a}/x%3F`],
  ['an encoded semicolon', () => `${w.a}/x%3B`],
  ['an encoded fragment', () => `${w.a}/x%23y`],
  ['a drive letter', () => `C:/Windows/win.ini`],
  ['a file URI', () => `file:/etc/passwd`],
]

// Tricks written into a query value (decoded once by Werkzeug, then again by MLflow).
const QUERY_TRICKS: [string, string][] = [
  ['a dot-dot segment', '..%2Fx'],
  ['a dot-dot in the middle', 'a%2F..%2F..%2Fb'],
  ['a double-encoded dot-dot', '%252e%252e%2Fx'],
  ['an absolute path', '%2Fetc%2Fpasswd'],
  ['a drive letter', 'C:%5Cwin.ini'],
  ['a backslash', 'a%5C..%5Cb'],
  ['a double slash', 'a%2F%2Fb'],
  ['NUL', 'a%00'],
  ['a file URI', 'file:%2F%2F%2Fetc%2Fpasswd'],
]

const ART = (prefix: string) => `/${prefix}/2.0/mlflow-artifacts`
const PREFIXES = ['api', 'ajax-api']

describe.each(PREFIXES)('mlflow-artifacts routes under /%s', (prefix) => {
  const base = ART(prefix)
  const mpu = JSON.stringify({ path: 'x.bin', num_parts: 1, upload_id: 'u', parts: [] })
  // [route, build a request for a store path, the twin's expected status]
  const ROUTES: [string, (p: string) => Req, number | undefined][] = [
    ['download', (p) => ({ method: 'GET', path: `${base}/artifacts/${p}` }), 200],
    ['upload', (p) => ({ method: 'PUT', path: `${base}/artifacts/${p}`, body: 'x' }), 200],
    ['delete', (p) => ({ method: 'DELETE', path: `${base}/artifacts/${p}` }), 200],
    [
      'multipart create',
      (p) => ({ method: 'POST', path: `${base}/mpu/create/${p}`, body: mpu }),
      undefined,
    ],
    [
      'multipart complete',
      (p) => ({ method: 'POST', path: `${base}/mpu/complete/${p}`, body: mpu }),
      undefined,
    ],
    [
      'multipart abort',
      (p) => ({ method: 'POST', path: `${base}/mpu/abort/${p}`, body: mpu }),
      undefined,
    ],
    ['presigned', (p) => ({ method: 'GET', path: `${base}/presigned/${p}` }), undefined],
  ]

  describe.each(ROUTES)('%s', (_, build, twinStatus) => {
    it.each(PATH_TRICKS)('refuses %s', async (_, trick, code) => {
      await expectRefused(build(trick()), code)
    })

    it('serves the same request without the trick', async () => {
      const file = `twin-${prefix}.txt`
      if (build('x').method === 'DELETE') await putFile(mlflow(), `${w.store}/${file}`, 'x')
      await expectTwinWorks(
        build(`${w.store}/${build('x').method === 'GET' ? 'a.txt' : file}`),
        twinStatus,
      )
    })
  })

  describe('list', () => {
    it.each(QUERY_TRICKS)('refuses %s in path=', async (_, trick) => {
      await expectRefused({ method: 'GET', path: `${base}/artifacts?path=${trick}` })
    })

    it('refuses a path given twice', async () => {
      await expectRefused({
        method: 'GET',
        path: `${base}/artifacts?path=${encodeURIComponent(w.store)}&path=..`,
      })
    })

    it('serves the same request without the trick', async () => {
      await expectTwinWorks(
        { method: 'GET', path: `${base}/artifacts?path=${encodeURIComponent(w.store)}` },
        200,
      )
    })
  })
})

describe('Flask artifact views and artifact-path fields', () => {
  // [route, a request with the given (already query-encoded) path, a clean path, twin status]
  const VIEWS: [string, (q: string) => Req, string, number | undefined][] = [
    [
      'get-artifact',
      (q) => ({ method: 'GET', path: `/get-artifact?run_id=${w.runA}&path=${q}` }),
      'a.txt',
      200,
    ],
    [
      'model-versions/get-artifact',
      (q) => ({
        method: 'GET',
        path: `/model-versions/get-artifact?name=trav-model&version=1&path=${q}`,
      }),
      'a.txt',
      200,
    ],
    [
      'upload-artifact',
      (q) => ({
        method: 'POST',
        path: `/ajax-api/2.0/mlflow/upload-artifact?run_id=${w.runA}&path=${q}`,
        body: 'x',
      }),
      'uploaded.txt',
      200,
    ],
    [
      'logged-model files',
      (q) => ({
        method: 'GET',
        path: `/ajax-api/2.0/mlflow/logged-models/${w.modelId}/artifacts/files?artifact_file_path=${q}`,
      }),
      'MLmodel',
      200,
    ],
    [
      'logged-model directories',
      (q) => ({
        method: 'GET',
        path: `/api/2.0/mlflow/logged-models/${w.modelId}/artifacts/directories?artifact_directory_path=${q}`,
      }),
      'sub',
      200,
    ],
    [
      'artifacts/list',
      (q) => ({ method: 'GET', path: `/api/2.0/mlflow/artifacts/list?run_id=${w.runA}&path=${q}` }),
      'sub',
      200,
    ],
    [
      'get-trace-artifact (2.0)',
      (q) => ({
        method: 'GET',
        path: `/ajax-api/2.0/mlflow/get-trace-artifact?request_id=tr-none&path=${q}`,
      }),
      'file.txt',
      undefined,
    ],
    [
      'get-trace-artifact (3.0)',
      (q) => ({
        method: 'GET',
        path: `/ajax-api/3.0/mlflow/get-trace-artifact?request_id=tr-none&path=${q}`,
      }),
      'file.txt',
      undefined,
    ],
    [
      'presigned-upload-url',
      (q) => ({
        method: 'POST',
        path: '/api/2.0/mlflow/artifacts/presigned-upload-url',
        body: JSON.stringify({ run_id: w.runA, path: decodeURIComponent(q) }),
      }),
      'x.bin',
      undefined,
    ],
    [
      'presigned-download-url',
      (q) => ({
        method: 'POST',
        path: '/api/2.0/mlflow/artifacts/presigned-download-url',
        body: JSON.stringify({ run_id: w.runA, path: decodeURIComponent(q) }),
      }),
      'a.txt',
      undefined,
    ],
  ]

  describe.each(VIEWS)('%s', (_, build, clean, twinStatus) => {
    it.each(QUERY_TRICKS)('refuses %s', async (_, trick) => {
      await expectRefused(build(trick))
    })

    it('serves the same request without the trick', async () => {
      await expectTwinWorks(build(clean), twinStatus)
    })
  })

  describe('multipart file names', () => {
    const req = (name: string): Req => ({
      method: 'POST',
      path: `/api/2.0/mlflow-artifacts/mpu/create/${w.store}`,
      body: JSON.stringify({ path: name, num_parts: 1 }),
    })

    it.each(['..', 'dir/..', 'C:..', '%2e%2e', 'x%2F..', 'a\u0000b'])(
      'refuses %j',
      async (name) => {
        await expectRefused(req(name))
      },
    )

    it('lets an older client’s absolute local path through: MLflow keeps its file name', async () => {
      await expectTwinWorks(req('/home/me/model.bin'))
      await expectTwinWorks(req('C:\\Users\\me\\model.bin'))
    })
  })
})
