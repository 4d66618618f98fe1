/** /readyz reports a storage outage by name and recovers nothing it should not. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { send } from '../harness/http.js'
import { createTempDatabase, type TempDatabase } from '../harness/postgres.js'
import { startRecordingUpstream, type RecordingUpstream } from '../harness/recording-upstream.js'

let upstream: RecordingUpstream
let database: TempDatabase
let gateway: TestGateway

beforeAll(async () => {
  upstream = await startRecordingUpstream()
  upstream.behave((_req, res) => res.end('OK'))
  database = await createTempDatabase()
  gateway = await startTestGateway(upstream.url, { storage: { url: database.url } })
})
afterAll(async () => {
  await gateway.close()
  await upstream.close()
  await database.drop()
})

describe('readiness with PostgreSQL storage', () => {
  it('is ready while PostgreSQL answers, and names storage as the problem once it is gone', async () => {
    const before = await send(`${gateway.url}/readyz`)
    expect(before.status).toBe(200)
    expect(JSON.parse(before.body).checks.storage).toEqual({
      ok: true,
      detail: 'postgres answered',
    })

    await database.drop()
    const after = await send(`${gateway.url}/readyz`)
    expect(after.status).toBe(503)
    const body = JSON.parse(after.body) as {
      ready: boolean
      checks: Record<string, { ok: boolean; detail: string }>
    }
    expect(body.ready).toBe(false)
    expect(body.checks.storage!.ok).toBe(false)
    expect(body.checks.storage!.detail).toMatch(/^postgres is not reachable/)
    expect(body.checks.mlflow!.ok).toBe(true)
  })
})
