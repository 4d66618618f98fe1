/**
 * Artifacts on an MLflow started with `--enable-workspaces`: experiments live under
 * `workspaces/<name>/<id>` in the store, which the gateway maps like any other location. Since the
 * gateway strips `X-MLFLOW-WORKSPACE`, MLflow answers for the default workspace only, and paths in
 * another workspace (or the legacy unprefixed layout) map to nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createExperiment, createRun, putFile, type SeededRun } from '../harness/artifacts.js'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { send, until } from '../harness/http.js'
import { useMlflow } from '../harness/mlflow.js'
import { basic, USERS } from '../harness/users.js'

const mlflow = useMlflow({ extraArgs: ['--enable-workspaces'] })
let gateway: TestGateway
const w = { a: '', b: '', runA: {} as SeededRun, storeB: '' }

/** A direct call to MLflow in workspace `team-b`. */
async function inTeamB<T>(path: string, body: object): Promise<T> {
  const res = await fetch(`${mlflow().url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-mlflow-workspace': 'team-b' },
    body: JSON.stringify(body),
  })
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

beforeAll(async () => {
  const m = mlflow()
  w.a = await createExperiment(m, 'ws-a')
  w.runA = await createRun(m, w.a)
  await putFile(m, `${w.runA.storePath}/hello.txt`, 'hello from the default workspace')
  // Answered 201, which callMlflow does not take.
  const ws = await fetch(`${m.url}/api/3.0/mlflow/workspaces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'team-b' }),
  })
  expect(ws.status).toBe(201)
  w.b = (
    await inTeamB<{ experiment_id: string }>('/api/2.0/mlflow/experiments/create', { name: 'ws-b' })
  ).experiment_id
  const runB = await inTeamB<{ run: { info: { artifact_uri: string } } }>(
    '/api/2.0/mlflow/runs/create',
    { experiment_id: w.b },
  )
  w.storeB = runB.run.info.artifact_uri.replace('mlflow-artifacts:/', '')
  gateway = await startTestGateway(m.url, {
    access: {
      users: [{ name: 'reader', password_hash: USERS.reader.hash }],
      // B is granted too: what keeps it out is that it is not in the workspace MLflow answers for.
      grants: [{ to: 'user:reader', experiment_ids: [w.a, w.b], permission: 'READ' }],
    },
  })
}, 180_000)
afterAll(async () => {
  await gateway?.close()
})

async function asReader(path: string, headers: Record<string, string> = {}) {
  const res = await send(gateway.url, {
    path,
    auth: false,
    headers: { authorization: basic('reader'), ...headers },
  })
  const id = res.headers['x-request-id']
  await until(() => gateway.audit.some((e) => e.request_id === id), 2_000, 'audit line')
  const line = gateway.audit.find((e) => e.request_id === id)!
  return { status: res.status, body: res.body, reached: line.upstream_status !== null }
}

const ART = '/api/2.0/mlflow-artifacts/artifacts'

describe('with workspaces enabled', () => {
  it('lays the default workspace’s experiments out under workspaces/default/', () => {
    expect(w.runA.storePath).toBe(`workspaces/default/${w.a}/${w.runA.runId}/artifacts`)
    expect(w.storeB).toMatch(new RegExp(`^workspaces/team-b/${w.b}/[0-9a-f]{32}/artifacts$`))
  })

  it('maps a default-workspace path to its experiment', async () => {
    expect(await asReader(`${ART}/${w.runA.storePath}/hello.txt`)).toMatchObject({
      status: 200,
      body: 'hello from the default workspace',
    })
    const listed = await asReader(`${ART}?path=${encodeURIComponent(w.runA.storePath)}`)
    expect(listed.status).toBe(200)
    expect(listed.body).toContain('hello.txt')
  })

  it.each([
    ['another workspace’s run', () => `${w.storeB}/x.txt`, {}],
    [
      'another workspace’s run, asking for that workspace',
      () => `${w.storeB}/x.txt`,
      { 'x-mlflow-workspace': 'team-b' },
    ],
    ['the workspaces folder', () => 'workspaces', {}],
    ['the legacy unprefixed layout', () => `${w.a}/${w.runA.runId}/artifacts/hello.txt`, {}],
  ])('denies %s without asking MLflow', async (_, path, headers) => {
    expect(await asReader(`${ART}/${path()}`, headers)).toMatchObject({
      status: 403,
      reached: false,
    })
  })
})
