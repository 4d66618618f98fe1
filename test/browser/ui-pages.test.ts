/** The real MLflow UI in a real Chromium through the gateway: each role sees exactly what it may read, and the pages work. */
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { openAs, useBrowser, type RolePage } from '../harness/browser.js'
import {
  EXPERIMENTS,
  experimentNames,
  modelNames,
  READS,
  ROLES,
  useUiWorld,
  type ExperimentName,
} from '../harness/ui-world.js'

const world = useUiWorld()
const browser = useBrowser()

/** The names the list page links to (`#/experiments/<id>` or `#/models/<name>`), in page order. */
async function listed(page: Page, kind: 'experiments' | 'models'): Promise<string[]> {
  const href = kind === 'experiments' ? /^#\/experiments\/\d+$/ : /^#\/models\/[^/]+$/
  const links = await page
    .locator(`a[href^="#/${kind}/"]`)
    .evaluateAll((els) => els.map((a) => [a.getAttribute('href') ?? '', a.textContent ?? '']))
  return links.filter(([h]) => href.test(h!)).map(([, text]) => text!)
}

/** The experiment whose run a role opens: the most private one it may read. */
function runFor(role: (typeof ROLES)[number]): ExperimentName {
  const names = Object.keys(EXPERIMENTS) as ExperimentName[]
  return names.filter(READS[role]).at(-1)!
}

describe.each(ROLES)('the MLflow UI as %s', (role) => {
  let ui: RolePage
  beforeAll(async () => {
    ui = await openAs(browser(), world().gateway.url, role, world().gateway.audit)
  })
  afterAll(async () => {
    await ui?.context.close()
  })
  beforeEach(() => ui?.watch.reset())
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await ui?.reportFailure(ctx.task.name)
  })

  it('lists exactly the readable experiments', async () => {
    const expected = (await experimentNames(world().mlflow)).filter(READS[role]).sort()
    await ui.open('#/experiments')
    for (const name of expected) {
      await ui.page.getByRole('link', { name, exact: true }).waitFor()
    }
    expect((await listed(ui.page, 'experiments')).sort()).toEqual(expected)
    await ui.screenshot('experiments')
    expect(await ui.watch.unexplained()).toEqual([])
  })

  it("opens a readable experiment's runs, and the run's metric charts, params and artifacts", async () => {
    const name = runFor(role)
    const { experimentId, runId } = world().runs[name]
    await ui.open(`#/experiments/${experimentId}`)
    await ui.page.getByRole('link', { name: `${name}-run` }).waitFor()
    await ui.screenshot('experiment')

    await ui.open(`#/experiments/${experimentId}/runs/${runId}`)
    await ui.page.getByText(`Parameters (2)`).waitFor()
    await ui.page.getByRole('cell', { name: 'learning_rate' }).waitFor()
    await ui.screenshot('run')

    // Each metric gets a chart card whose plot draws the 12 logged steps as a line.
    await ui.open(`#/experiments/${experimentId}/runs/${runId}/model-metrics`)
    for (const metric of ['loss', 'accuracy']) {
      const card = ui.page.locator('[data-testid="draggable-chart-cards-grid"] > *', {
        hasText: metric,
      })
      await card.locator('.js-plotly-plot .scatterlayer path.js-line').first().waitFor()
    }
    await ui.screenshot('run-metrics')

    await ui.open(`#/experiments/${experimentId}/runs/${runId}/artifacts`)
    await ui.page.getByText('notes.txt', { exact: true }).click()
    await ui.page.getByText(`notes of ${name}`).waitFor()
    await ui.screenshot('run-artifacts')
    expect(await ui.watch.unexplained()).toEqual([])
  })

  it('lists exactly the readable registered models, and opens one with its version', async () => {
    const expected = (await modelNames(world().mlflow)).filter(READS[role]).sort()
    await ui.open('#/models')
    for (const name of expected) {
      await ui.page.getByRole('link', { name, exact: true }).waitFor()
    }
    expect((await listed(ui.page, 'models')).sort()).toEqual(expected)
    await ui.screenshot('models')

    const experiment = runFor(role)
    const model = EXPERIMENTS[experiment]
    await ui.open(`#/models/${model}`)
    await ui.page.getByRole('link', { name: 'Version 1' }).waitFor()
    await ui.screenshot('model')

    // The version page names its source run (runs/get, decided on the run's experiment).
    await ui.open(`#/models/${model}/versions/1`)
    await ui.page.getByRole('link', { name: `${experiment}-run` }).waitFor()
    await ui.screenshot('model-version')
    expect(await ui.watch.unexplained()).toEqual([])
  })
})

describe('what anonymous may not read', () => {
  it("shows an error on a private run's page, and none of its data", async () => {
    const ui = await openAs(browser(), world().gateway.url, 'anonymous', world().gateway.audit)
    try {
      const { experimentId, runId } = world().runs['private-c']
      await ui.open(`#/experiments/${experimentId}/runs/${runId}`)
      await ui.page
        .getByText(/PERMISSION_DENIED|403|Can't load|not found/i)
        .first()
        .waitFor()
      await ui.screenshot('private-run')
      const text = await ui.page.locator('body').innerText()
      expect(text).not.toContain('private-c-run')
      expect(text).not.toContain('learning_rate')
    } finally {
      await ui.context.close()
    }
  })
})
