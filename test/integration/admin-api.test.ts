/** The admin API on SQLite: who may call what, validation, users, groups, grants, create rights, config-owned objects, audit. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, eventually } from '../harness/admin-api.js'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { send } from '../harness/http.js'
import { USERS } from '../harness/users.js'

// No MLflow request in this file reaches MLflow: every one is refused before forwarding.
const NO_MLFLOW = 'http://127.0.0.1:9'
let gateway: TestGateway

beforeAll(async () => {
  gateway = await startTestGateway(NO_MLFLOW, {
    access: {
      users: [
        { name: 'admin', password_hash: USERS.admin.hash, admin: true },
        { name: 'guest', password_hash: USERS.guest.hash, groups: ['team'] },
      ],
      grants: [{ to: 'user:guest', experiments: ['cfg-*'], permission: 'READ' }],
      create: [{ to: 'group:team', experiments: ['team-*'] }],
    },
  })
})
afterAll(async () => {
  await gateway?.close()
})

const call = (method: string, path: string, opts: Parameters<typeof api>[3] = {}) =>
  api(gateway, method, path, opts)

describe('who may call the admin API', () => {
  it('asks anonymous callers to sign in (401 with a Basic challenge), on every route', async () => {
    for (const [method, path] of [
      ['GET', '/users'],
      ['GET', '/me'],
      ['POST', '/me/tokens'],
      ['DELETE', '/grants/1'],
    ]) {
      const res = await call(method!, path!, { as: 'nobody' })
      expect(res.status, `${method} ${path}`).toBe(401)
      expect(res.headers['www-authenticate']).toMatch(/^Basic realm="mlflow-gate"/)
      expect(res.body).toMatchObject({
        error_code: 'UNAUTHENTICATED',
        gateway_code: 'GW_UNAUTHENTICATED',
      })
    }
  })

  it('refuses wrong passwords, unknown users, and unknown schemes with 401', async () => {
    for (const as of [
      { user: 'admin', password: 'wrong' },
      { user: 'nobody-here', password: 'x' },
      { bearer: 'mlgt_0123456789abcdef_' + 'A'.repeat(43) },
    ]) {
      expect((await call('GET', '/me', { as })).status).toBe(401)
    }
    const digest = await call('GET', '/me', {
      as: 'nobody',
      headers: { authorization: 'Digest x' },
    })
    expect(digest.status).toBe(401)
  })

  it('gives non-admins 403 on admin routes but their own account on /me routes', async () => {
    for (const [method, path, body] of [
      ['GET', '/users'],
      ['POST', '/users', { name: 'x', password: 'long-enough-pw' }],
      ['GET', '/grants'],
      ['GET', '/tokens'],
      ['GET', '/users/guest/tokens'],
      ['GET', '/audit-events'],
      ['POST', '/explain', { method: 'GET', path: '/' }],
    ] as const) {
      const res = await call(method, path, { as: 'guest', body })
      expect(res.status, `${method} ${path}`).toBe(403)
      expect(res.body).toMatchObject({
        error_code: 'PERMISSION_DENIED',
        message: 'mlflow-gate: only gateway admins may use this route',
      })
    }
    const me = await call('GET', '/me', { as: 'guest' })
    expect(me.status).toBe(200)
    expect(me.body).toEqual({
      name: 'guest',
      admin: false,
      groups: ['team'],
      via: 'basic',
      read_only: false,
      token_id: null,
    })
    expect((await call('GET', '/me/tokens', { as: 'guest' })).body).toEqual({ tokens: [] })
  })

  it('answers unknown routes under the prefix with 404 in MLflow shape', async () => {
    const res = await call('GET', '/no-such-thing')
    expect(res.status).toBe(404)
    expect(res.body.error_code).toBe('ENDPOINT_NOT_FOUND')
    expect((await call('PUT', '/users')).status).toBe(404)
  })
})

describe('input validation', () => {
  it('lists every problem of a body at once, naming each field', async () => {
    const res = await call('POST', '/users', {
      body: { name: 'has space', password: 'short', admin: 'yes', extra: 1 },
    })
    expect(res.status).toBe(400)
    expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE')
    expect(res.body.gateway_code).toBe('GW_INVALID_PARAMETER')
    expect(res.body.problems).toEqual([
      { field: 'body.name', message: 'must be 1 to 255 characters without spaces or colons' },
      { field: 'body.password', message: 'a password must be at least 12 characters' },
      { field: 'body.admin', message: 'must be a boolean' },
      { field: 'body.extra', message: 'unknown field' },
    ])
    for (const p of res.body.problems) expect(res.body.message).toContain(p.message)
  })

  it('lists problems of path, query and body together', async () => {
    const res = await call('POST', '/users/bad:name/tokens?x=1', {
      body: { name: '', read_only: 1, expires_at: '2001-01-01T00:00:00Z' },
    })
    expect(res.status).toBe(400)
    expect(res.body.problems.map((p: { field: string }) => p.field)).toEqual([
      'path.name',
      'query.x',
      'body.name',
      'body.read_only',
      'body.expires_at',
    ])
    expect(res.body.problems[4].message).toBe('must be in the future')
  })

  it('says what is missing, and refuses non-JSON, malformed JSON and bodies where none belong', async () => {
    const missing = await call('POST', '/grants', { body: {} })
    expect(missing.body.problems).toEqual([
      { field: 'body.to', message: 'is required' },
      { field: 'body.resource', message: 'is required' },
      { field: 'body.pattern', message: 'is required' },
      { field: 'body.permission', message: 'is required' },
    ])
    const none = await call('POST', '/groups')
    expect(none.body.problems).toEqual([{ field: 'body', message: 'a JSON object is required' }])
    const malformed = await call('POST', '/groups', { raw: '{"name": ' })
    expect(malformed.status).toBe(400)
    expect(malformed.body.gateway_code).toBe('GW_BAD_REQUEST')
    const text = await call('POST', '/groups', {
      raw: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(text.status).toBe(400)
    expect(text.body.message).toMatch(/Content-Type: application\/json/)
    // Nor text/plain, which a cross-site page could send without a CORS preflight.
    const plain = await call('POST', '/groups', {
      raw: '{"name": "x"}',
      headers: { 'content-type': 'text/plain' },
    })
    expect(plain.status).toBe(400)
    expect((await call('GET', '/groups/x')).status).toBe(404)
    const bodyOnDelete = await call('DELETE', '/groups/whatever', { body: { force: true } })
    expect(bodyOnDelete.body.problems).toEqual([
      { field: 'body', message: 'this route takes no body' },
    ])
  })

  it('validates query parameters strictly (types, ranges, repeats)', async () => {
    const res = await call('GET', '/audit-events?limit=0&allow=maybe&since=yesterday&before_id=x')
    expect(res.status).toBe(400)
    expect(res.body.problems.map((p: { field: string }) => p.field)).toEqual([
      'query.allow',
      'query.since',
      'query.before_id',
      'query.limit',
    ])
    const repeated = await call('GET', '/grants?to=anonymous&to=authenticated')
    expect(repeated.body.problems).toEqual([{ field: 'query.to', message: 'must be a string' }])
  })
})

describe('users', () => {
  it('creates, reads, updates and deletes a user, never showing a hash', async () => {
    const created = await call('POST', '/users', {
      body: { name: 'Carol', password: 'carol-password-1' },
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      name: 'Carol',
      admin: false,
      disabled: false,
      has_password: true,
      groups: [],
      origin: 'api',
    })
    expect(Object.keys(created.body).sort()).toEqual(
      [
        'admin',
        'created_at',
        'disabled',
        'groups',
        'has_password',
        'name',
        'origin',
        'updated_at',
      ].sort(),
    )
    // Names compare case-insensitively, as in MLflow traffic.
    expect((await call('GET', '/users/carol')).body.name).toBe('Carol')
    const dup = await call('POST', '/users', {
      body: { name: 'CAROL', password: 'another-password' },
    })
    expect(dup.status).toBe(409)
    expect(dup.body.error_code).toBe('RESOURCE_ALREADY_EXISTS')

    const carol = { user: 'carol', password: 'carol-password-1' }
    expect((await call('GET', '/me', { as: carol })).body.name).toBe('Carol')
    const promoted = await call('PATCH', '/users/carol', { body: { admin: true } })
    expect(promoted.body.admin).toBe(true)
    expect((await call('GET', '/users', { as: carol })).status).toBe(200)

    const all = await call('GET', '/users')
    expect(all.body.users.map((u: { name: string }) => u.name)).toEqual(['admin', 'Carol', 'guest'])
    expect(JSON.stringify(all.body)).not.toMatch(/scrypt|pbkdf2|hash"/)

    expect((await call('DELETE', '/users/carol')).status).toBe(204)
    expect((await call('GET', '/users/carol')).status).toBe(404)
    expect((await call('GET', '/me', { as: carol })).status).toBe(401)
    expect((await call('DELETE', '/users/carol')).status).toBe(404)
  })

  it('disabling a user or changing their password ends their old access on the next request', async () => {
    await call('POST', '/users', { body: { name: 'dave', password: 'dave-password-1' } })
    const dave = { user: 'dave', password: 'dave-password-1' }
    const token = (await call('POST', '/users/dave/tokens', { body: { name: 't' } })).body.token
    expect((await call('GET', '/me', { as: dave })).status).toBe(200)
    expect((await call('GET', '/me', { as: { bearer: token } })).status).toBe(200)

    await call('PATCH', '/users/dave', { body: { disabled: true } })
    expect((await call('GET', '/me', { as: dave })).status).toBe(401)
    expect((await call('GET', '/me', { as: { bearer: token } })).status).toBe(401)
    expect((await call('GET', '/me', { as: { user: 'dave', password: token } })).status).toBe(401)
    // MLflow traffic too, before anything is forwarded.
    const mlflow = await send(`${gateway.url}/api/2.0/mlflow/experiments/search`, {
      auth: false,
      headers: { authorization: `Bearer ${token}` },
    })
    expect(mlflow.status).toBe(401)

    await call('PATCH', '/users/dave', { body: { disabled: false } })
    expect((await call('GET', '/me', { as: dave })).status).toBe(200)
    const changed = await call('PATCH', '/users/dave', { body: { password: 'dave-password-2' } })
    expect(changed.status).toBe(200)
    expect((await call('GET', '/me', { as: dave })).status).toBe(401)
    expect(
      (await call('GET', '/me', { as: { ...dave, password: 'dave-password-2' } })).status,
    ).toBe(200)
    // Tokens are separate credentials and survive a password change.
    expect((await call('GET', '/me', { as: { bearer: token } })).status).toBe(200)
  })

  it('creates token-only users (no password) and removes a password', async () => {
    const svc = await call('POST', '/users', { body: { name: 'svc' } })
    expect(svc.body.has_password).toBe(false)
    const token = (await call('POST', '/users/svc/tokens', { body: { name: 'ci' } })).body.token
    expect((await call('GET', '/me', { as: { bearer: token } })).body.name).toBe('svc')
    await call('POST', '/users', { body: { name: 'erin', password: 'erin-password-1' } })
    const removed = await call('PATCH', '/users/erin', { body: { password: null } })
    expect(removed.body.has_password).toBe(false)
    expect(
      (await call('GET', '/me', { as: { user: 'erin', password: 'erin-password-1' } })).status,
    ).toBe(401)
    expect((await call('PATCH', '/users/erin', { body: {} })).body.problems).toEqual([
      { field: 'body', message: 'give at least one of admin, disabled, password' },
    ])
  })

  it('lets a user change their own password only with the current one', async () => {
    await call('POST', '/users', { body: { name: 'frank', password: 'frank-password-1' } })
    const frank = { user: 'frank', password: 'frank-password-1' }
    const wrong = await call('POST', '/me/password', {
      as: frank,
      body: { current_password: 'not-it', new_password: 'frank-password-2' },
    })
    expect(wrong.status).toBe(403)
    expect(wrong.body.message).toBe('mlflow-gate: the current password is wrong')
    const short = await call('POST', '/me/password', {
      as: frank,
      body: { current_password: 'frank-password-1', new_password: 'short' },
    })
    expect(short.body.problems).toEqual([
      { field: 'body.new_password', message: 'a password must be at least 12 characters' },
    ])
    const ok = await call('POST', '/me/password', {
      as: frank,
      body: { current_password: 'frank-password-1', new_password: 'frank-password-2' },
    })
    expect(ok.status).toBe(204)
    expect((await call('GET', '/me', { as: frank })).status).toBe(401)
    expect(
      (await call('GET', '/me', { as: { ...frank, password: 'frank-password-2' } })).status,
    ).toBe(200)
  })

  it('keeps an admin from locking themselves out', async () => {
    for (const [method, body] of [
      ['PATCH', { admin: false }],
      ['PATCH', { disabled: true }],
      ['DELETE', undefined],
    ] as const) {
      const res = await call(method, '/users/admin', { body })
      expect(res.status).toBe(409)
      expect(res.body.error_code).toBe('RESOURCE_CONFLICT')
      expect(res.body.message).toMatch(/yourself; another admin can/)
    }
    expect((await call('GET', '/me')).body.admin).toBe(true)
  })
})

describe('objects the config file owns', () => {
  it('refuses changes the next start would undo, and says where to make them', async () => {
    const promote = await call('PATCH', '/users/guest', { body: { admin: true } })
    expect(promote.status).toBe(409)
    expect(promote.body.message).toBe(
      "mlflow-gate: the admin flag of 'guest' is managed by the config file (access.users, user 'guest'); change it there",
    )
    expect((await call('DELETE', '/users/guest')).status).toBe(409)
    expect((await call('DELETE', '/groups/team')).status).toBe(409)
    expect((await call('DELETE', '/groups/team/members/guest')).status).toBe(409)
    const grant = (await call('GET', '/grants?to=user:guest')).body.grants[0]
    expect(grant).toMatchObject({ origin: 'config', source: 'access.grants[0]' })
    const del = await call('DELETE', `/grants/${grant.id}`)
    expect(del.status).toBe(409)
    expect(del.body.message).toMatch(/access\.grants\[0\]/)
    expect(
      (await call('PATCH', `/grants/${grant.id}`, { body: { permission: 'EDIT' } })).status,
    ).toBe(409)
    const right = (await call('GET', '/create-rights')).body.create_rights[0]
    expect((await call('DELETE', `/create-rights/${right.id}`)).status).toBe(409)
  })

  it('allows what the file leaves alone: disabling, new members, new grants', async () => {
    expect((await call('PATCH', '/users/guest', { body: { disabled: true } })).body.disabled).toBe(
      true,
    )
    expect((await call('GET', '/me', { as: 'guest' })).status).toBe(401)
    await call('PATCH', '/users/guest', { body: { disabled: false } })
    await call('POST', '/users', { body: { name: 'gina', password: 'gina-password-1' } })
    const team = await call('POST', '/groups/team/members', { body: { user: 'gina' } })
    expect(team.body.members).toEqual(['gina', 'guest'])
    expect((await call('DELETE', '/groups/team/members/gina')).status).toBe(204)
  })
})

describe('groups', () => {
  it('creates a group, adds and removes members, and deletes it', async () => {
    await call('POST', '/users', { body: { name: 'hal', password: 'hal-password-01' } })
    const g = await call('POST', '/groups', { body: { name: 'ml-team' } })
    expect(g.status).toBe(201)
    expect(g.body).toMatchObject({ name: 'ml-team', members: [], origin: 'api' })
    expect((await call('POST', '/groups', { body: { name: 'ml-team' } })).status).toBe(409)
    const added = await call('POST', '/groups/ml-team/members', { body: { user: 'hal' } })
    expect(added.body.members).toEqual(['hal'])
    const hal = { user: 'hal', password: 'hal-password-01' }
    expect((await call('GET', '/me', { as: hal })).body.groups).toEqual(['ml-team'])
    expect(
      (await call('POST', '/groups/ml-team/members', { body: { user: 'nobody' } })).status,
    ).toBe(404)
    expect((await call('DELETE', '/groups/ml-team/members/hal')).status).toBe(204)
    expect((await call('DELETE', '/groups/ml-team/members/hal')).status).toBe(404)
    expect((await call('GET', '/me', { as: hal })).body.groups).toEqual([])
    expect((await call('DELETE', '/groups/ml-team')).status).toBe(204)
    expect((await call('GET', '/groups/ml-team')).status).toBe(404)
  })
})

describe('grants and create rights', () => {
  it('creates, filters, updates and deletes grants', async () => {
    const a = await call('POST', '/grants', {
      body: {
        to: 'authenticated',
        resource: 'experiment',
        pattern: 'shared-*',
        permission: 'READ',
      },
    })
    expect(a.status).toBe(201)
    expect(a.body).toMatchObject({
      to: 'authenticated',
      resource: 'experiment',
      pattern: 'shared-*',
      permission: 'READ',
      deny: false,
      origin: 'api',
      source: null,
    })
    const b = await call('POST', '/grants', {
      body: {
        to: 'user:guest',
        resource: 'experiment-id',
        pattern: '42',
        permission: 'EDIT',
        deny: true,
      },
    })
    expect(b.body.deny).toBe(true)
    const forGuest = await call('GET', '/grants?to=user:guest')
    expect(forGuest.body.grants.map((g: { pattern: string }) => g.pattern)).toEqual(['cfg-*', '42'])
    const byId = await call('GET', '/grants?resource=experiment-id&pattern=42')
    expect(byId.body.grants).toHaveLength(1)
    expect((await call('GET', '/grants?to=user:nobody')).status).toBe(404)

    const updated = await call('PATCH', `/grants/${a.body.id}`, { body: { permission: 'EDIT' } })
    expect(updated.body.permission).toBe('EDIT')
    expect((await call('GET', `/grants/${a.body.id}`)).body.permission).toBe('EDIT')
    expect((await call('DELETE', `/grants/${a.body.id}`)).status).toBe(204)
    expect((await call('GET', `/grants/${a.body.id}`)).status).toBe(404)

    const bad = await call('POST', '/grants', {
      body: { to: 'everyone', resource: 'run', pattern: '', permission: 'WRITE' },
    })
    expect(bad.body.problems.map((p: { field: string }) => p.field)).toEqual([
      'body.to',
      'body.resource',
      'body.pattern',
      'body.permission',
    ])
    expect(bad.body.problems[1].message).toBe(
      'must be one of experiment, experiment-id, registered-model',
    )
    const noSuchGroup = await call('POST', '/grants', {
      body: { to: 'group:ghosts', resource: 'experiment', pattern: '*', permission: 'READ' },
    })
    expect(noSuchGroup.status).toBe(404)
    expect(noSuchGroup.body.message).toBe("mlflow-gate: no group named 'ghosts'")
  })

  it('creates and deletes create rights', async () => {
    const r = await call('POST', '/create-rights', {
      body: { to: 'user:guest', kind: 'registered-model', pattern: 'guest-*' },
    })
    expect(r.status).toBe(201)
    expect(r.body).toMatchObject({ to: 'user:guest', kind: 'registered-model', origin: 'api' })
    const list = await call('GET', '/create-rights')
    expect(list.body.create_rights.map((c: { pattern: string }) => c.pattern)).toContain('guest-*')
    expect((await call('DELETE', `/create-rights/${r.body.id}`)).status).toBe(204)
    expect((await call('DELETE', `/create-rights/${r.body.id}`)).status).toBe(404)
  })
})

describe('explain', () => {
  it('decides a described request for a user without sending it', async () => {
    const res = await call('POST', '/explain', {
      body: {
        user: 'guest',
        method: 'POST',
        path: '/api/2.0/mlflow/experiments/create',
        body: { name: 'team-x' },
      },
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      allow: true,
      caller: 'guest',
      route: 'POST /api/2.0/mlflow/experiments/create [create]',
      refused: null,
    })
    expect(res.body.reasons[0].code).toBe('create-right')
    const anon = await call('POST', '/explain', {
      body: { method: 'GET', path: '/api/2.0/mlflow/experiments/search' },
    })
    expect(anon.body).toMatchObject({ allow: false, caller: 'anonymous' })
    const refused = await call('POST', '/explain', {
      body: { user: 'guest', method: 'GET', path: '/api/2.0/mlflow%2Fexperiments/get' },
    })
    expect(refused.body.refused).toMatchObject({ gateway_code: 'GW_BAD_REQUEST', status: 400 })
    expect(
      (await call('POST', '/explain', { body: { user: 'ghost', method: 'GET', path: '/' } }))
        .status,
    ).toBe(404)
  })
})

describe('audit events', () => {
  it('records admin API requests and finds them by principal, decision, path, time, in pages', async () => {
    const start = new Date().toISOString()
    await call('GET', '/users', { as: 'guest' })
    await call('GET', '/users', { as: 'guest' })
    await call('GET', '/me/tokens', { as: 'guest' })
    const events = await eventually(
      async () =>
        (await call('GET', `/audit-events?principal=guest&allow=false&since=${start}`)).body.events,
      (e) => e.length >= 2,
    )
    expect(events).toHaveLength(2)
    expect(events[0]).toMatchObject({
      principal: 'guest',
      method: 'GET',
      path: '/_gate/api/v1/users',
      route: 'GET /_gate/api/v1/users [admin]',
      allow: false,
      status: 403,
      reasons: [{ code: 'admin-only', message: 'only gateway admins may use this route' }],
    })
    const page1 = await call('GET', `/audit-events?principal=guest&since=${start}&limit=2`)
    expect(page1.body.events).toHaveLength(2)
    expect(page1.body.next_before_id).toBe(page1.body.events[1].id)
    expect(page1.body.events[0].path).toBe('/_gate/api/v1/me/tokens')
    const page2 = await call(
      'GET',
      `/audit-events?principal=guest&since=${start}&limit=2&before_id=${page1.body.next_before_id}`,
    )
    expect(page2.body.events.map((e: { path: string }) => e.path)).toEqual(['/_gate/api/v1/users'])
    expect(page2.body.next_before_id).toBe(null)
    const byPath = await call('GET', `/audit-events?path=me/tok&principal=guest&since=${start}`)
    expect(byPath.body.events).toHaveLength(1)
    const future = await call('GET', '/audit-events?since=2999-01-01')
    expect(future.body.events).toEqual([])
  })
})
