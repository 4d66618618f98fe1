/** The admin and account pages' rules over HTTP, against the real MLflow: who may open them, sign-in redirects, cross-site and non-form posts refused for every handler, audit events. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ACCOUNT_PAGES } from '../../src/web/admin/account.js'
import type { PageRoute } from '../../src/web/admin/page-route.js'
import { ADMIN_PAGES } from '../../src/web/admin/pages.js'
import { api } from '../harness/admin-api.js'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { send } from '../harness/http.js'
import { callMlflow, useMlflow } from '../harness/mlflow.js'
import { getPage, postForm, signIn, type Who } from '../harness/pages.js'
import { USERS } from '../harness/users.js'

const mlflow = useMlflow()
let gw: TestGateway

beforeAll(async () => {
  await callMlflow(mlflow(), '/api/2.0/mlflow/experiments/create', { name: 'team' })
  gw = await startTestGateway(mlflow().url, {
    access: {
      anonymous: true,
      users: [
        { name: 'admin', password_hash: USERS.admin.hash, admin: true },
        { name: 'reader', password_hash: USERS.reader.hash },
      ],
      grants: [{ to: 'user:reader', experiments: ['team'], permission: 'READ' }],
    },
  })
})
afterAll(async () => {
  await gw?.close()
})

/** Every page handler at a concrete URL (parameters filled with things that exist). */
const url = (prefix: string, r: PageRoute) =>
  `${prefix}${r.path === '/' ? '/' : r.path}`
    .replace(':name', 'reader')
    .replace(':user', 'reader')
    .replace(':id', '1')
const PAGES = [
  ...ADMIN_PAGES.map((r) => ({ ...r, url: url('/_gate/admin', r), prefix: '/_gate/admin' })),
  ...ACCOUNT_PAGES.map((r) => ({ ...r, url: url('/_gate/account', r), prefix: '/_gate/account' })),
]
const GETS = PAGES.filter((p) => p.method === 'GET')
const POSTS = PAGES.filter((p) => p.method === 'POST')
const ADMIN_ONLY = PAGES.filter((p) => p.access === 'admin')

const request = (p: (typeof PAGES)[number], who: Who, headers: Record<string, string> = {}) =>
  p.method === 'GET'
    ? getPage(gw.url, p.url, who, headers)
    : postForm(gw.url, p.url, who, {}, headers)

/** Asserts that `run` changed nothing in the access store (the revision moves with every change). */
async function changesNothing(run: () => Promise<void>): Promise<void> {
  const before = await gw.access.revision()
  await run()
  expect(await gw.access.revision()).toBe(before)
}

describe('who may open the pages', () => {
  it('sends visitors to sign in, and back to the page they asked for', async () => {
    expect(GETS.length).toBeGreaterThan(10)
    await changesNothing(async () => {
      for (const p of PAGES) {
        const res = await request(p, 'nobody')
        expect([p.url, res.status]).toEqual([p.url, 303])
        const back = p.method === 'GET' ? p.url : `${p.prefix}/`
        expect(res.headers.location).toBe(`/_gate/login?next=${encodeURIComponent(back)}`)
      }
    })
    // The sign-in page keeps the admin page as where to go next, and goes there.
    const login = await getPage(gw.url, '/_gate/login?next=%2F_gate%2Fadmin%2Fusers', 'nobody')
    expect(login.body).toContain('value="/_gate/admin/users"')
  })

  it('refuses every admin page to a signed-in user who is not an admin, and changes nothing', async () => {
    const cookie = await signIn(gw.url, 'reader')
    await changesNothing(async () => {
      for (const who of [{ cookie }, { basic: 'reader' }] as const) {
        for (const p of ADMIN_ONLY) {
          const res = await request(p, who)
          expect([p.method, p.url, res.status]).toEqual([p.method, p.url, 403])
          expect(res.body).toContain('Admins only')
          expect(res.headers['content-type']).toContain('text/html')
        }
      }
    })
    const account = await getPage(gw.url, '/_gate/account/', { cookie })
    expect(account.status).toBe(200)
    expect(account.body).toContain('<h1>My account</h1>')
    expect(account.body).toMatch(/Signed in as\s*<strong>reader<\/strong/)
    // Only "My account" in the navigation: no admin links for a non-admin.
    expect(account.body).not.toContain('href="/_gate/admin/')
  })

  it('answers wrong credentials with 401 and guessing with 429, never with a page', async () => {
    const wrong = { authorization: `Basic ${Buffer.from('admin:nope').toString('base64')}` }
    const res = await send(gw.url, { path: '/_gate/admin/users', auth: false, headers: wrong })
    expect(res.status).toBe(401)
    expect(res.body).toContain('Not signed in')
    expect(res.body).not.toContain('<table')
  })

  it('refuses every write made with a read-only token, even an admin’s', async () => {
    const created = await api(gw, 'POST', '/me/tokens', { body: { name: 'ro', read_only: true } })
    const bearer = { authorization: `Bearer ${created.body.token}` }
    expect((await getPage(gw.url, '/_gate/admin/users', 'nobody', bearer)).status).toBe(200)
    await changesNothing(async () => {
      for (const p of POSTS) {
        const res = await postForm(gw.url, p.url, 'nobody', { name: 'x' }, bearer)
        expect([p.url, res.status]).toEqual([p.url, 403])
        expect(res.body).toContain('Read-only token')
      }
    })
  })

  it('answers unknown pages and missing things with HTML pages', async () => {
    const admin = { basic: 'admin' } as const
    const unknown = await getPage(gw.url, '/_gate/admin/nope', admin)
    expect(unknown.status).toBe(404)
    expect(unknown.body).toContain('Page not found')
    const missing = await getPage(gw.url, '/_gate/admin/users/nobody-here', admin)
    expect(missing.status).toBe(404)
    expect(missing.body).toContain('No user named')
  })
})

describe('cross-site posts', () => {
  it('are refused by every form handler, whatever the credentials, and change nothing', async () => {
    const cookie = await signIn(gw.url, 'admin')
    const foreign: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      // Another port or subdomain of the same site: the cookie is sent, the request is refused.
      { 'sec-fetch-site': 'same-site' },
      // Browsers without Fetch Metadata: the Origin says it.
      { 'sec-fetch-site': '', origin: 'https://evil.example' },
    ]
    expect(POSTS.length).toBeGreaterThan(15)
    await changesNothing(async () => {
      for (const who of [{ cookie }, { basic: 'admin' }] as const) {
        for (const headers of foreign) {
          for (const p of POSTS) {
            const res = await postForm(gw.url, p.url, who, { name: 'mallory' }, headers)
            expect([p.url, res.status]).toEqual([p.url, 403])
            expect(res.body).toContain('sent from another site')
          }
        }
      }
    })
    expect((await api(gw, 'GET', '/groups/mallory')).status).toBe(404)
    // The same form from the gateway's own page goes through.
    const ok = await postForm(gw.url, '/_gate/admin/groups', { cookie }, { name: 'ours' })
    expect(ok.status).toBe(303)
    expect((await api(gw, 'GET', '/groups/ours')).status).toBe(200)
    // So does one whose Origin is the gateway's own (a browser without Fetch Metadata).
    const host = new URL(gw.url).host
    const sameOrigin = await postForm(
      gw.url,
      '/_gate/admin/groups',
      { cookie },
      { name: 'ours-2' },
      {
        'sec-fetch-site': '',
        origin: `http://${host}`,
      },
    )
    expect(sameOrigin.status).toBe(303)
  })

  it('only forms are taken: JSON and text bodies are refused before any handler', async () => {
    const cookie = await signIn(gw.url, 'admin')
    await changesNothing(async () => {
      for (const [type, body] of [
        ['application/json', '{"name":"json-group"}'],
        ['text/plain', 'name=text-group'],
        ['multipart/form-data; boundary=x', '--x--'],
      ]) {
        const res = await send(gw.url, {
          method: 'POST',
          path: '/_gate/admin/groups',
          auth: false,
          headers: { cookie, 'content-type': type!, 'sec-fetch-site': 'same-origin' },
          body,
        })
        expect([type, res.status]).toEqual([type, 415])
      }
    })
  })
})

describe('audit', () => {
  it('records each page request with its route, caller and decision, and a refused change with its code', async () => {
    const cookie = await signIn(gw.url, 'admin')
    const from = gw.audit.length
    await postForm(gw.url, '/_gate/admin/groups', { cookie }, { name: 'audited' })
    await postForm(gw.url, '/_gate/admin/users/admin/disable', { cookie })
    await postForm(
      gw.url,
      '/_gate/admin/groups',
      { cookie },
      { name: 'x' },
      { 'sec-fetch-site': 'cross-site' },
    )
    const events = gw.audit.slice(from).filter((e) => e.path.startsWith('/_gate/admin/'))
    expect(events.map((e) => [e.route, e.principal, e.allow, e.status, e.error])).toEqual([
      ['POST /_gate/admin/groups [admin]', 'admin', true, 303, null],
      ['POST /_gate/admin/users/:name/disable [admin]', 'admin', true, 303, 'GW_CONFLICT'],
      ['POST /_gate/admin/groups [admin]', null, null, 403, 'GW_CROSS_SITE'],
    ])
  })
})

describe('the badge in the MLflow UI', () => {
  it('links admins to the admin pages and everyone else signed in to their account', async () => {
    const admin = await getPage(gw.url, '/', { cookie: await signIn(gw.url, 'admin') })
    expect(admin.body).toMatch(/id="mlflow-gate-badge".*>admin<.*href="\/_gate\/admin\/">Admin</s)
    const reader = await getPage(gw.url, '/', { cookie: await signIn(gw.url, 'reader') })
    expect(reader.body).toMatch(
      /id="mlflow-gate-badge".*>reader<.*href="\/_gate\/account\/">Account</s,
    )
    expect(reader.body).not.toContain('href="/_gate/admin/"')
  })
})
