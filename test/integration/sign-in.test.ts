/** Sign-in, sessions, sign-out, CSRF, throttling and the UI badge, over HTTP against the real MLflow. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { updateUser } from '../../src/storage/access/users.js'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { send, type SimpleResponse } from '../harness/http.js'
import { callMlflow, useMlflow } from '../harness/mlflow.js'
import { basic, USERS } from '../harness/users.js'

const mlflow = useMlflow()
let open: TestGateway
let closed: TestGateway
let experimentId = ''

const users = [
  { name: 'admin', password_hash: USERS.admin.hash, admin: true },
  { name: 'reader', password_hash: USERS.reader.hash },
  { name: 'guest', password_hash: USERS.guest.hash },
  { name: 'editor', password_hash: USERS.editor.hash },
]

beforeAll(async () => {
  const e = await callMlflow<{ experiment_id: string }>(
    mlflow(),
    '/api/2.0/mlflow/experiments/create',
    { name: 'team' },
  )
  experimentId = e.experiment_id
  const grants = [{ to: 'authenticated', experiment_ids: [experimentId], permission: 'EDIT' }]
  open = await startTestGateway(mlflow().url, {
    access: { anonymous: true, users, grants },
    throttle: { free_failures: 3 },
  })
  closed = await startTestGateway(mlflow().url, {
    access: { anonymous: false, users, grants },
    listen: { port: 0, public_url: 'https://mlflow.example.com' },
  })
})
afterAll(async () => {
  await open?.close()
  await closed?.close()
})

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()
function login(
  gw: TestGateway,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<SimpleResponse> {
  return send(gw.url, {
    method: 'POST',
    path: '/_gate/login',
    auth: false,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'sec-fetch-site': 'same-origin',
      ...headers,
    },
    body: form(fields),
  })
}
/** The `name=value` part of the Set-Cookie header. */
const cookieOf = (res: SimpleResponse) =>
  String(res.headers['set-cookie']?.[0] ?? '').split(';')[0]!

const getExperiment = (gw: TestGateway, headers: Record<string, string>) =>
  send(gw.url, {
    path: `/api/2.0/mlflow/experiments/get?experiment_id=${experimentId}`,
    auth: false,
    headers,
  })
const rename = (gw: TestGateway, headers: Record<string, string>, name: string) =>
  send(gw.url, {
    method: 'POST',
    path: '/api/2.0/mlflow/experiments/update',
    auth: false,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ experiment_id: experimentId, new_name: name }),
  })

describe('the sign-in page', () => {
  it('is a finished, script-free page that cannot be framed', async () => {
    const res = await send(open.url, { path: '/_gate/login?next=%2F%23%2Fmodels', auth: false })
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toContain('text/html')
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(res.body).toContain('<label for="username">Username</label>')
    expect(res.body).toContain('autocomplete="current-password"')
    expect(res.body).toContain('value="/#/models"')
    expect(res.body).toContain('continue as a guest')
    expect(res.body).not.toContain('<script')
    const css = await send(open.url, { path: '/_gate/static/gate.css', auth: false })
    expect(css.headers['content-type']).toContain('text/css')
  })

  it('says clearly when the password is wrong, the same for unknown users', async () => {
    for (const username of ['reader', 'nobody']) {
      const res = await login(open, { username, password: 'wrong', next: '/' })
      expect(res.status).toBe(401)
      expect(res.body).toContain('role="alert"')
      expect(res.body).toContain('Wrong username or password.')
      expect(res.headers['set-cookie']).toBeUndefined()
    }
  })

  it('signs in with a fresh HttpOnly SameSite=Lax session and goes back only within the site', async () => {
    const res = await login(open, {
      username: 'Editor',
      password: USERS.editor.password,
      next: '/#/experiments/1',
    })
    expect(res.status).toBe(303)
    expect(res.headers.location).toBe('/#/experiments/1')
    const setCookie = String(res.headers['set-cookie']?.[0])
    expect(setCookie).toMatch(
      /^mlflow-gate-session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/,
    )
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example'])
      expect(
        (await login(open, { username: 'editor', password: USERS.editor.password, next })).headers
          .location,
      ).toBe('/')
    // A new id at every sign-in, and the one the browser had before is ended.
    const again = await login(
      open,
      { username: 'editor', password: USERS.editor.password },
      { cookie: cookieOf(res) },
    )
    expect(cookieOf(again)).not.toBe(cookieOf(res))
    expect((await getExperiment(open, { cookie: cookieOf(again) })).status).toBe(200)
    expect(
      (await rename(open, { cookie: cookieOf(res), 'sec-fetch-site': 'same-origin' }, 'x')).status,
    ).toBe(403)
  })

  it('uses __Host- and Secure behind https, and sends visitors to it when anonymous is off', async () => {
    const res = await login(
      closed,
      { username: 'reader', password: USERS.reader.password },
      {
        'sec-fetch-site': 'same-origin',
      },
    )
    expect(String(res.headers['set-cookie']?.[0])).toMatch(
      /^__Host-mlflow-gate-session=.*; Secure; Max-Age=/,
    )
    const nav = await send(closed.url, {
      path: '/',
      auth: false,
      headers: { 'sec-fetch-mode': 'navigate', accept: 'text/html' },
    })
    expect(nav.status).toBe(302)
    expect(nav.headers.location).toBe('/_gate/login?next=%2F')
    // API clients get 401 with a challenge, never a redirect; a page's own requests get no challenge.
    const api = await getExperiment(closed, {})
    expect(api.status).toBe(401)
    expect(api.headers['www-authenticate']).toContain('Basic')
    const xhr = await getExperiment(closed, {
      'sec-fetch-mode': 'cors',
      'sec-fetch-site': 'same-origin',
    })
    expect(xhr.status).toBe(401)
    expect(xhr.headers['www-authenticate']).toBeUndefined()
    expect((await getExperiment(closed, { cookie: cookieOf(res) })).status).toBe(200)
  })
})

describe('sessions', () => {
  async function signedIn(user: 'reader' | 'editor' | 'guest'): Promise<string> {
    return cookieOf(await login(open, { username: user, password: USERS[user].password }))
  }

  it('end at sign-out', async () => {
    const cookie = await signedIn('editor')
    expect((await getExperiment(open, { cookie })).status).toBe(200)
    const out = await send(open.url, {
      method: 'POST',
      path: '/_gate/logout',
      auth: false,
      headers: {
        cookie,
        'sec-fetch-site': 'same-origin',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: '',
    })
    expect(out.status).toBe(303)
    expect(String(out.headers['set-cookie']?.[0])).toContain('Max-Age=0')
    // The old cookie is now no credential: the browser is a visitor, who may not read `team`.
    expect((await getExperiment(open, { cookie })).status).toBe(403)
  })

  it('end when the user is disabled or their password changes', async () => {
    const cookie = await signedIn('guest')
    expect((await getExperiment(open, { cookie })).status).toBe(200)
    await open.access.change((t) => updateUser(t, 'guest', { disabled: true }))
    expect((await getExperiment(open, { cookie })).status).toBe(403)
    await open.access.change((t) => updateUser(t, 'guest', { disabled: false }))
    expect((await getExperiment(open, { cookie })).status).toBe(403)

    const second = await signedIn('guest')
    await open.access.change((t) => updateUser(t, 'guest', { passwordHash: USERS.guest.hash }))
    expect((await getExperiment(open, { cookie: second })).status).toBe(403)
  })

  it('refuse cross-site writes made with the cookie, and leave Basic alone', async () => {
    const cookie = await signedIn('editor')
    const cross = await rename(open, { cookie, 'sec-fetch-site': 'cross-site' }, 'evil')
    expect(cross.status).toBe(403)
    expect(JSON.parse(cross.body)).toMatchObject({ gateway_code: 'GW_CROSS_SITE' })
    const foreignOrigin = await rename(open, { cookie, origin: 'https://evil.example' }, 'evil')
    expect(foreignOrigin.status).toBe(403)
    const experiment = await callMlflow<{ experiment: { name: string } }>(
      mlflow(),
      `/api/2.0/mlflow/experiments/get?experiment_id=${experimentId}`,
    )
    expect(experiment.experiment.name).toBe('team')
    expect((await rename(open, { cookie, 'sec-fetch-site': 'same-origin' }, 'team-2')).status).toBe(
      200,
    )
    expect(
      (
        await rename(
          open,
          { authorization: basic('editor'), 'sec-fetch-site': 'cross-site' },
          'team',
        )
      ).status,
    ).toBe(200)
    // A login form posted from another site is refused too (login CSRF).
    const forced = await login(
      open,
      { username: 'editor', password: USERS.editor.password },
      { 'sec-fetch-site': 'cross-site' },
    )
    expect(forced.status).toBe(403)
    expect(forced.headers['set-cookie']).toBeUndefined()
  })
})

describe('guessing', () => {
  it('is slowed down with 429 and Retry-After, for Basic and the login page alike', async () => {
    const wrong = `Basic ${Buffer.from('reader:nope').toString('base64')}`
    const statuses: number[] = []
    for (let i = 0; i < 5; i++)
      statuses.push((await getExperiment(open, { authorization: wrong })).status)
    expect(statuses).toEqual([401, 401, 401, 429, 429])
    const limited = await getExperiment(open, { authorization: basic('reader') })
    expect(limited.status).toBe(429)
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    expect(JSON.parse(limited.body)).toMatchObject({ error_code: 'REQUEST_LIMIT_EXCEEDED' })
    const page = await login(open, { username: 'reader', password: USERS.reader.password })
    expect(page.status).toBe(429)
    expect(page.body).toContain('Too many failed attempts')
    // Another account from the same address is not locked out by it.
    expect((await getExperiment(open, { authorization: basic('editor') })).status).toBe(200)
  })
})

describe('the badge in the MLflow UI', () => {
  it('shows a visitor "Guest" with a way to sign in, and a signed-in user their name and sign-out', async () => {
    const anon = await send(open.url, { path: '/', auth: false })
    expect(anon.status).toBe(200)
    expect(anon.headers['cache-control']).toBe('no-store')
    expect(anon.body).toContain('<div id="root"')
    expect(anon.body).toMatch(/id="mlflow-gate-badge".*Guest.*href="\/_gate\/login">Sign in/s)
    const cookie = cookieOf(
      await login(open, { username: 'editor', password: USERS.editor.password }),
    )
    const mine = await send(open.url, { path: '/', auth: false, headers: { cookie } })
    expect(mine.body).toMatch(/class="who"[^>]*>editor<.*action="\/_gate\/logout"/s)
  })
})
