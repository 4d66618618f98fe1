/**
 * A model version's source is read by MLflow on the caller's behalf: once registered,
 * `model-versions/get-artifact` serves its files to whoever may read the model. Against the real
 * MLflow 3.18.0 and 2.22.5, a user with EDIT on one model and on one experiment cannot
 * register another experiment's run (by runs:/, by its artifact URI, with or without run_id) or
 * another model's version; the same requests from readable places go through, as does the real
 * client's `register_model`. MLflow 2.22.5 on its own takes `runs:/<any run>` with no run_id.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MlflowServer } from '../../src/mlflow/server-process.js'
import { ensureMlflowVenv, MLFLOW_2X } from '../../src/mlflow/venv.js'
import { createExperiment } from '../harness/artifacts.js'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { callMlflow, useMlflow } from '../harness/mlflow.js'
import { runPython } from '../harness/python.js'
import { basic, USERS } from '../harness/users.js'

beforeAll(() => ensureMlflowVenv({ other: MLFLOW_2X, quiet: true }), 600_000)

// A local artifact root that MLflow reads itself: where `model-versions/get-artifact` serves a
// version's files from (with a proxied `mlflow-artifacts:` root it fails in both versions when the
// tracking store is a database: "the tracking URI must be a valid http or https URI").
const root = mkdtempSync(join(tmpdir(), 'mlflow-gate-mv-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const serverWith = (dir: string, bin?: string) =>
  useMlflow({
    startTimeoutMs: 240_000,
    extraArgs: ['--default-artifact-root', join(root, dir)],
    ...(bin && { bin }),
  })
const servers = {
  '3.18.0': serverWith('v3'),
  [MLFLOW_2X.version]: serverWith('v2', `${MLFLOW_2X.venv}/bin/mlflow`),
}

type SeededRun = { runId: string; uri: string; experimentId: string }

async function createRun(mlflow: MlflowServer, experimentId: string): Promise<SeededRun> {
  const { run } = await callMlflow<{ run: { info: { run_id: string; artifact_uri: string } } }>(
    mlflow,
    '/api/2.0/mlflow/runs/create',
    { experiment_id: experimentId },
  )
  return { runId: run.info.run_id, uri: run.info.artifact_uri, experimentId }
}

/** Writes a file into a run's local artifact folder, as a client logging to it would. */
function putFile(run: SeededRun, path: string, text: string): void {
  const dir = run.uri.startsWith('file:') ? fileURLToPath(run.uri) : run.uri
  mkdirSync(join(dir, path, '..'), { recursive: true })
  writeFileSync(join(dir, path), text)
}

type World = { mlflow: MlflowServer; gateway: TestGateway; pub: SeededRun; priv: SeededRun }

const SECRET = 'private weights'

async function seed(mlflow: MlflowServer): Promise<World> {
  const pubExp = await createExperiment(mlflow, 'mv-public')
  const privExp = await createExperiment(mlflow, 'mv-private')
  const pub = await createRun(mlflow, pubExp)
  const priv = await createRun(mlflow, privExp)
  putFile(priv, 'model/weights.txt', SECRET)
  putFile(pub, 'model/weights.txt', 'public weights')
  for (const name of ['mv-target', 'mv-other'])
    await callMlflow(mlflow, '/api/2.0/mlflow/registered-models/create', { name })
  await callMlflow(mlflow, '/api/2.0/mlflow/model-versions/create', {
    name: 'mv-other',
    source: `${priv.uri}/model`,
    run_id: priv.runId,
  })
  const gateway = await startTestGateway(mlflow.url, {
    access: {
      users: [
        { name: 'admin', password_hash: USERS.admin.hash, admin: true },
        { name: 'editor', password_hash: USERS.editor.hash },
      ],
      grants: [
        { to: 'user:editor', registered_models: ['mv-target'], permission: 'EDIT' },
        // EDIT: the 3.18 client's register_model also tags the run's logged model.
        { to: 'user:editor', experiments: ['mv-public'], permission: 'EDIT' },
      ],
    },
  })
  return { mlflow, gateway, pub, priv }
}

async function createVersion(url: string, who: 'editor' | 'admin', body: object) {
  const res = await fetch(`${url}/api/2.0/mlflow/model-versions/create`, {
    method: 'POST',
    headers: { authorization: basic(who), 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'mv-target', ...body }),
  })
  return { status: res.status, json: (await res.json()) as Record<string, any> }
}

async function versionsOf(mlflow: MlflowServer, name: string): Promise<{ source: string }[]> {
  const { model_versions = [] } = await callMlflow<{ model_versions?: { source: string }[] }>(
    mlflow,
    `/api/2.0/mlflow/model-versions/search?filter=${encodeURIComponent(`name='${name}'`)}`,
  )
  return model_versions
}

describe.each(Object.keys(servers))('model version sources on MLflow %s', (version) => {
  let w: World
  beforeAll(async () => {
    w = await seed(servers[version as keyof typeof servers]())
  }, 120_000)
  afterAll(() => w?.gateway.close())

  it('refuses every way of registering files the caller may not read, before MLflow', async () => {
    const refused = [
      { source: `runs:/${w.priv.runId}/model`, run_id: w.priv.runId },
      { source: `runs:/${w.priv.runId}/model` },
      // A readable run_id beside a source outside it.
      { source: `runs:/${w.priv.runId}/model`, run_id: w.pub.runId },
      { source: `${w.priv.uri}/model`, run_id: w.pub.runId },
      { source: `${w.priv.uri}/model` },
      {
        source: `${w.pub.uri}/../../../${w.priv.uri.split('/').slice(-3).join('/')}`,
        run_id: w.pub.runId,
      },
      {
        source: `${w.pub.uri}/%2e%2e/%2e%2e/%2e%2e/${w.priv.uri.split('/').slice(-3).join('/')}`,
        run_id: w.pub.runId,
      },
      { source: 'models:/mv-other/1' },
      { source: 'models:/mv-other@champion' },
      { source: 'file:///etc', run_id: w.pub.runId },
      { source: 's3://bucket/somewhere' },
      { source: 'dummy-source', tags: [{ key: 'mlflow.prompt.is_prompt', value: 'false' }] },
    ]
    for (const body of refused) {
      const res = await createVersion(w.gateway.url, 'editor', body)
      expect(res.status, JSON.stringify(body)).toBe(403)
      expect(res.json.error_code).toBe('PERMISSION_DENIED')
    }
    expect(await versionsOf(w.mlflow, 'mv-target')).toEqual([])
    const reasons = w.gateway.audit.filter((e) => e.allow === false).flatMap((e) => e.reasons)
    expect(reasons.map((r) => r.code)).toContain('source-outside-origin')
  })

  it('lets the same requests through from places the caller may read', async () => {
    for (const body of [
      { source: `runs:/${w.pub.runId}/model`, run_id: w.pub.runId },
      { source: `${w.pub.uri}/model`, run_id: w.pub.runId },
    ]) {
      const res = await createVersion(w.gateway.url, 'editor', body)
      expect(res.status, JSON.stringify(res.json)).toBe(200)
    }
    const res = await fetch(
      `${w.gateway.url}/model-versions/get-artifact?name=mv-target&version=1&path=weights.txt`,
      { headers: { authorization: basic('editor') } },
    )
    expect(await res.text()).toBe('public weights')
  })

  // The 3.18 client against the 3.18 server (its log_model and register_model differ in 2.x).
  if (version === '3.18.0')
    it("the real client: an admin logs a model, the editor's register_model adds it; another experiment's run is refused", async () => {
      const seen = await runPython<Record<string, string>>(
        'model_version_sources.py',
        ['mv-target', w.pub.experimentId, w.priv.runId, 'admin', 'editor'],
        {
          MLFLOW_TRACKING_URI: w.gateway.url,
          ADMIN_PASSWORD: USERS.admin.password,
          EDITOR_PASSWORD: USERS.editor.password,
        },
      )
      expect(seen).toEqual({
        register: expect.stringMatching(/^\d+$/),
        create_from_other: 'PERMISSION_DENIED',
      })
      // register_model began with registered-models/create: answered as MLflow would, not denied.
      const created = w.gateway.audit.filter((e) => e.path.endsWith('registered-models/create'))
      expect(created.at(-1)).toMatchObject({ status: 409, upstream_status: null })
    })

  it('admins register anything', async () => {
    const res = await createVersion(w.gateway.url, 'admin', {
      source: `runs:/${w.priv.runId}/model`,
      run_id: w.priv.runId,
    })
    expect(res.status, JSON.stringify(res.json)).toBe(200)
  })
})

describe('what MLflow does on its own', () => {
  it(`MLflow ${MLFLOW_2X.version} registers runs:/<any run> with no run_id, and serves its files`, async () => {
    const mlflow = servers[MLFLOW_2X.version]()
    const exp = await createExperiment(mlflow, 'mv-alone')
    const run = await createRun(mlflow, exp)
    putFile(run, 'model/weights.txt', SECRET)
    await callMlflow(mlflow, '/api/2.0/mlflow/registered-models/create', { name: 'mv-alone' })
    await callMlflow(mlflow, '/api/2.0/mlflow/model-versions/create', {
      name: 'mv-alone',
      source: `runs:/${run.runId}/model`,
    })
    const res = await fetch(
      `${mlflow.url}/model-versions/get-artifact?name=mv-alone&version=1&path=weights.txt`,
    )
    expect(await res.text()).toBe(SECRET)
  })
})
