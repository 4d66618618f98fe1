/** The admin API's effect on MLflow traffic, with a real MLflow and its Python client: grants, own tokens as Bearer and as Basic password, read-only, revoked and expired tokens. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createToken } from '../../src/storage/access/tokens.js'
import { api, authorization, type As } from '../harness/admin-api.js'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { send } from '../harness/http.js'
import { callMlflow, useMlflow } from '../harness/mlflow.js'
import { runPython } from '../harness/python.js'

const mlflow = useMlflow()
let gateway: TestGateway
const world = { shared: '', secret: '', runId: '' }
const mia = { user: 'mia', password: 'mia-password-01' }

const direct = <T>(path: string, body?: object) => callMlflow<T>(mlflow(), path, body)

/** An MLflow REST call through the gateway as `as`. */
const viaGateway = (path: string, as: As) => {
  const auth = authorization(as)
  return send(`${gateway.url}${path}`, {
    auth: false,
    headers: auth === undefined ? {} : { authorization: auth },
  })
}

type Seen = { experiment: string; log_metric: string }
const client = (env: Record<string, string>, value: number) =>
  runPython<Seen>('token_client.py', [world.shared, world.runId, String(value)], {
    MLFLOW_TRACKING_URI: gateway.url,
    ...env,
  })

async function lossHistory(): Promise<number[]> {
  const res = await direct<{ metrics?: { value: number }[] }>(
    `/api/2.0/mlflow/metrics/get-history?run_id=${world.runId}&metric_key=loss`,
  )
  return (res.metrics ?? []).map((m) => m.value).sort()
}

beforeAll(async () => {
  const create = (name: string) =>
    direct<{ experiment_id: string }>('/api/2.0/mlflow/experiments/create', { name })
  world.shared = (await create('shared-exp')).experiment_id
  world.secret = (await create('secret-exp')).experiment_id
  const run = await direct<{ run: { info: { run_id: string } } }>('/api/2.0/mlflow/runs/create', {
    experiment_id: world.shared,
  })
  world.runId = run.run.info.run_id
  gateway = await startTestGateway(mlflow().url)
})
afterAll(async () => {
  await gateway?.close()
})

describe('grants made through the admin API', () => {
  it('admin creates a user, a group and a READ grant; the user then sees just that experiment', async () => {
    expect(
      (await api(gateway, 'POST', '/users', { body: { name: 'mia', password: mia.password } }))
        .status,
    ).toBe(201)
    const get = (id: string) =>
      viaGateway(`/api/2.0/mlflow/experiments/get?experiment_id=${id}`, mia)
    expect((await get(world.shared)).status).toBe(403)

    await api(gateway, 'POST', '/groups', { body: { name: 'readers' } })
    await api(gateway, 'POST', '/groups/readers/members', { body: { user: 'mia' } })
    const grant = await api(gateway, 'POST', '/grants', {
      body: {
        to: 'group:readers',
        resource: 'experiment',
        pattern: 'shared-*',
        permission: 'READ',
      },
    })
    expect(grant.status).toBe(201)

    const shared = await get(world.shared)
    expect(shared.status).toBe(200)
    expect(JSON.parse(shared.body).experiment.name).toBe('shared-exp')
    expect((await get(world.secret)).status).toBe(403)
    const search = await viaGateway('/api/2.0/mlflow/experiments/search?max_results=100', mia)
    expect(JSON.parse(search.body).experiments.map((e: { name: string }) => e.name)).toEqual([
      'shared-exp',
    ])

    // Removing the grant closes access on the next request.
    expect((await api(gateway, 'DELETE', `/grants/${grant.body.id}`)).status).toBe(204)
    expect((await get(world.shared)).status).toBe(403)
    await api(gateway, 'POST', '/grants', {
      body: {
        to: 'user:mia',
        resource: 'experiment-id',
        pattern: world.shared,
        permission: 'EDIT',
      },
    })
  })
})

describe("a user's own API tokens with the MLflow Python client", () => {
  let full: { id: string; token: string }
  let readOnly: { id: string; token: string }

  beforeAll(async () => {
    const made = await api(gateway, 'POST', '/me/tokens', { as: mia, body: { name: 'laptop' } })
    expect(made.status).toBe(201)
    expect(made.body.token).toMatch(/^mlgt_[0-9a-f]{16}_/)
    full = made.body
    readOnly = (
      await api(gateway, 'POST', '/me/tokens', {
        as: mia,
        body: { name: 'dashboards', read_only: true, expires_in_days: 30 },
      })
    ).body
  })

  it('works as MLFLOW_TRACKING_TOKEN (Bearer)', async () => {
    expect(await client({ MLFLOW_TRACKING_TOKEN: full.token }, 1)).toEqual({
      experiment: 'shared-exp',
      log_metric: 'OK',
    })
  })

  it('works as MLFLOW_TRACKING_PASSWORD with MLFLOW_TRACKING_USERNAME, so scripts need no change', async () => {
    const env = { MLFLOW_TRACKING_USERNAME: 'mia', MLFLOW_TRACKING_PASSWORD: full.token }
    expect(await client(env, 2)).toEqual({ experiment: 'shared-exp', log_metric: 'OK' })
    // ... but only with its owner's name.
    const other = { MLFLOW_TRACKING_USERNAME: 'admin', MLFLOW_TRACKING_PASSWORD: full.token }
    expect(await client(other, 9)).toEqual({
      experiment: 'UNAUTHENTICATED',
      log_metric: 'UNAUTHENTICATED',
    })
  })

  it('a read-only token reads but cannot log a metric, and MLflow is left unchanged', async () => {
    const before = await lossHistory()
    expect(await client({ MLFLOW_TRACKING_TOKEN: readOnly.token }, 3)).toEqual({
      experiment: 'shared-exp',
      log_metric: 'PERMISSION_DENIED',
    })
    expect(await lossHistory()).toEqual(before)
    expect(before).toEqual([1, 2])
    // Nor may it change anything in the admin API, not even mint a token that could write.
    const mint = await api(gateway, 'POST', '/me/tokens', {
      as: { bearer: readOnly.token },
      body: { name: 'escalate' },
    })
    expect(mint.status).toBe(403)
    expect(mint.body.message).toMatch(/read-only API token/)
    expect(
      (await api(gateway, 'GET', '/me', { as: { bearer: readOnly.token } })).body,
    ).toMatchObject({ name: 'mia', via: 'token', read_only: true, token_id: readOnly.id })
  })

  it('lists tokens with their last use, never their secret', async () => {
    const listed = await api(gateway, 'GET', '/me/tokens', { as: mia })
    expect(listed.status).toBe(200)
    const byName = Object.fromEntries(
      listed.body.tokens.map((t: { name: string }) => [t.name, t]),
    ) as Record<
      string,
      { last_used_at: string | null; read_only: boolean; expires_at: string | null }
    >
    expect(Object.keys(byName).sort()).toEqual(['dashboards', 'laptop'])
    expect(byName.laptop!.last_used_at).not.toBeNull()
    expect(byName.dashboards!.read_only).toBe(true)
    expect(byName.dashboards!.expires_at).not.toBeNull()
    expect(JSON.stringify(listed.body)).not.toContain(full.token.slice(22))
    // Admins see everyone's.
    const all = await api(gateway, 'GET', '/tokens')
    expect(all.body.tokens.map((t: { user: string }) => t.user)).toEqual(['mia', 'mia'])
  })

  it('a revoked token is refused (401) at once, and only its owner or an admin can revoke it', async () => {
    const temp = (await api(gateway, 'POST', '/me/tokens', { as: mia, body: { name: 'temp' } }))
      .body
    const path = `/api/2.0/mlflow/experiments/get?experiment_id=${world.shared}`
    expect((await viaGateway(path, { bearer: temp.token })).status).toBe(200)
    // Another user cannot revoke it (and cannot learn it exists).
    await api(gateway, 'POST', '/users', { body: { name: 'ned', password: 'ned-password-01' } })
    const ned = { user: 'ned', password: 'ned-password-01' }
    expect((await api(gateway, 'DELETE', `/me/tokens/${temp.id}`, { as: ned })).status).toBe(404)
    expect((await api(gateway, 'DELETE', `/me/tokens/${temp.id}`, { as: mia })).status).toBe(204)
    const refused = await viaGateway(path, { bearer: temp.token })
    expect(refused.status).toBe(401)
    expect(JSON.parse(refused.body).error_code).toBe('UNAUTHENTICATED')
    expect((await viaGateway(path, { user: 'mia', password: temp.token })).status).toBe(401)
    expect(await client({ MLFLOW_TRACKING_TOKEN: temp.token }, 4)).toEqual({
      experiment: 'UNAUTHENTICATED',
      log_metric: 'UNAUTHENTICATED',
    })
    // An admin revokes anyone's.
    const other = (await api(gateway, 'POST', '/users/mia/tokens', { body: { name: 'by-admin' } }))
      .body
    expect((await api(gateway, 'DELETE', `/tokens/${other.id}`)).status).toBe(204)
    expect((await viaGateway(path, { bearer: other.token })).status).toBe(401)
  })

  it('an expired token is refused (401) and listed as expired', async () => {
    // The API refuses to make an already-expired token, so this one is written to the store directly.
    const { token } = await gateway.access.change((trx) =>
      createToken(trx, { user: 'mia', name: 'old', expiresAt: '2020-01-01T00:00:00Z' }),
    )
    await gateway.policy.refresh()
    const path = `/api/2.0/mlflow/experiments/get?experiment_id=${world.shared}`
    expect((await viaGateway(path, { bearer: token })).status).toBe(401)
    expect((await viaGateway(path, { user: 'mia', password: token })).status).toBe(401)
    const listed = await api(gateway, 'GET', '/users/mia/tokens')
    expect(listed.body.tokens.find((t: { name: string }) => t.name === 'old')).toMatchObject({
      expired: true,
      expires_at: '2020-01-01T00:00:00.000Z',
    })
  })

  it("disabling the user ends their tokens' and password's access to MLflow at once", async () => {
    const path = `/api/2.0/mlflow/experiments/get?experiment_id=${world.shared}`
    expect((await viaGateway(path, { bearer: full.token })).status).toBe(200)
    await api(gateway, 'PATCH', '/users/mia', { body: { disabled: true } })
    expect((await viaGateway(path, { bearer: full.token })).status).toBe(401)
    expect((await viaGateway(path, { user: 'mia', password: full.token })).status).toBe(401)
    expect((await viaGateway(path, mia)).status).toBe(401)
    await api(gateway, 'PATCH', '/users/mia', { body: { disabled: false } })
    expect((await viaGateway(path, { bearer: full.token })).status).toBe(200)
  })
})
