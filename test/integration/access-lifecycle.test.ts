/** Access that changes with MLflow's state: creators own what they create, renames take effect at once, failures deny. */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { send } from '../harness/http.js'
import { useMlflow } from '../harness/mlflow.js'
import { basic, USERS, type UserName } from '../harness/users.js'

const mlflow = useMlflow()
const storeFile = join(mkdtempSync(join(tmpdir(), 'mlflow-gate-owners-')), 'gate.db')
let gateway: TestGateway

const settings = () => ({
  storage: { url: `sqlite:${storeFile}` },
  access: {
    anonymous: true,
    users: [
      { name: 'admin', password_hash: USERS.admin.hash, admin: true },
      { name: 'creator', password_hash: USERS.creator.hash },
      { name: 'reader', password_hash: USERS.reader.hash },
    ],
    grants: [
      { to: 'anonymous', experiments: ['public-*'], permission: 'READ' },
      { to: 'user:reader', experiments: ['team-*'], permission: 'READ' },
    ],
    create: [{ to: 'user:creator', experiments: ['team-*'], registered_models: ['team-*'] }],
  },
})

async function call(who: UserName | 'anonymous', path: string, body?: object, method?: string) {
  const res = await send(`${gateway.url}${path}`, {
    method: method ?? (body ? 'POST' : 'GET'),
    auth: false,
    headers: {
      ...(who !== 'anonymous' && { authorization: basic(who) }),
      ...(body && { 'content-type': 'application/json' }),
    },
    ...(body && { body: JSON.stringify(body) }),
  })
  return { status: res.status, json: res.body ? (JSON.parse(res.body) as Record<string, any>) : {} }
}

beforeAll(async () => {
  gateway = await startTestGateway(mlflow().url, settings())
})
afterAll(async () => {
  await gateway?.close()
})

describe('the create right and ownership', () => {
  let teamId = ''

  it('lets the creator create only names the right allows', async () => {
    expect(
      (await call('creator', '/api/2.0/mlflow/experiments/create', { name: 'other' })).status,
    ).toBe(403)
    expect(
      (await call('reader', '/api/2.0/mlflow/experiments/create', { name: 'team-r' })).status,
    ).toBe(403)
    const made = await call('creator', '/api/2.0/mlflow/experiments/create', { name: 'team-a' })
    expect(made.status).toBe(200)
    teamId = made.json.experiment_id
  })

  it('gives the creator MANAGE on what they created, and nobody else more than their grants', async () => {
    const run = await call('creator', '/api/2.0/mlflow/runs/create', { experiment_id: teamId })
    expect(run.status).toBe(200)
    const rename = { experiment_id: teamId, new_name: 'team-a2' }
    expect((await call('reader', '/api/2.0/mlflow/experiments/update', rename)).status).toBe(403)
    expect(
      (await call('reader', `/api/2.0/mlflow/experiments/get?experiment_id=${teamId}`)).status,
    ).toBe(200)
    expect((await call('creator', '/api/2.0/mlflow/experiments/update', rename)).status).toBe(200)
    const model = await call('creator', '/api/2.0/mlflow/registered-models/create', {
      name: 'team-model',
    })
    expect(model.status).toBe(200)
    const update = '/api/2.0/mlflow/registered-models/update'
    const describe = { name: 'team-model', description: 'mine' }
    expect((await call('creator', update, describe, 'PATCH')).status).toBe(200)
    expect((await call('reader', update, describe, 'PATCH')).status).toBe(403)
    // Models are owned by name: a rename (itself a MANAGE action) carries the ownership along.
    const renamed = await call('creator', '/api/2.0/mlflow/registered-models/rename', {
      name: 'team-model',
      new_name: 'team-model-2',
    })
    expect(renamed.status).toBe(200)
    const again = { name: 'team-model-2', description: 'still mine' }
    expect((await call('creator', update, again, 'PATCH')).status).toBe(200)
  })

  it('remembers owners across a restart (they are stored, not only in memory)', async () => {
    await gateway.close()
    gateway = await startTestGateway(mlflow().url, settings())
    const rename = { experiment_id: teamId, new_name: 'team-a3' }
    expect((await call('creator', '/api/2.0/mlflow/experiments/update', rename)).status).toBe(200)
    expect(gateway.audit.at(-1)?.reasons[0]?.code).toBe('owner')
  })
})

describe('resolution that can never grant stale access', () => {
  it('applies a rename at once: a public experiment renamed private is closed to anonymous immediately', async () => {
    const made = await call('admin', '/api/2.0/mlflow/experiments/create', {
      name: 'public-soon-private',
    })
    const id = made.json.experiment_id as string
    expect(
      (await call('anonymous', `/api/2.0/mlflow/experiments/get?experiment_id=${id}`)).status,
    ).toBe(200)
    const renamed = await call('admin', '/api/2.0/mlflow/experiments/update', {
      experiment_id: id,
      new_name: 'private',
    })
    expect(renamed.status).toBe(200)
    expect(
      (await call('anonymous', `/api/2.0/mlflow/experiments/get?experiment_id=${id}`)).status,
    ).toBe(403)
  })

  it('denies a run that does not exist instead of guessing', async () => {
    const res = await call(
      'reader',
      '/api/2.0/mlflow/runs/get?run_id=00000000000000000000000000000000',
    )
    expect(res.status).toBe(403)
    expect(res.json.message).toContain('does not exist or cannot be resolved')
    expect(res.json).toMatchObject({
      error_code: 'PERMISSION_DENIED',
      gateway_code: 'GW_PERMISSION_DENIED',
    })
  })

  it('answers 503 (never allow) when MLflow cannot be asked who owns a run', async () => {
    const made = await call('creator', '/api/2.0/mlflow/experiments/create', { name: 'team-last' })
    const run = await call('creator', '/api/2.0/mlflow/runs/create', {
      experiment_id: made.json.experiment_id,
    })
    await mlflow().stop()
    const res = await call('reader', `/api/2.0/mlflow/runs/get?run_id=${run.json.run.info.run_id}`)
    expect(res.status).toBe(503)
    expect(res.json).toMatchObject({
      error_code: 'TEMPORARILY_UNAVAILABLE',
      gateway_code: 'GW_CANNOT_DECIDE',
    })
  })
})
