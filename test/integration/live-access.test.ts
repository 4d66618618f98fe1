/** Access kept in the store takes effect on a running gateway: changes from another process, tokens, disabled users, audit. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryAudit } from '../../src/storage/access/audit.js'
import { addGrant } from '../../src/storage/access/grants.js'
import { accessStore, type AccessStore } from '../../src/storage/access/index.js'
import { createToken, revokeToken } from '../../src/storage/access/tokens.js'
import { updateUser } from '../../src/storage/access/users.js'
import { openStore, type Store } from '../../src/storage/open.js'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { send } from '../harness/http.js'
import { callMlflow, useMlflow } from '../harness/mlflow.js'
import { basic, USERS } from '../harness/users.js'

const mlflow = useMlflow()
const dir = mkdtempSync(join(tmpdir(), 'mlflow-gate-live-'))
const storeUrl = `sqlite:${join(dir, 'gate.db')}`
let gateway: TestGateway
/** A second handle on the same database, as the CLI or another replica would have. */
let other: Store
let cli: AccessStore
let experimentId = ''

beforeAll(async () => {
  const e = await callMlflow<{ experiment_id: string }>(
    mlflow(),
    '/api/2.0/mlflow/experiments/create',
    { name: 'shared' },
  )
  experimentId = e.experiment_id
  gateway = await startTestGateway(mlflow().url, {
    storage: { url: storeUrl, refresh_ms: 200 },
    access: {
      users: [
        { name: 'admin', password_hash: USERS.admin.hash, admin: true },
        { name: 'reader', password_hash: USERS.reader.hash },
      ],
    },
  })
  other = await openStore(storeUrl)
  cli = accessStore(other)
})
afterAll(async () => {
  await gateway?.close()
  await other?.close()
  rmSync(dir, { recursive: true, force: true })
})

const getExperiment = (authorization?: string) =>
  send(gateway.url, {
    path: `/api/2.0/mlflow/experiments/get?experiment_id=${experimentId}`,
    auth: false,
    headers: authorization ? { authorization } : {},
  })
const logParam = (authorization: string, runId: string) =>
  send(gateway.url, {
    method: 'POST',
    path: '/api/2.0/mlflow/runs/log-parameter',
    auth: false,
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify({ run_id: runId, key: 'k', value: 'v' }),
  })

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('access from the store on a running gateway', () => {
  it('picks up a grant written by another process within storage.refresh_ms', async () => {
    expect((await getExperiment(basic('reader'))).status).toBe(403)
    await cli.change((t) =>
      addGrant(t, {
        to: 'user:reader',
        resource: 'experiment-id',
        pattern: experimentId,
        permission: 'EDIT',
        origin: 'api',
      }),
    )
    await eventually(async () => (await getExperiment(basic('reader'))).status === 200, 'grant')
  })

  it('accepts API tokens as Bearer and as the Basic password, and refuses them once revoked', async () => {
    const { id, token } = await gateway.access.change((t) =>
      createToken(t, { user: 'reader', name: 'ci' }),
    )
    expect((await getExperiment(`Bearer ${token}`)).status).toBe(200)
    const asBasic = `Basic ${Buffer.from(`reader:${token}`).toString('base64')}`
    expect((await getExperiment(asBasic)).status).toBe(200)
    // The token belongs to reader: presented with another user name it proves nothing.
    const otherName = `Basic ${Buffer.from(`admin:${token}`).toString('base64')}`
    expect((await getExperiment(otherName)).status).toBe(401)
    expect((await getExperiment(`Bearer ${token.slice(0, -2)}xx`)).status).toBe(401)
    await gateway.access.change((t) => revokeToken(t, id))
    const revoked = await getExperiment(`Bearer ${token}`)
    expect(revoked.status).toBe(401)
    expect(JSON.parse(revoked.body)).toMatchObject({ error_code: 'UNAUTHENTICATED' })
  })

  it('lets a read-only token read but not write, and refuses an expired one', async () => {
    const run = await callMlflow<{ run: { info: { run_id: string } } }>(
      mlflow(),
      '/api/2.0/mlflow/runs/create',
      { experiment_id: experimentId },
    )
    const runId = run.run.info.run_id
    const { token: ro } = await gateway.access.change((t) =>
      createToken(t, { user: 'reader', name: 'read-only', readOnly: true }),
    )
    const { token: rw } = await gateway.access.change((t) =>
      createToken(t, { user: 'reader', name: 'read-write' }),
    )
    expect((await getExperiment(`Bearer ${ro}`)).status).toBe(200)
    const refused = await logParam(`Bearer ${ro}`, runId)
    expect(refused.status).toBe(403)
    expect(JSON.parse(refused.body).message).toContain('read-only API token')
    expect((await logParam(`Bearer ${rw}`, runId)).status).toBe(200)
    const { token: old } = await gateway.access.change((t) =>
      createToken(t, { user: 'reader', name: 'old', expiresAt: '2020-01-01T00:00:00Z' }),
    )
    expect((await getExperiment(`Bearer ${old}`)).status).toBe(401)
  })

  it('shuts a disabled user out at once, password and tokens alike', async () => {
    const { token } = await gateway.access.change((t) =>
      createToken(t, { user: 'reader', name: 'before-disable' }),
    )
    await gateway.access.change((t) => updateUser(t, 'reader', { disabled: true }))
    expect((await getExperiment(basic('reader'))).status).toBe(401)
    expect((await getExperiment(`Bearer ${token}`)).status).toBe(401)
    await gateway.access.change((t) => updateUser(t, 'reader', { disabled: false }))
    expect((await getExperiment(basic('reader'))).status).toBe(200)
  })

  it('keeps audit events in the store', async () => {
    await eventually(async () => {
      const events = await queryAudit(other.db, { principal: 'reader', allow: false })
      return events.some((e) => e.path === '/api/2.0/mlflow/experiments/get')
    }, 'audit events in the store')
  })
})
