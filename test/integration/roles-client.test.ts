/** "Read-only that is really read-only": guest and anonymous with the real MLflow Python client. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { callMlflow, useMlflow } from '../harness/mlflow.js'
import { runPython } from '../harness/python.js'
import { USERS } from '../harness/users.js'

const mlflow = useMlflow()
let gateway: TestGateway
const world = { experimentId: '', runId: '', model: 'shared-model' }

const direct = <T>(path: string, body?: object) => callMlflow<T>(mlflow(), path, body)

/** What MLflow holds, read directly: the oracle for "nothing changed". */
async function snapshot() {
  const exps = await direct<{ experiments: { name: string; lifecycle_stage: string }[] }>(
    '/api/2.0/mlflow/experiments/search?max_results=1000&view_type=ALL',
  )
  const models = await direct<{ registered_models?: { name: string }[] }>(
    '/api/2.0/mlflow/registered-models/search',
  )
  const history = await direct<{ metrics: { value: number }[] }>(
    `/api/2.0/mlflow/metrics/get-history?run_id=${world.runId}&metric_key=loss`,
  )
  return {
    exps: exps.experiments,
    models: models.registered_models ?? [],
    history: history.metrics,
  }
}

beforeAll(async () => {
  ;({ experiment_id: world.experimentId } = await direct<{ experiment_id: string }>(
    '/api/2.0/mlflow/experiments/create',
    {
      name: 'shared-experiment',
    },
  ))
  const run = await direct<{ run: { info: { run_id: string } } }>('/api/2.0/mlflow/runs/create', {
    experiment_id: world.experimentId,
  })
  world.runId = run.run.info.run_id
  await direct('/api/2.0/mlflow/runs/log-metric', {
    run_id: world.runId,
    key: 'loss',
    value: 0.5,
    timestamp: 1,
    step: 0,
  })
  await direct('/api/2.0/mlflow/registered-models/create', { name: world.model })
  gateway = await startTestGateway(mlflow().url, {
    access: {
      anonymous: true,
      users: [{ name: 'guest', password_hash: USERS.guest.hash }],
      grants: [
        { to: 'anonymous', experiments: ['*'], registered_models: ['*'], permission: 'READ' },
        { to: 'user:guest', experiments: ['*'], registered_models: ['*'], permission: 'READ' },
      ],
    },
  })
})
afterAll(async () => {
  await gateway?.close()
})

type Seen = Record<string, unknown>

describe.each([
  ['anonymous', {}],
  ['guest', { MLFLOW_TRACKING_USERNAME: 'guest', MLFLOW_TRACKING_PASSWORD: USERS.guest.password }],
])('the MLflow client as %s', (_role, credentials) => {
  it('browses everything, and every write fails with PERMISSION_DENIED leaving MLflow unchanged', async () => {
    const before = await snapshot()
    const seen = await runPython<Seen>(
      'roles_client.py',
      [world.experimentId, world.runId, world.model],
      {
        MLFLOW_TRACKING_URI: gateway.url,
        ...credentials,
      },
    )
    expect(seen).toMatchObject({
      experiments: ['Default', 'shared-experiment'],
      experiment: 'shared-experiment',
      run_metrics: { loss: 0.5 },
      history: [0.5],
      models: ['shared-model'],
      model: 'shared-model',
      create_experiment: 'PERMISSION_DENIED',
      create_registered_model: 'PERMISSION_DENIED',
      log_metric: 'PERMISSION_DENIED',
      delete_experiment: 'PERMISSION_DENIED',
    })
    expect(await snapshot()).toEqual(before)
  })
})

describe('without anonymous access', () => {
  it('asks for credentials (401 with a Basic challenge), and refuses wrong ones without a fall-back', async () => {
    const closed = await startTestGateway(mlflow().url, {
      access: { anonymous: false, users: [{ name: 'guest', password_hash: USERS.guest.hash }] },
    })
    try {
      const path = `/api/2.0/mlflow/experiments/get?experiment_id=${world.experimentId}`
      const none = await fetch(`${closed.url}${path}`)
      expect(none.status).toBe(401)
      expect(none.headers.get('www-authenticate')).toMatch(/^Basic realm="mlflow"/)
      expect(await none.json()).toMatchObject({ error_code: 'UNAUTHENTICATED' })
      for (const auth of ['guest:wrong', 'nobody:guest-pw']) {
        const res = await fetch(`${closed.url}${path}`, {
          headers: { authorization: `Basic ${Buffer.from(auth).toString('base64')}` },
        })
        expect(res.status, auth).toBe(401)
        // The same answer for an unknown user and a wrong password.
        expect(((await res.json()) as { message: string }).message).toContain(
          'wrong username or password',
        )
      }
      expect((await fetch(`${closed.url}/health`)).status).toBe(200)
    } finally {
      await closed.close()
    }
  })
})
