/** What the admin pages' browser tests add to browser.ts: signing in through the form, full-page screenshots named admin-*, a page on another origin that posts a form to the gateway. */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { SCREENSHOTS } from './browser.js'
import { USERS, type UserName } from './users.js'

/** Signs in on the gateway's sign-in page, as a person would, and waits for where it leads. */
export async function signInWithForm(
  page: Page,
  base: string,
  user: UserName,
  next = '/',
): Promise<void> {
  await page.goto(`${base}/_gate/login?next=${encodeURIComponent(next)}`, { waitUntil: 'load' })
  await page.getByLabel('Username').fill(user)
  await page.getByLabel('Password').fill(USERS[user].password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL((u) => !u.pathname.startsWith('/_gate/login'))
}

/** Saves test-results/screenshots/admin-<name>.png of the whole page. */
export async function adminShot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `admin-${name}.png`), fullPage: true })
}

/** The labels of form controls without one (every input, select and textarea must have one). */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page
    .locator('input:not([type=hidden]), select, textarea')
    .evaluateAll((els) =>
      els
        .filter(
          (el) => ((el as unknown as { labels?: { length: number } }).labels?.length ?? 0) === 0,
        )
        .map((el) => el.outerHTML.slice(0, 80)),
    )
}

export type ForeignSite = { readonly url: string; close(): Promise<void> }

/**
 * A page on another origin (another port: the same site to a browser, so a SameSite=Lax cookie
 * goes along) whose form posts itself to `action` as soon as it loads.
 */
export async function foreignFormSite(
  action: string,
  fields: Record<string, string>,
): Promise<ForeignSite> {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${k}" value="${v}">`)
    .join('')
  const html =
    `<!doctype html><title>Win a prize</title><form method="post" action="${action}">` +
    `${inputs}</form><script>document.forms[0].submit()</script>`
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
