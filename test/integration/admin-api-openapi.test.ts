/** The admin API's OpenAPI description matches the routes: every registered route is in it, and every route in it is served. */
import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registerAdminApi, type AdminDeps } from '../../src/admin/index.js'
import { api } from '../harness/admin-api.js'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'

type Operation = {
  operationId: string
  security?: unknown[]
  requestBody?: { content: { 'application/json': { schema: { additionalProperties?: boolean } } } }
  responses: Record<string, unknown>
}
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> }

let gateway: TestGateway
let doc: Document

beforeAll(async () => {
  gateway = await startTestGateway('http://127.0.0.1:9')
  const res = await api<Document>(gateway, 'GET', '/openapi.json', { as: 'nobody' })
  expect(res.status).toBe(200)
  doc = res.body
})
afterAll(async () => {
  await gateway?.close()
})

const documented = () =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  )

describe('the OpenAPI description', () => {
  it('is OpenAPI 3.1, served without signing in', () => {
    expect(doc.openapi).toBe('3.1.0')
    expect(documented().length).toBeGreaterThan(25)
  })

  it('lists exactly the routes registered with Fastify', async () => {
    const app = Fastify()
    const registered: string[] = []
    app.addHook('onRoute', (r) => {
      for (const m of [r.method].flat()) if (m !== 'HEAD') registered.push(`${m} ${r.url}`)
    })
    // Registering touches no dependency; requests would.
    registerAdminApi(app, {} as AdminDeps)
    await app.ready()
    await app.close()
    const fromDoc = documented().map((d) => `${d.method} ${d.path.replace(/\{(\w+)\}/g, ':$1')}`)
    expect(registered.sort()).toEqual(fromDoc.sort())
  })

  it('describes routes the gateway serves: each answers an anonymous caller 401, not 404', async () => {
    for (const { method, path, op } of documented()) {
      if (op.security?.length === 0) continue
      const concrete = path
        .replace('/_gate/api/v1', '')
        .replace(/\{(\w+)\}/g, (_, p: string) => (p === 'id' ? '1' : 'someone'))
      const res = await api(gateway, method, concrete, { as: 'nobody' })
      expect(res.status, `${method} ${path}`).toBe(401)
    }
  })

  it('has unique operation ids, strict request bodies, and documents errors', () => {
    const ids = documented().map((d) => d.op.operationId)
    expect(new Set(ids).size).toBe(ids.length)
    for (const { method, path, op } of documented()) {
      const body = op.requestBody?.content['application/json'].schema
      if (body) expect(body.additionalProperties, `${method} ${path}`).toBe(false)
      if (op.security?.length !== 0) expect(Object.keys(op.responses)).toContain('401')
    }
  })

  it('never describes a hash, and shows a token secret only in the create answers', () => {
    const text = JSON.stringify(doc)
    expect(text).not.toMatch(/password_hash|secret_hash/)
    const withSecret = documented()
      .filter(({ op }) => JSON.stringify(op.responses).includes('"token":{'))
      .map((d) => d.op.operationId)
    expect(withSecret.sort()).toEqual(['createOwnToken', 'createUserToken'])
  })
})
