/** The sign-in page, the badge and the admin pages in a real Chromium, against the real MLflow behind the gateway (issue #6). */
import type { IncomingMessage } from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { api } from '../harness/admin-api.js'
import {
  adminShot,
  foreignFormSite,
  signInWithForm,
  unlabelledControls,
} from '../harness/admin-browser.js'
import { openAs, useBrowser, type RolePage } from '../harness/browser.js'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { send } from '../harness/http.js'
import { callMlflow, useMlflow } from '../harness/mlflow.js'
import { USERS } from '../harness/users.js'

const mlflow = useMlflow()
const browser = useBrowser()
let gw: TestGateway
const ids: Record<string, string> = {}
const opened: RolePage[] = []

beforeAll(async () => {
  for (const name of ['team-alpha', 'granted-later', 'secret']) {
    const e = await callMlflow<{ experiment_id: string }>(
      mlflow(),
      '/api/2.0/mlflow/experiments/create',
      { name },
    )
    ids[name] = e.experiment_id
    await callMlflow(mlflow(), '/api/2.0/mlflow/runs/create', {
      experiment_id: e.experiment_id,
      run_name: `${name}-run`,
    })
  }
  gw = await startTestGateway(mlflow().url, {
    access: {
      anonymous: false,
      users: [
        { name: 'admin', password_hash: USERS.admin.hash, admin: true },
        { name: 'reader', password_hash: USERS.reader.hash },
        { name: 'guest', password_hash: USERS.guest.hash },
      ],
      grants: [
        { to: 'user:reader', experiments: ['team-*'], permission: 'READ' },
        // The experiment page asks /graphql, which only callers who may read everything may
        // use until GraphQL requests are decided field by field (issue #4).
        { to: 'user:guest', experiments: ['*'], registered_models: ['*'], permission: 'READ' },
      ],
    },
  })
})
afterAll(async () => {
  await gw?.close()
})
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail')
    for (const ui of opened) await ui.reportFailure(ctx.task.name)
  for (const ui of opened.splice(0)) await ui.context.close()
})

/** A fresh browser context with nobody signed in (cookies are per context). */
async function visitor(): Promise<RolePage> {
  const ui = await openAs(browser(), gw.url, 'anonymous', gw.audit)
  opened.push(ui)
  return ui
}

/** The experiment names the list page links to. */
async function listedExperiments(ui: RolePage): Promise<string[]> {
  return ui.page
    .locator('a[href^="#/experiments/"]')
    .evaluateAll((els) => els.map((a) => a.textContent ?? ''))
}

describe('signing in and out', () => {
  it('sign in, see the badge, open an experiment, sign out, and the session no longer works', async () => {
    const ui = await visitor()
    const { page } = ui
    await page.goto(`${gw.url}/`, { waitUntil: 'load' })
    expect(new URL(page.url()).pathname).toBe('/_gate/login')
    await page.getByLabel('Username').waitFor()
    await adminShot(page, 'login')

    await page.getByLabel('Username').fill('guest')
    await page.getByLabel('Password').fill(USERS.guest.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    const badge = page.locator('#mlflow-gate-badge')
    await badge.locator('.who', { hasText: 'guest' }).waitFor()
    await badge.getByRole('link', { name: 'Account' }).waitFor()
    expect(await badge.getByRole('link', { name: 'Admin' }).count()).toBe(0)

    await ui.open('#/experiments')
    await page.getByRole('link', { name: 'team-alpha', exact: true }).click()
    await page.getByRole('link', { name: 'team-alpha-run' }).waitFor()
    expect(page.url()).toContain(`#/experiments/${ids['team-alpha']}`)
    await adminShot(page, 'mlflow-with-badge')

    const session = (await ui.context.cookies()).find((c) => c.name === 'mlflow-gate-session')!
    expect(session.httpOnly).toBe(true)
    const withOldCookie = () =>
      send(gw.url, {
        path: `/api/2.0/mlflow/experiments/get?experiment_id=${ids['team-alpha']}`,
        auth: false,
        headers: { cookie: `mlflow-gate-session=${session.value}` },
      })
    expect((await withOldCookie()).status).toBe(200)

    await badge.getByRole('button', { name: 'Sign out' }).click()
    // Visitors are not served here: signed out, the UI sends the browser to sign in again.
    await page.waitForURL((u) => u.pathname === '/_gate/login')
    expect((await ui.context.cookies()).some((c) => c.name === 'mlflow-gate-session')).toBe(false)
    expect((await withOldCookie()).status).toBe(401)
  })

  it('a wrong password shows a clear message and keeps the name', async () => {
    const { page } = await visitor()
    await page.goto(`${gw.url}/_gate/login`, { waitUntil: 'load' })
    await page.getByLabel('Username').fill('reader')
    await page.getByLabel('Password').fill('not-the-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    const alert = page.getByRole('alert')
    await alert.waitFor()
    expect(await alert.textContent()).toBe('Wrong username or password.')
    expect(await page.getByLabel('Username').inputValue()).toBe('reader')
    expect(await page.getByLabel('Password').inputValue()).toBe('')
    await adminShot(page, 'login-wrong-password')
  })
})

describe('granting in the admin pages', () => {
  it('an admin grants a user READ on an experiment, and that user then sees it in the MLflow UI', async () => {
    const reader = await visitor()
    await signInWithForm(reader.page, gw.url, 'reader')
    await reader.open('#/experiments')
    await reader.page.getByRole('link', { name: 'team-alpha', exact: true }).waitFor()
    expect(await listedExperiments(reader)).not.toContain('granted-later')

    const admin = await visitor()
    const { page } = admin
    await signInWithForm(page, gw.url, 'admin', '/_gate/admin/')
    await page
      .getByRole('navigation', { name: 'Admin pages' })
      .getByRole('link', { name: 'Grants' })
      .click()
    await page.getByRole('heading', { name: 'Grants', level: 1 }).waitFor()
    await page.getByLabel('To', { exact: true }).selectOption('user:reader')
    await page.getByLabel('On', { exact: true }).selectOption('experiment')
    await page.getByLabel('Permission', { exact: true }).selectOption('READ')
    await page.getByLabel('Name, pattern or id', { exact: true }).fill('granted-later')
    await page.getByRole('button', { name: 'Add grant' }).click()
    const done = page.getByRole('status')
    await done.waitFor()
    expect(await done.textContent()).toMatch(
      /^Granted READ on experiment 'granted-later' to user:reader \(grant #\d+\)\.$/,
    )

    // The list is asked for again when the page loads again.
    await reader.page.reload({ waitUntil: 'load' })
    await reader.page.getByRole('link', { name: 'granted-later', exact: true }).waitFor()
    expect((await listedExperiments(reader)).sort()).toEqual(['granted-later', 'team-alpha'])
    await adminShot(reader.page, 'mlflow-granted')
  })
})

describe('cross-site requests', () => {
  it('a form posted from another origin with the session cookie is refused, and nothing changes', async () => {
    const admin = await visitor()
    await signInWithForm(admin.page, gw.url, 'admin', '/_gate/admin/')
    const seen: { cookie?: string; site?: string }[] = []
    const watch = (req: IncomingMessage) => {
      if (req.method === 'POST' && req.url === '/_gate/admin/users')
        seen.push({ cookie: req.headers.cookie, site: req.headers['sec-fetch-site'] as string })
    }
    gw.server.on('request', watch)
    const evil = await foreignFormSite(`${gw.url}/_gate/admin/users`, {
      name: 'mallory',
      password: 'mallory-password-1',
      admin: 'on',
    })
    try {
      await admin.page.goto(evil.url, { waitUntil: 'load' })
      await admin.page.getByRole('heading', { name: 'Request refused' }).waitFor()
      await adminShot(admin.page, 'cross-site-refused')
    } finally {
      gw.server.off('request', watch)
      await evil.close()
    }
    // The browser did send the session cookie (another port is the same site): the gateway refused.
    expect(seen).toHaveLength(1)
    expect(seen[0]!.cookie).toContain('mlflow-gate-session=')
    expect(seen[0]!.site).toBe('same-site')
    expect((await api(gw, 'GET', '/users/mallory')).status).toBe(404)
  })
})

describe('every admin page', () => {
  it('looks finished: screenshots, labelled controls, the current page marked', async () => {
    const admin = await visitor()
    const { page } = admin
    await signInWithForm(page, gw.url, 'admin', '/_gate/admin/')
    const base = `${gw.url}/_gate/admin`
    // Some things to show: a group with a member, a create right, a user to delete, a token.
    const submit = async (path: string, fill: Record<string, string>, button: string) => {
      await page.goto(`${base}${path}`, { waitUntil: 'load' })
      for (const [label, value] of Object.entries(fill)) {
        const field = page.getByLabel(label, { exact: true })
        if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value)
        else await field.fill(value)
      }
      await page.getByRole('button', { name: button }).click()
      await page.waitForLoadState('load')
    }
    await submit('/groups', { Name: 'ml-team' }, 'Create group')
    await submit('/groups/ml-team', { User: 'reader' }, 'Add member')
    await submit('/create-rights', { Who: 'group:ml-team', Names: 'ml-*' }, 'Add create right')
    await submit('/users', { Name: 'temp-user', Password: 'temp-user-password' }, 'Create user')
    await submit('/tokens', { 'For user': 'reader', Name: 'notebook' }, 'Create token')
    await page.locator('#secret').waitFor()
    expect(await page.locator('#secret').inputValue()).toMatch(/^mlgt_/)
    await adminShot(page, 'token-created')

    const explain = `/explain?user=reader&method=GET&path=${encodeURIComponent(
      `/api/2.0/mlflow/experiments/get?experiment_id=${ids.secret}`,
    )}`
    const pages: [string, string, string][] = [
      ['overview', '/', 'Overview'],
      ['users', '/users', 'Users'],
      ['user', '/users/reader', 'Users'],
      ['user-delete', '/users/temp-user/delete', 'Users'],
      ['groups', '/groups', 'Groups'],
      ['group', '/groups/ml-team', 'Groups'],
      ['grants', '/grants', 'Grants'],
      ['create-rights', '/create-rights', 'Create rights'],
      ['tokens', '/tokens', 'API tokens'],
      ['access', `/access?experiment=${ids['team-alpha']}`, 'Who can access'],
      ['explain', explain, 'Explain a request'],
      ['audit', '/audit', 'Audit log'],
    ]
    for (const [name, path, current] of pages) {
      admin.watch.reset()
      await page.goto(`${base}${path}`, { waitUntil: 'load' })
      await page.getByRole('heading', { level: 1 }).waitFor()
      const nav = page.getByRole('navigation', { name: 'Admin pages' })
      const marked = await nav.locator('[aria-current="page"]').textContent()
      expect([name, marked]).toEqual([name, current])
      expect([name, await unlabelledControls(page)]).toEqual([name, []])
      expect([name, await admin.watch.unexplained()]).toEqual([name, []])
      await adminShot(page, name)
    }
    await page.goto(`${gw.url}/_gate/account/`, { waitUntil: 'load' })
    await adminShot(page, 'account')

    // What a signed-in user who is not an admin sees.
    const reader = await visitor()
    await signInWithForm(reader.page, gw.url, 'reader', '/_gate/account/')
    await reader.page.getByRole('heading', { name: 'My account' }).waitFor()
    expect(await unlabelledControls(reader.page)).toEqual([])
    await adminShot(reader.page, 'account-reader')
    await reader.page.goto(`${base}/users`, { waitUntil: 'load' })
    await reader.page.getByRole('heading', { name: 'Admins only' }).waitFor()
    await adminShot(reader.page, 'forbidden')
  })
})
