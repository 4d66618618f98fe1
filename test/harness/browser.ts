/** A real Chromium (Debian's package) driven by playwright-core: one browser per test file, a context per role. */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { PROJECT_ROOT } from '../../src/mlflow/venv.js'
import type { AuditEvent } from '../../src/audit/event.js'
import { PageWatch } from './page-watch.js'
import { basic, type UserName } from './users.js'

export const CHROMIUM = process.env.MLFLOW_GATE_CHROMIUM ?? '/usr/bin/chromium'
export const SCREENSHOTS = join(PROJECT_ROOT, 'test-results', 'screenshots')

export type Role = 'anonymous' | UserName

/** Launches Chromium before the file's tests and closes it afterwards. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    })
  })
  afterAll(async () => {
    await browser?.close()
  })
  return () => {
    if (!browser) throw new Error('Chromium is not running (beforeAll failed?)')
    return browser
  }
}

/**
 * What the MLflow UI keeps in localStorage, set before its scripts run: the classic "Model
 * training" pages rather than GenAI, and no first-visit panels covering the page (the Assistant
 * opens itself on a loopback host; the registry shows a promotion dialog once).
 */
const QUIET_UI: Record<string, string> = {
  'mlflow.workflowType_v1': JSON.stringify('machine_learning'),
  'mlflow.assistant.fab.autoOpenedOnFirstLoad_v1': 'true',
  'mlflow.assistant.panelOpen_v1': 'false',
  _mlflow_model_registry_promo_modal_dismissed_v1: 'true',
}

type Storage = { setItem(key: string, value: string): void }

export type RolePage = {
  readonly role: Role
  readonly context: BrowserContext
  readonly page: Page
  readonly watch: PageWatch
  /** Opens a UI route (`#/...`) and waits for the document's load event, never for idle. */
  open(route: string): Promise<void>
  /** Saves test-results/screenshots/<role>-<name>.png. */
  screenshot(name: string): Promise<void>
  /** After a failed test: a screenshot, and every unexplained error answer printed to stderr. */
  reportFailure(testName: string): Promise<void>
}

/**
 * A browser context signed in as `role`. The Basic credentials go on every request, as a browser
 * sends them once it has answered a challenge: with anonymous visitors enabled the gateway never
 * challenges a page load, so playwright's `httpCredentials` (answer-a-challenge only) would leave
 * the UI anonymous. With the gateway's `audit` lines, refusals the page cannot see count too.
 */
export async function openAs(
  browser: Browser,
  baseUrl: string,
  role: Role,
  audit?: readonly AuditEvent[],
): Promise<RolePage> {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    ...(role !== 'anonymous' && { extraHTTPHeaders: { authorization: basic(role) } }),
  })
  await context.addInitScript((entries) => {
    const storage = (globalThis as unknown as { localStorage: Storage }).localStorage
    for (const [key, value] of entries) storage.setItem(key, value)
  }, Object.entries(QUIET_UI))
  // The first load of the UI's bundles on a busy machine may take longer than playwright's 30 s.
  context.setDefaultNavigationTimeout(60_000)
  const page = await context.newPage()
  const watch = new PageWatch(page, audit && { events: audit, principal: role })
  mkdirSync(SCREENSHOTS, { recursive: true })
  return {
    role,
    context,
    page,
    watch,
    async open(route) {
      await page.goto(`${baseUrl}/${route}`, { waitUntil: 'load' })
    },
    async screenshot(name) {
      await page.screenshot({ path: join(SCREENSHOTS, `${role}-${name}.png`) })
    },
    async reportFailure(testName) {
      const slug = testName
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .slice(0, 60)
      await page.screenshot({ path: join(SCREENSHOTS, `${role}-failed-${slug}.png`) })
      const seen = await watch.unexplained()
      process.stderr.write(
        `\n--- ${role}: ${testName} failed at ${page.url()}; unexplained on this page:\n` +
          `${seen.join('\n') || '(none)'}\n---\n`,
      )
    },
  }
}
