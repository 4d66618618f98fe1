/** A real Chromium (Debian's package) driven by playwright-core: one browser per test file, a context per role. */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { PROJECT_ROOT } from '../../src/mlflow/venv.js'
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
}

/**
 * A browser context signed in as `role`. The Basic credentials go on every request, as a browser
 * sends them once it has answered a challenge: with anonymous visitors enabled the gateway never
 * challenges a page load, so playwright's `httpCredentials` (answer-a-challenge only) would leave
 * the UI anonymous.
 */
export async function openAs(browser: Browser, baseUrl: string, role: Role): Promise<RolePage> {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    ...(role !== 'anonymous' && { extraHTTPHeaders: { authorization: basic(role) } }),
  })
  await context.addInitScript((entries) => {
    const storage = (globalThis as unknown as { localStorage: Storage }).localStorage
    for (const [key, value] of entries) storage.setItem(key, value)
  }, Object.entries(QUIET_UI))
  const page = await context.newPage()
  const watch = new PageWatch(page)
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
  }
}
