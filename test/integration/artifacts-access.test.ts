/**
 * Who may list, download, upload and delete which artifacts through the mlflow-artifacts routes,
 * against the real MLflow: paths are decided on the experiments whose artifact folders hold them,
 * including experiments with a custom `mlflow-artifacts:/...` location and a shared folder, and a
 * path that maps to nothing is denied. Denied requests never reach MLflow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from '../../src/identify/password.js'
import {
  createExperiment,
  createLoggedModel,
  createRun,
  hasFile,
  putFile,
  type SeededRun,
} from '../harness/artifacts.js'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { send, until } from '../harness/http.js'
import { useMlflow } from '../harness/mlflow.js'
import { runPython } from '../harness/python.js'
import { basic, USERS } from '../harness/users.js'

const mlflow = useMlflow()
let gateway: TestGateway
const MANAGER_PW = 'manager-pw'
let managerAuth = ''

/** A and B default locations; C and D custom ones; S shares A's folder; N lives inside A's run. */
const w = {
  a: '',
  b: '',
  c: '',
  d: '',
  s: '',
  runA: {} as SeededRun,
  runB: {} as SeededRun,
  runC: {} as SeededRun,
  runD: {} as SeededRun,
  runS: {} as SeededRun,
  modelA: '',
}

beforeAll(async () => {
  const m = mlflow()
  w.a = await createExperiment(m, 'art-a')
  w.b = await createExperiment(m, 'art-b')
  w.c = await createExperiment(m, 'art-c', 'mlflow-artifacts:/team/custom-c')
  w.d = await createExperiment(m, 'art-d', 'mlflow-artifacts:/team/custom-d')
  // Created by someone at A's location: MLflow allows it, and the two share one folder.
  w.s = await createExperiment(m, 'art-s', `mlflow-artifacts:/${w.a}`)
  w.runA = await createRun(m, w.a)
  w.runB = await createRun(m, w.b)
  w.runC = await createRun(m, w.c)
  w.runD = await createRun(m, w.d)
  w.runS = await createRun(m, w.s)
  for (const r of [w.runA, w.runB, w.runC, w.runD, w.runS]) {
    await putFile(m, `${r.storePath}/hello.txt`, `hello from ${r.experimentId}`)
  }
  const lm = await createLoggedModel(m, w.a)
  w.modelA = lm.storePath
  await putFile(m, `${lm.storePath}/MLmodel`, 'flavors: {}\n')
  const managerHash = await hashPassword(MANAGER_PW)
  managerAuth = `Basic ${Buffer.from(`manager:${MANAGER_PW}`).toString('base64')}`
  gateway = await startTestGateway(m.url, {
    access: {
      anonymous: true,
      users: [
        { name: 'admin', password_hash: USERS.admin.hash, admin: true },
        { name: 'reader', password_hash: USERS.reader.hash },
        { name: 'editor', password_hash: USERS.editor.hash },
        { name: 'manager', password_hash: managerHash },
      ],
      grants: [
        { to: 'anonymous', experiments: ['art-c'], permission: 'READ' },
        { to: 'user:reader', experiment_ids: [w.a, w.c], permission: 'READ' },
        { to: 'user:editor', experiment_ids: [w.a], permission: 'EDIT' },
        { to: 'user:manager', experiment_ids: [w.a], permission: 'MANAGE' },
      ],
      create: [{ to: 'user:editor', experiments: ['art-new-*'] }],
      // Folders in custom places are what this file is about.
      custom_artifact_locations: true,
    },
  })
}, 120_000)
afterAll(async () => {
  await gateway?.close()
})

type Who = 'anonymous' | 'reader' | 'editor' | 'manager' | 'admin'

const auth = (who: Who): Record<string, string> =>
  who === 'anonymous' ? {} : { authorization: who === 'manager' ? managerAuth : basic(who) }

/** Sends through the gateway as `who`; `reached` says whether MLflow saw the request. */
async function as(
  who: Who,
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; body: string; reached: boolean }> {
  const res = await send(gateway.url, {
    method,
    path,
    auth: false,
    headers: {
      ...auth(who),
      ...(body !== undefined && {
        'content-type': path.includes('/mpu/') ? 'application/json' : 'application/octet-stream',
      }),
    },
    ...(body !== undefined && { body }),
  })
  const id = res.headers['x-request-id']
  await until(() => gateway.audit.some((e) => e.request_id === id), 2_000, 'audit line')
  const line = gateway.audit.find((e) => e.request_id === id)!
  return { status: res.status, body: res.body, reached: line.upstream_status !== null }
}

const ART = '/api/2.0/mlflow-artifacts'
const file = (r: SeededRun, name = 'hello.txt') => `${ART}/artifacts/${r.storePath}/${name}`
const list = (path?: string) =>
  `${ART}/artifacts${path === undefined ? '' : `?path=${encodeURIComponent(path)}`}`

describe('reading artifacts', () => {
  it('a reader of A lists and downloads A’s run artifacts, with the real layout', async () => {
    const listed = await as('reader', 'GET', list(w.runA.storePath))
    expect(listed.status).toBe(200)
    expect(JSON.parse(listed.body).files.map((f: { path: string }) => f.path)).toEqual([
      'hello.txt',
    ])
    const got = await as('reader', 'GET', file(w.runA))
    expect(got).toMatchObject({ status: 200, body: `hello from ${w.a}` })
    // The same under the /ajax-api prefix the UI uses.
    const ajax = await as('reader', 'GET', file(w.runA).replace('/api/', '/ajax-api/'))
    expect(ajax.status).toBe(200)
  })

  it('a reader of A reads A’s logged model artifacts and A’s own folder', async () => {
    expect(await as('reader', 'GET', `${ART}/artifacts/${w.modelA}/MLmodel`)).toMatchObject({
      status: 200,
      body: 'flavors: {}\n',
    })
    // The experiment's folder is shared with S (created at A's location): both must allow.
    expect((await as('reader', 'GET', list(w.a))).status).toBe(403)
    expect((await as('admin', 'GET', list(w.a))).status).toBe(200)
  })

  it('a reader of C reads C’s artifacts at its custom location (first segment not an id)', async () => {
    expect(w.runC.storePath).toMatch(/^team\/custom-c\/[0-9a-f]{32}\/artifacts$/)
    expect((await as('reader', 'GET', list(w.runC.storePath))).status).toBe(200)
    expect(await as('reader', 'GET', file(w.runC))).toMatchObject({
      status: 200,
      body: `hello from ${w.c}`,
    })
  })

  it.each([
    ['B’s run (default location)', () => w.runB],
    ['D’s run (custom location)', () => w.runD],
    ['S’s run (a folder shared with A)', () => w.runS],
  ])('a reader of A cannot list or download %s, and MLflow never hears of it', async (_, run) => {
    for (const path of [
      list(run().storePath),
      file(run()),
      `${ART}/presigned/${run().storePath}/hello.txt`,
    ]) {
      expect(await as('reader', 'GET', path), path).toMatchObject({ status: 403, reached: false })
    }
  })

  it.each([
    ['the root', undefined],
    ['the root, named', ''],
    ['a folder above experiments', 'team'],
    ['a prefix no experiment has', 'nowhere/x'],
    ['a run of B under A’s id', () => `${w.a}/${w.runB.runId}/artifacts`],
    ['a run that does not exist', () => `${w.a}/${'f'.repeat(32)}/artifacts`],
    ['beside a run’s artifacts folder', () => `${w.a}/${w.runA.runId}/other`],
    ['the skill namespace', 'skills'],
  ])('%s maps to nothing: denied to a reader, allowed to an admin', async (_, p) => {
    const path = typeof p === 'function' ? p() : p
    expect(await as('reader', 'GET', list(path))).toMatchObject({ status: 403, reached: false })
    expect((await as('admin', 'GET', list(path))).reached).toBe(true)
  })

  it('anonymous reads only what anonymous was granted', async () => {
    expect((await as('anonymous', 'GET', file(w.runC))).status).toBe(200)
    expect(await as('anonymous', 'GET', file(w.runA))).toMatchObject({
      status: 403,
      reached: false,
    })
    expect(await as('anonymous', 'GET', list())).toMatchObject({ status: 403, reached: false })
  })

  it('run-keyed downloads are decided on the run: get-artifact', async () => {
    const get = (r: SeededRun) => `/get-artifact?run_id=${r.runId}&path=hello.txt`
    expect(await as('reader', 'GET', get(w.runA))).toMatchObject({ status: 200 })
    expect(await as('reader', 'GET', get(w.runC))).toMatchObject({ status: 200 })
    expect(await as('reader', 'GET', get(w.runB))).toMatchObject({ status: 403, reached: false })
  })
})

describe('writing artifacts', () => {
  it('an editor of A uploads to A’s run; MLflow stores it', async () => {
    const res = await as('editor', 'PUT', file(w.runA, 'new.txt'), 'new')
    expect(res.status).toBe(200)
    expect(await hasFile(mlflow(), `${w.runA.storePath}/new.txt`)).toBe(true)
  })

  it.each([
    ['B', () => w.runB],
    ['D (custom location)', () => w.runD],
    ['S (shares A’s folder)', () => w.runS],
  ])('an editor of A cannot upload to %s, and nothing is stored', async (_, run) => {
    const res = await as('editor', 'PUT', file(run(), 'intruder.txt'), 'x')
    expect(res).toMatchObject({ status: 403, reached: false })
    expect(await hasFile(mlflow(), `${run().storePath}/intruder.txt`)).toBe(false)
  })

  it('a reader cannot upload even to A', async () => {
    expect(await as('reader', 'PUT', file(w.runA, 'r.txt'), 'x')).toMatchObject({
      status: 403,
      reached: false,
    })
  })

  it('multipart uploads are decided before MLflow, even though its local store refuses them', async () => {
    const body = JSON.stringify({ path: 'big.bin', num_parts: 2, upload_id: 'u' })
    for (const step of ['create', 'complete', 'abort']) {
      const intoA = await as('editor', 'POST', `${ART}/mpu/${step}/${w.runA.storePath}`, body)
      // Allowed: MLflow answers for itself (its local artifact repository has no multipart).
      expect(intoA.reached, step).toBe(true)
      expect(intoA.status, step).not.toBe(403)
      const intoB = await as('editor', 'POST', `${ART}/mpu/${step}/${w.runB.storePath}`, body)
      expect(intoB, step).toMatchObject({ status: 403, reached: false })
      const byReader = await as('reader', 'POST', `${ART}/mpu/${step}/${w.runA.storePath}`, body)
      expect(byReader, step).toMatchObject({ status: 403, reached: false })
    }
  })

  it('deleting needs MANAGE: the editor may not, the manager may, and only in A', async () => {
    await putFile(mlflow(), `${w.runA.storePath}/doomed.txt`, 'x')
    expect(await as('editor', 'DELETE', file(w.runA, 'doomed.txt'))).toMatchObject({
      status: 403,
      reached: false,
    })
    expect(await as('manager', 'DELETE', file(w.runB))).toMatchObject({
      status: 403,
      reached: false,
    })
    expect(await hasFile(mlflow(), `${w.runB.storePath}/hello.txt`)).toBe(true)
    expect((await as('manager', 'DELETE', file(w.runA, 'doomed.txt'))).status).toBe(200)
    expect(await hasFile(mlflow(), `${w.runA.storePath}/doomed.txt`)).toBe(false)
  })

  it('an admin may write anywhere, the root included', async () => {
    expect((await as('admin', 'PUT', file(w.runD, 'by-admin.txt'), 'x')).status).toBe(200)
    expect((await as('admin', 'GET', list())).status).toBe(200)
  })

  it('by default only admins choose where a new experiment keeps its artifacts', async () => {
    const strict = await startTestGateway(mlflow().url, {
      access: {
        users: [{ name: 'editor', password_hash: USERS.editor.hash }],
        create: [{ to: 'user:editor', experiments: ['art-new-*'] }],
      },
    })
    try {
      const create = (body: object) =>
        send(`${strict.url}/api/2.0/mlflow/experiments/create`, {
          method: 'POST',
          auth: false,
          headers: { authorization: basic('editor'), 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      // Where artifact_location could send MLflow: another experiment's folder, another host.
      for (const location of [`mlflow-artifacts:/${w.a}`, 'http://169.254.169.254/latest']) {
        const refused = await create({ name: 'art-new-strict', artifactLocation: location })
        expect(refused.status).toBe(403)
        expect(JSON.parse(refused.body).message).toContain('access.custom_artifact_locations')
      }
      const missing = await fetch(
        `${mlflow().url}/api/2.0/mlflow/experiments/get-by-name?experiment_name=art-new-strict`,
      )
      expect(missing.status).toBe(404)
      // An empty location is MLflow's default one.
      expect((await create({ name: 'art-new-strict', artifact_location: '' })).status).toBe(200)
    } finally {
      await strict.close()
    }
  })

  it('an experiment created through the gateway has its folder mapped at once', async () => {
    const created = await send(`${gateway.url}/api/2.0/mlflow/experiments/create`, {
      method: 'POST',
      auth: false,
      headers: { authorization: basic('editor'), 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'art-new-1',
        artifact_location: 'mlflow-artifacts:/team/new-1',
      }),
    })
    expect(created.status).toBe(200)
    const experimentId = JSON.parse(created.body).experiment_id as string
    const run = await send(`${gateway.url}/api/2.0/mlflow/runs/create`, {
      method: 'POST',
      auth: false,
      headers: { authorization: basic('editor'), 'content-type': 'application/json' },
      body: JSON.stringify({ experiment_id: experimentId }),
    })
    const runId = JSON.parse(run.body).run.info.run_id as string
    const path = `${ART}/artifacts/team/new-1/${runId}/artifacts/first.txt`
    expect((await as('editor', 'PUT', path, 'first')).status).toBe(200)
    expect((await as('reader', 'GET', path)).status).toBe(403)
  })
})

describe('the MLflow Python client', () => {
  type Seen = Record<string, string | string[]>
  const client = (who: 'reader' | 'editor') =>
    runPython<Seen>('artifacts_client.py', [w.runA.runId, w.runC.runId, w.runB.runId], {
      MLFLOW_TRACKING_URI: gateway.url,
      MLFLOW_TRACKING_USERNAME: who,
      MLFLOW_TRACKING_PASSWORD: USERS[who].password,
    })

  it('reads A and the custom-location C as a reader, and is refused B', async () => {
    const seen = await client('reader')
    expect(seen.list_a).toContain('hello.txt')
    expect(seen).toMatchObject({
      download_a: `hello from ${w.a}`,
      list_c: ['hello.txt'],
      download_c: `hello from ${w.c}`,
      list_b: 'PERMISSION_DENIED',
      download_b: 'PERMISSION_DENIED',
      log_a: 'HTTP 403',
    })
  })

  it('logs to A as an editor, and is refused B', async () => {
    const seen = await client('editor')
    // For B the client is already refused when it reads the run to find its artifact URI.
    expect(seen).toMatchObject({ log_a: 'OK', log_b: 'PERMISSION_DENIED' })
    expect(await hasFile(mlflow(), `${w.runA.storePath}/from-client.txt`)).toBe(true)
    expect(await hasFile(mlflow(), `${w.runB.storePath}/from-client.txt`)).toBe(false)
  })
})
