/**
 * The permission matrix, generated from the catalogue: every route, for each role, against the
 * real MLflow. Allowed requests must reach MLflow; denied ones must not, with 401/403; and for
 * roles that may only read, MLflow's state is unchanged after all of their requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CATALOGUE } from '../../src/classify/rows/index.js'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { send } from '../harness/http.js'
import { buildRequest, expected, ROLES, type Role, type World } from '../harness/matrix.js'
import { callMlflow, useMlflow } from '../harness/mlflow.js'
import { basic, USERS } from '../harness/users.js'

const mlflow = useMlflow({ workers: 2 })
let gateway: TestGateway
let world: World

const direct = <T>(path: string, body?: object) => callMlflow<T>(mlflow(), path, body)

/** MLflow's state, read directly: experiments, A's runs with their data, models, logged models. */
async function snapshot(): Promise<unknown> {
  return Promise.all([
    direct('/api/2.0/mlflow/experiments/search?max_results=1000&view_type=ALL'),
    direct('/api/2.0/mlflow/runs/search', { experiment_ids: [world.a], run_view_type: 'ALL' }),
    direct('/api/2.0/mlflow/registered-models/search?max_results=1000'),
    direct('/api/2.0/mlflow/logged-models/search', { experiment_ids: [world.a] }),
  ])
}

beforeAll(async () => {
  const aName = 'matrix-a'
  const a = (
    await direct<{ experiment_id: string }>('/api/2.0/mlflow/experiments/create', { name: aName })
  ).experiment_id
  const runA = (
    await direct<{ run: { info: { run_id: string } } }>('/api/2.0/mlflow/runs/create', {
      experiment_id: a,
    })
  ).run.info.run_id
  const lm = await direct<{ model: { info: { model_id: string } } }>(
    '/api/2.0/mlflow/logged-models',
    {
      experiment_id: a,
      name: 'matrix-lm',
    },
  )
  await direct('/api/2.0/mlflow/registered-models/create', { name: 'matrix-model' })
  world = { a, aName, runA, loggedModelA: lm.model.info.model_id, model: 'matrix-model' }
  const user = (name: keyof typeof USERS, extra = {}) => ({
    name,
    password_hash: USERS[name].hash,
    ...extra,
  })
  gateway = await startTestGateway(mlflow().url, {
    // A few MLflow routes wait on the network (gateway supported-models); do not wait a minute.
    upstream: { headers_timeout_ms: 5_000 },
    access: {
      anonymous: true,
      users: [
        user('admin', { admin: true }),
        user('guest'),
        user('reader'),
        user('editor'),
        user('creator'),
      ],
      grants: [
        { to: 'anonymous', experiments: ['public-*'], permission: 'READ' },
        { to: 'user:guest', experiments: ['*'], registered_models: ['*'], permission: 'READ' },
        {
          to: 'user:reader',
          experiment_ids: [a],
          registered_models: ['matrix-model'],
          permission: 'READ',
        },
        {
          to: 'user:editor',
          experiment_ids: [a],
          registered_models: ['matrix-model'],
          permission: 'EDIT',
        },
      ],
      create: [
        {
          to: 'user:creator',
          experiments: ['matrix-*'],
          registered_models: ['matrix-*'],
          prompts: ['matrix-*'],
        },
      ],
    },
  })
})
afterAll(async () => {
  await gateway?.close()
})

/** Deletions run last, one by one, so the world stays usable for the rest. */
const DELETES = CATALOGUE.filter((r) => r.action === 'delete')
const OTHERS = CATALOGUE.filter((r) => r.action !== 'delete')

/** A refusal: 401, 403, or the 404 a denied lookup by name gets (authorize/missing-name.ts). */
function refusal(status: number, body: string): boolean {
  return [401, 403].includes(status) || (status === 404 && body.includes('"GW_NOT_FOUND"'))
}

async function check(role: Role, row: (typeof CATALOGUE)[number]): Promise<string | undefined> {
  const req = buildRequest(row, world, role)
  const res = await send(gateway.url, {
    method: req.method,
    path: req.path,
    auth: false,
    headers: { ...(role !== 'anonymous' && { authorization: basic(role) }), ...req.headers },
    ...(req.body !== undefined && { body: req.body }),
  })
  const id = res.headers['x-request-id']
  const line = gateway.audit.find((e) => e.request_id === id)
  const want = expected(role, row)
  // Allowed means forwarded: MLflow answered, or took the request and timed out.
  const forwarded = line?.upstream_status !== null || line?.error === 'GW_UPSTREAM_TIMEOUT'
  const got =
    line?.allow && forwarded
      ? 'allow'
      : !line?.allow && line?.upstream_status === null && refusal(res.status, res.body)
        ? res.status === 401
          ? 'unauthenticated'
          : 'deny'
        : `status ${res.status} ${res.body.slice(0, 160)}`
  return got === want
    ? undefined
    : `${row.method} ${row.path} [${row.action}]: want ${want}, got ${got}`
}

async function runAs(role: Role): Promise<string[]> {
  const mismatches: string[] = []
  const queue = [...OTHERS]
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      const m = await check(role, row)
      if (m) mismatches.push(m)
    }
  }
  await Promise.all([worker(), worker(), worker(), worker()])
  for (const row of DELETES) {
    const m = await check(role, row)
    if (m) mismatches.push(m)
  }
  return mismatches.sort()
}

describe('permission matrix over every catalogued route', () => {
  it.each(ROLES)(
    '%s gets exactly what the access model says, on every route',
    async (role) => {
      const readOnly = role === 'anonymous' || role === 'guest' || role === 'reader'
      const before = readOnly ? await snapshot() : undefined
      const mismatches = await runAs(role)
      expect(mismatches, `${mismatches.length} of ${CATALOGUE.length} routes`).toEqual([])
      // Every write these roles tried was denied before MLflow: its state is exactly as before.
      if (readOnly) expect(await snapshot()).toEqual(before)
    },
    600_000,
  )
})
