/**
 * Downloaded artifacts cannot run script in the gateway's origin: against the real MLflow, an
 * uploaded `evil.html` and `evil.svg` come back as attachments, sandboxed and unsniffable, on
 * every download route, while PNG, JSON and text keep what MLflow sends (the UI shows them).
 * The recording upstream stands in for an artifact server that sends HTML inline, which MLflow
 * 3.18.0 never does, and shows the body still streams.
 */
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createExperiment, createLoggedModel, createRun, putFile } from '../harness/artifacts.js'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { send } from '../harness/http.js'
import { callMlflow, useMlflow } from '../harness/mlflow.js'
import { startRecordingUpstream, type RecordingUpstream } from '../harness/recording-upstream.js'
import { basic } from '../harness/users.js'

const mlflow = useMlflow()
let gateway: TestGateway
const w = { runId: '', store: '', modelId: '', modelStore: '' }

// A 1x1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
)
const FILES: Record<string, string | Buffer> = {
  'evil.html': '<script>fetch("/api/2.0/mlflow/experiments/delete",{method:"POST"})</script>',
  'evil.svg':
    '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>',
  'evil.xhtml': '<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>',
  'plot.png': PNG,
  'metrics.json': '{"loss": 0.1}',
  'notes.txt': 'plain <b>text</b>',
}
const ACTIVE = ['evil.html', 'evil.svg', 'evil.xhtml']
const SHOWN = ['plot.png', 'metrics.json', 'notes.txt']

beforeAll(async () => {
  const m = mlflow()
  const experimentId = await createExperiment(m, 'downloads')
  const run = await createRun(m, experimentId)
  w.runId = run.runId
  w.store = run.storePath
  const lm = await createLoggedModel(m, experimentId)
  w.modelId = lm.modelId
  w.modelStore = lm.storePath
  for (const [name, body] of Object.entries(FILES)) {
    await putFile(m, `${run.storePath}/${name}`, body)
    await putFile(m, `${lm.storePath}/${name}`, body)
  }
  await callMlflow(m, '/api/2.0/mlflow/registered-models/create', { name: 'downloads-model' })
  await callMlflow(m, '/api/2.0/mlflow/model-versions/create', {
    name: 'downloads-model',
    source: `mlflow-artifacts:/${run.storePath}`,
    run_id: run.runId,
  })
  gateway = await startTestGateway(m.url)
})
afterAll(async () => {
  await gateway?.close()
})

/** Every route that answers with a stored file, for a file name. */
const ROUTES: [string, (name: string) => string][] = [
  ['mlflow-artifacts', (n) => `/api/2.0/mlflow-artifacts/artifacts/${w.store}/${n}`],
  ['mlflow-artifacts (ajax)', (n) => `/ajax-api/2.0/mlflow-artifacts/artifacts/${w.store}/${n}`],
  ['get-artifact', (n) => `/get-artifact?run_id=${w.runId}&path=${n}`],
  [
    'model-versions/get-artifact',
    (n) => `/model-versions/get-artifact?name=downloads-model&version=1&path=${n}`,
  ],
  [
    'logged-model files',
    (n) =>
      `/ajax-api/2.0/mlflow/logged-models/${w.modelId}/artifacts/files?artifact_file_path=${n}`,
  ],
]

const viaGateway = (path: string) => send(`${gateway.url}${path}`)
const direct = (path: string) => send(`${mlflow().url}${path}`, { auth: false })

describe.each(ROUTES)('%s', (_, url) => {
  it.each(ACTIVE)('sends %s as a sandboxed, unsniffable attachment', async (name) => {
    const res = await viaGateway(url(name))
    expect(res.status).toBe(200)
    expect(res.body).toBe(FILES[name])
    expect(res.headers['content-disposition']).toMatch(
      new RegExp(`^attachment; filename=("?)${name.replace('.', '\\.')}\\1$`),
    )
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['content-security-policy']).toBe("sandbox; default-src 'none'")
  })

  it.each(SHOWN)(
    'keeps MLflow’s type and disposition for %s, adding only the sandbox',
    async (name) => {
      const [res, mine] = await Promise.all([viaGateway(url(name)), direct(url(name))])
      expect(res.status).toBe(200)
      expect(res.body.length).toBeGreaterThan(0)
      expect(res.body).toBe(mine.body)
      expect(res.headers['content-type']).toBe(mine.headers['content-type'])
      expect(res.headers['content-disposition']).toBe(mine.headers['content-disposition'])
      expect(res.headers['x-content-type-options']).toBe('nosniff')
      // MLflow sends no policy of its own: this one is the gateway's.
      expect(mine.headers['content-security-policy']).toBeUndefined()
      expect(res.headers['content-security-policy']).toBe("sandbox; default-src 'none'")
    },
  )
})

it('what MLflow 3.18.0 sends itself: attachment and nosniff, with the real media types', async () => {
  const res = await direct(ROUTES[0]![1]('evil.svg'))
  expect(res.headers['content-type']).toBe('image/svg+xml')
  expect(res.headers['content-disposition']).toBe('attachment; filename=evil.svg')
  expect(res.headers['x-content-type-options']).toBe('nosniff')
})

describe('an artifact server that would let HTML render (recording upstream)', () => {
  let upstream: RecordingUpstream
  let fake: TestGateway
  beforeAll(async () => {
    upstream = await startRecordingUpstream()
    fake = await startTestGateway(upstream.url)
  })
  afterAll(async () => {
    await Promise.all([fake?.close(), upstream?.close()])
  })

  it.each([
    [
      'text/html; charset=utf-8',
      'inline; filename="evil.html"',
      'attachment; filename="evil.html"',
    ],
    ['image/svg+xml', undefined, 'attachment'],
    [undefined, undefined, 'attachment'],
  ])('forces %s (sent as %s) to %s', async (type, disposition, expected) => {
    upstream.behave((_req, res) => {
      res.writeHead(200, {
        ...(type && { 'content-type': type }),
        ...(disposition && { 'content-disposition': disposition }),
        'x-content-type-options': 'sniff-away',
      })
      res.end('<script>alert(1)</script>')
    })
    const res = await send(`${fake.url}/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/evil`)
    expect(res.headers['content-disposition']).toBe(expected)
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['content-security-policy']).toBe("sandbox; default-src 'none'")
  })

  it('does not touch responses of routes that serve no stored file', async () => {
    upstream.behave((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<html>the MLflow UI</html>')
    })
    const res = await send(`${fake.url}/`)
    expect(res.headers['content-disposition']).toBeUndefined()
    expect(res.headers['content-security-policy']).toBeUndefined()
  })

  it('streams a download: the first bytes arrive before MLflow has finished', async () => {
    let finish: () => void = () => undefined
    upstream.behave((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.write('first chunk;')
      finish = () => res.end('last chunk')
    })
    const chunks: string[] = []
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = request(`${fake.url}/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/big.html`, {
        headers: { authorization: basic('admin') },
      })
      req.on('response', (res) => {
        res.setEncoding('utf8')
        res.on('data', (c: string) => {
          chunks.push(c)
          // Only once the first chunk is through does the upstream send the rest.
          if (chunks.length === 1) finish()
        })
        res.on('end', () => resolve(res.headers))
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end()
    })
    expect(chunks[0]).toBe('first chunk;')
    expect(chunks.join('')).toBe('first chunk;last chunk')
    expect(headers['content-disposition']).toBe('attachment')
  })
})
