/** The admin API on PostgreSQL, with two gateways sharing the database as two replicas would. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, eventually } from '../harness/admin-api.js'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { createTempDatabase, type TempDatabase } from '../harness/postgres.js'

// Only admin API traffic here: MLflow is never asked.
const NO_MLFLOW = 'http://127.0.0.1:9'
let database: TempDatabase
let a: TestGateway
let b: TestGateway
const olga = { user: 'olga', password: 'olga-password-01' }

beforeAll(async () => {
  database = await createTempDatabase()
  const settings = { storage: { url: database.url, refresh_ms: 100 } }
  a = await startTestGateway(NO_MLFLOW, settings)
  b = await startTestGateway(NO_MLFLOW, settings)
})
afterAll(async () => {
  await Promise.allSettled([a?.close(), b?.close()])
  await database?.drop()
})

describe('the admin API on PostgreSQL', () => {
  it('creates a user once when two requests race for the name', async () => {
    const body = { name: 'olga', password: olga.password }
    const statuses = await Promise.all([
      api(a, 'POST', '/users', { body }),
      api(b, 'POST', '/users', { body }),
    ])
    expect(statuses.map((r) => r.status).sort()).toEqual([201, 409])
    expect(statuses.find((r) => r.status === 409)!.body.error_code).toBe('RESOURCE_ALREADY_EXISTS')
  })

  it('a change made on one gateway is in force on the other within storage.refresh_ms', async () => {
    const me = await eventually(
      () => api(b, 'GET', '/me', { as: olga }),
      (r) => r.status === 200,
    )
    expect(me.body.name).toBe('olga')
    await api(a, 'PATCH', '/users/olga', { body: { disabled: true } })
    const refused = await eventually(
      () => api(b, 'GET', '/me', { as: olga }),
      (r) => r.status === 401,
    )
    expect(refused.status).toBe(401)
    await api(a, 'PATCH', '/users/olga', { body: { disabled: false } })
  })

  it('keeps groups, grants with filters, and create rights', async () => {
    await api(a, 'POST', '/groups', { body: { name: 'analysts' } })
    await api(a, 'POST', '/groups/analysts/members', { body: { user: 'OLGA' } })
    const grant = await api(a, 'POST', '/grants', {
      body: {
        to: 'group:analysts',
        resource: 'registered-model',
        pattern: 'prod-*',
        permission: 'USE',
      },
    })
    expect(grant.status).toBe(201)
    const found = await api(a, 'GET', '/grants?to=group:analysts&resource=registered-model')
    expect(found.body.grants).toEqual([grant.body])
    expect((await api(a, 'GET', '/grants?pattern=prod-')).body.grants).toEqual([])
    const right = await api(a, 'POST', '/create-rights', {
      body: { to: 'group:analysts', kind: 'prompt', pattern: 'p-*' },
    })
    expect(right.status).toBe(201)
    expect((await api(a, 'GET', '/groups/analysts')).body.members).toEqual(['olga'])
    expect((await api(a, 'DELETE', '/groups/analysts')).status).toBe(204)
    expect((await api(a, 'GET', '/grants?resource=registered-model')).body.grants).toEqual([])
    expect((await api(a, 'GET', '/create-rights')).body.create_rights).toEqual([])
  })

  it("records tokens' last use and revokes them", async () => {
    const made = await api(a, 'POST', '/me/tokens', { as: olga, body: { name: 'nb' } })
    expect(made.status).toBe(201)
    expect((await api(a, 'GET', '/me', { as: { bearer: made.body.token } })).status).toBe(200)
    const listed = await api(a, 'GET', '/users/olga/tokens')
    expect(listed.body.tokens[0].last_used_at).not.toBeNull()
    expect((await api(a, 'DELETE', `/tokens/${made.body.id}`)).status).toBe(204)
    expect((await api(a, 'GET', '/me', { as: { bearer: made.body.token } })).status).toBe(401)
  })

  it('finds audit events by path text taken literally (_ and % are not wildcards)', async () => {
    await api(a, 'GET', '/me', { as: olga })
    const events = await eventually(
      async () => (await api(a, 'GET', '/audit-events?principal=olga&path=_gate/api/v1/me')).body,
      (body) => body.events.length > 0,
    )
    expect(events.events[0].path).toMatch(/^\/_gate\/api\/v1\/me/)
    const literal = await api(a, 'GET', '/audit-events?path=%25gate')
    expect(literal.body.events).toEqual([])
  })
})
