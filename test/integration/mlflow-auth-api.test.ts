/**
 * The gateway's answers on MLflow's auth routes over plain HTTP: never forwarded, the UI's
 * users/current for visitors, MLflow's parameter places, what the config owns, read-only tokens,
 * names that must not become patterns, deleted users, and the audit line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AUTH_ROUTES, pathsOf } from '../../src/mlflow-auth-api/routes.js'
import { createToken } from '../../src/storage/access/tokens.js'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { send, type SimpleResponse } from '../harness/http.js'
import { callMlflow, useMlflow } from '../harness/mlflow.js'
import { startRecordingUpstream, type RecordingUpstream } from '../harness/recording-upstream.js'
import { USERS } from '../harness/users.js'

const mlflow = useMlflow()
let g: TestGateway
let visitors: TestGateway
let experimentId = ''

const ALICE = { name: 'alice', password: 'alice-password-1' }
const basicOf = (name: string, password: string) =>
  `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`
const json = (r: SimpleResponse) => JSON.parse(r.body) as Record<string, any>

/** As the admin unless `as` gives other credentials (or none, with `auth: false`). */
function call(
  gateway: TestGateway,
  method: string,
  path: string,
  body?: object,
  as?: { authorization: string } | false,
): Promise<SimpleResponse> {
  return send(gateway.url, {
    method,
    path,
    ...(body && { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    ...(as === false && { auth: false }),
    ...(as && { headers: { ...(body && { 'content-type': 'application/json' }), ...as } }),
  })
}

beforeAll(async () => {
  ;({ experiment_id: experimentId } = await callMlflow<{ experiment_id: string }>(
    mlflow(),
    '/api/2.0/mlflow/experiments/create',
    { name: 'auth-api-exp' },
  ))
  await callMlflow(mlflow(), '/api/2.0/mlflow/registered-models/create', { name: 'mx' })
  g = await startTestGateway(mlflow().url, {
    access: {
      users: [
        { name: 'admin', password_hash: USERS.admin.hash, admin: true },
        { name: 'reader', password_hash: USERS.reader.hash },
      ],
      grants: [{ to: 'user:reader', experiment_ids: [experimentId], permission: 'READ' }],
      create: [{ to: 'authenticated', experiments: ['dave-*'] }],
    },
  })
  visitors = await startTestGateway(mlflow().url, {
    access: {
      anonymous: true,
      users: [{ name: 'admin', password_hash: USERS.admin.hash, admin: true }],
    },
  })
  const created = await call(g, 'POST', '/api/2.0/mlflow/users/create', {
    username: ALICE.name,
    password: ALICE.password,
  })
  expect(created.status).toBe(200)
})
afterAll(async () => {
  await Promise.all([g?.close(), visitors?.close()])
})

describe('auth routes', () => {
  let rec: RecordingUpstream
  let blind: TestGateway
  beforeAll(async () => {
    rec = await startRecordingUpstream()
    blind = await startTestGateway(rec.url, {
      access: {
        anonymous: true,
        users: [{ name: 'admin', password_hash: USERS.admin.hash, admin: true }],
      },
    })
  })
  afterAll(async () => {
    await blind?.close()
    await rec?.close()
  })

  it('are answered by the gateway under both prefixes and never reach MLflow, whatever the method', async () => {
    const body = { username: 'x', experiment_id: '1', name: 'm', permission: 'READ' }
    for (const route of AUTH_ROUTES) {
      for (const path of pathsOf(route)) {
        for (const method of [route.method, route.method === 'GET' ? 'POST' : 'GET']) {
          for (const as of [undefined, false] as const) {
            const res = await call(blind, method, path, method === 'GET' ? undefined : body, as)
            expect(res.headers['content-type']).toBe('application/json')
            expect(json(res)).not.toHaveProperty('ok')
            if (method !== route.method) expect(json(res).error_code).toBe('ENDPOINT_NOT_FOUND')
          }
        }
      }
    }
    expect(rec.requests).toEqual([])
  })
})

describe('users/current', () => {
  it('tells the UI who is signed in, and whether it was with Basic', async () => {
    const res = await call(g, 'GET', '/ajax-api/2.0/mlflow/users/current', undefined, {
      authorization: basicOf(ALICE.name, ALICE.password),
    })
    expect(json(res)).toEqual({
      user: { id: expect.any(Number), username: 'alice', is_admin: false },
      is_basic_auth: true,
    })
    const { token } = await g.access.change((trx) =>
      createToken(trx, { user: 'alice', name: 'ui' }),
    )
    await g.policy.refresh()
    const viaToken = await call(g, 'GET', '/api/2.0/mlflow/users/current', undefined, {
      authorization: `Bearer ${token}`,
    })
    expect(json(viaToken).is_basic_auth).toBe(false)
    const head = await send(g.url, { method: 'HEAD', path: '/ajax-api/2.0/mlflow/users/current' })
    expect([head.status, head.body]).toEqual([200, ''])
  })

  it('answers an anonymous visitor 401 without a sign-in prompt when visitors are served', async () => {
    const quiet = await call(
      visitors,
      'GET',
      '/ajax-api/2.0/mlflow/users/current',
      undefined,
      false,
    )
    expect(quiet.status).toBe(401)
    expect(quiet.headers['www-authenticate']).toBeUndefined()
    expect(json(quiet)).toMatchObject({
      error_code: 'UNAUTHENTICATED',
      gateway_code: 'GW_NOT_SIGNED_IN',
    })
    // Every other auth route, and users/current where visitors are not served, asks to sign in.
    const other = await call(
      visitors,
      'GET',
      '/api/2.0/mlflow/users/get?username=admin',
      undefined,
      false,
    )
    const closed = await call(g, 'GET', '/ajax-api/2.0/mlflow/users/current', undefined, false)
    for (const res of [other, closed]) {
      expect(res.status).toBe(401)
      expect(res.headers['www-authenticate']).toMatch(/^Basic realm="mlflow"/)
    }
  })
})

describe('parameters', () => {
  it('are read where MLflow reads them: query for GET, JSON body, DELETE body or query, camelCase', async () => {
    const got = await call(g, 'GET', '/api/2.0/mlflow/users/get?username=alice')
    expect(json(got).user).toEqual({
      id: expect.any(Number),
      username: 'alice',
      is_admin: false,
      experiment_permissions: [],
      registered_model_permissions: [],
    })
    const camel = await call(g, 'PATCH', '/api/2.0/mlflow/users/update-admin', {
      username: 'alice',
      isAdmin: false,
    })
    expect(camel.status).toBe(200)
    const twice = await call(g, 'GET', '/api/2.0/mlflow/users/get?username=alice&username=admin')
    expect([twice.status, json(twice).error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE'])
    const text = await send(g.url, {
      method: 'POST',
      path: '/api/2.0/mlflow/users/create',
      body: JSON.stringify({ username: 'eve', password: 'eve-password-12' }),
      headers: { 'content-type': 'text/plain' },
    })
    expect([text.status, json(text).message]).toEqual([
      400,
      'mlflow-gate: Invalid content type. Must be application/json',
    ])
    await call(g, 'POST', '/api/2.0/mlflow/users/create', {
      username: 'eve',
      password: 'eve-password-12',
    })
    const byQuery = await call(g, 'DELETE', '/api/2.0/mlflow/users/delete?username=eve')
    expect(byQuery.status).toBe(200)
    expect((await call(g, 'GET', '/api/2.0/mlflow/users/get?username=eve')).status).toBe(404)
  })

  it('refuse an experiment id that is not a number and a model name that would be a pattern', async () => {
    const cases: [string, string, object][] = [
      [
        'POST',
        '/api/2.0/mlflow/experiments/permissions/create',
        { experiment_id: 'abc', username: 'alice', permission: 'READ' },
      ],
      [
        'POST',
        '/api/2.0/mlflow/registered-models/permissions/create',
        { name: 'm*', username: 'alice', permission: 'READ' },
      ],
      [
        'POST',
        '/api/3.0/mlflow/users/permissions/grant',
        {
          username: 'alice',
          resource_type: 'registered_model',
          resource_id: 'm?',
          permission: 'READ',
        },
      ],
    ]
    for (const [method, path, body] of cases) {
      const res = await call(g, method, path, body)
      expect([res.status, json(res).error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE'])
    }
    // So no grant on 'm*' exists that would have opened model 'mx' to her.
    const mx = await call(g, 'GET', '/api/2.0/mlflow/registered-models/get?name=mx', undefined, {
      authorization: basicOf(ALICE.name, ALICE.password),
    })
    expect(mx.status).toBe(403)
  })
})

describe('what the config file owns', () => {
  it('cannot be changed here, except a password', async () => {
    const refused = [
      await call(g, 'PATCH', '/api/2.0/mlflow/users/update-admin', {
        username: 'reader',
        is_admin: true,
      }),
      await call(g, 'DELETE', '/api/2.0/mlflow/users/delete', { username: 'reader' }),
      await call(g, 'PATCH', '/api/2.0/mlflow/experiments/permissions/update', {
        experiment_id: experimentId,
        username: 'reader',
        permission: 'MANAGE',
      }),
      await call(g, 'POST', '/api/3.0/mlflow/users/permissions/revoke', {
        username: 'reader',
        resource_type: 'experiment',
        resource_id: experimentId,
      }),
    ]
    for (const res of refused) {
      expect([res.status, json(res).error_code]).toEqual([409, 'RESOURCE_CONFLICT'])
      expect(json(res).message).toMatch(/config file/)
    }
    const shown = await call(
      g,
      'GET',
      `/api/2.0/mlflow/experiments/permissions/get?experiment_id=${experimentId}&username=reader`,
    )
    expect(json(shown).experiment_permission.permission).toBe('READ')
    const password = await call(g, 'PATCH', '/api/2.0/mlflow/users/update-password', {
      username: 'reader',
      password: 'reader-password-2',
    })
    expect(password.status).toBe(200)
    const reads = await call(
      g,
      'GET',
      `/api/2.0/mlflow/experiments/get?experiment_id=${experimentId}`,
      undefined,
      {
        authorization: basicOf('reader', 'reader-password-2'),
      },
    )
    expect(reads.status).toBe(200)
  })
})

describe('a read-only API token', () => {
  it('reads the auth API but changes nothing, even an admin’s', async () => {
    const { token } = await g.access.change((trx) =>
      createToken(trx, { user: 'admin', name: 'ro', readOnly: true }),
    )
    await g.policy.refresh()
    const auth = { authorization: `Bearer ${token}` }
    expect(
      (await call(g, 'GET', '/api/2.0/mlflow/users/get?username=alice', undefined, auth)).status,
    ).toBe(200)
    const write = await call(
      g,
      'POST',
      '/api/2.0/mlflow/users/create',
      { username: 'frank', password: 'frank-password-1' },
      auth,
    )
    expect([write.status, json(write).error_code]).toEqual([403, 'PERMISSION_DENIED'])
    expect((await call(g, 'GET', '/api/2.0/mlflow/users/get?username=frank')).status).toBe(404)
  })
})

describe('deleting a user', () => {
  it('forgets what they created, so a new user of the same name does not inherit it', async () => {
    const dave = { authorization: basicOf('dave', 'dave-password-1') }
    const create = () =>
      call(g, 'POST', '/api/2.0/mlflow/users/create', {
        username: 'dave',
        password: 'dave-password-1',
      })
    expect((await create()).status).toBe(200)
    const made = await call(
      g,
      'POST',
      '/api/2.0/mlflow/experiments/create',
      { name: 'dave-exp' },
      dave,
    )
    const id = json(made).experiment_id as string
    const read = () =>
      call(g, 'GET', `/api/2.0/mlflow/experiments/get?experiment_id=${id}`, undefined, dave)
    expect((await read()).status).toBe(200)
    expect(
      (await call(g, 'DELETE', '/api/2.0/mlflow/users/delete', { username: 'dave' })).status,
    ).toBe(200)
    expect((await create()).status).toBe(200)
    expect((await read()).status).toBe(403)
  })
})

describe('the audit line', () => {
  it('names the auth route, the caller, the resource and the decision', async () => {
    const before = g.audit.length
    await call(g, 'POST', '/api/3.0/mlflow/users/permissions/grant', {
      username: 'alice',
      resource_type: 'experiment',
      resource_id: experimentId,
      permission: 'READ',
    })
    await call(
      g,
      'POST',
      '/api/2.0/mlflow/users/create',
      { username: 'gina', password: 'gina-password-1' },
      {
        authorization: basicOf(ALICE.name, ALICE.password),
      },
    )
    const [grant, refused] = g.audit.slice(before)
    expect(grant).toMatchObject({
      principal: 'admin',
      route: 'POST /api/3.0/mlflow/users/permissions/grant [manage]',
      resource: `experiment ${experimentId}`,
      allow: true,
      status: 200,
      upstream_status: null,
    })
    expect(refused).toMatchObject({
      principal: 'alice',
      route: 'POST /api/2.0/mlflow/users/create [admin]',
      allow: false,
      reasons: [{ code: 'admin-only', message: 'only admins may create users' }],
      status: 403,
    })
  })
})
