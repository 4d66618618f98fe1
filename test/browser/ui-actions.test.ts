/** Actions in the real MLflow UI through the gateway: a forbidden one shows MLflow's error and changes nothing; an allowed one works. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openAs, useBrowser, type Role, type RolePage } from '../harness/browser.js'
import { send } from '../harness/http.js'
import { experimentNames, snapshot, useUiWorld } from '../harness/ui-world.js'

const world = useUiWorld()
const browser = useBrowser()

let ui: RolePage | undefined
let before: string[] = []

async function as(role: Role): Promise<RolePage> {
  ui = await openAs(browser(), world().gateway.url, role, world().gateway.audit)
  return ui
}

beforeEach(async () => {
  before = await snapshot(world().mlflow)
})
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await ui?.reportFailure(ctx.task.name)
  await ui?.context.close()
  ui = undefined
})

/** The error text the UI shows: a notification or a form message, whichever appears. */
async function shownError(page: RolePage['page'], text: string | RegExp) {
  await page.getByText(text).first().waitFor()
}

/** Nothing in MLflow changed: the same experiments (and stages), models and versions. */
async function unchanged() {
  expect(await snapshot(world().mlflow)).toEqual(before)
}

describe('a forbidden action shows the error and changes nothing', () => {
  it('anonymous creating an experiment', async () => {
    const { page, open, screenshot } = await as('anonymous')
    await open('#/experiments')
    await page.getByTestId('create-experiment-button').click()
    await page.locator('#experimentName').fill('anonymous-was-here')
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click()
    await shownError(page, "anonymous may not create experiment 'anonymous-was-here'")
    await screenshot('create-experiment-denied')
    await unchanged()
  })

  it('guest deleting an experiment from the list', async () => {
    const { page, open, screenshot } = await as('guest')
    await open('#/experiments')
    await page.getByRole('row').filter({ hasText: 'public-a' }).getByRole('checkbox').check()
    await page.getByRole('button', { name: 'Delete' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click()
    await shownError(page, "guest needs MANAGE on experiment 1 ('public-a')")
    await screenshot('delete-experiment-denied')
    await unchanged()
  })

  it('guest renaming an experiment', async () => {
    const { page, open, screenshot } = await as('guest')
    const id = world().runs['private-c'].experimentId
    await open(`#/experiments/${id}`)
    await page.getByTestId('overflow-menu-trigger').click()
    await page.getByRole('menuitem', { name: 'Edit experiment' }).click()
    await page.getByRole('dialog').locator('input').first().fill('private-c-renamed')
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click()
    await shownError(page, `guest needs EDIT on experiment ${id} ('private-c')`)
    await screenshot('rename-experiment-denied')
    await unchanged()
  })

  it('guest registering a run’s model as a new version', async () => {
    const { page, open, screenshot } = await as('guest')
    const { experimentId, runId } = world().runs['public-a']
    await open(`#/experiments/${experimentId}/runs/${runId}/artifacts`)
    await page.getByText('candidate', { exact: true }).click()
    await page.getByRole('button', { name: 'Register model' }).click()
    await page.locator('#selectedModel').click()
    await page
      .locator('.du-bois-light-select-dropdown')
      .getByText('public-a-model', { exact: true })
      .click()
    await page.getByRole('dialog').getByRole('button', { name: 'Register' }).click()
    await shownError(page, "guest needs EDIT on registered model 'public-a-model'")
    await screenshot('register-model-denied')
    await unchanged()
  })

  it('reader creating a registered model', async () => {
    const { page, open, screenshot } = await as('reader')
    await open('#/models')
    await page.getByRole('button', { name: 'Create Model' }).click()
    await page.getByRole('dialog').locator('input').first().fill('team-new-model')
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click()
    await shownError(page, "reader may not create registered-model 'team-new-model'")
    await screenshot('create-model-denied')
    await unchanged()
  })

  it('editor deleting the experiment it may only edit', async () => {
    const { page, open, screenshot } = await as('editor')
    await open('#/experiments')
    await page.getByRole('row').filter({ hasText: 'team-b' }).getByRole('checkbox').check()
    await page.getByRole('button', { name: 'Delete' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click()
    const id = world().runs['team-b'].experimentId
    await shownError(page, `editor needs MANAGE on experiment ${id} ('team-b')`)
    await screenshot('delete-experiment-denied')
    await unchanged()
  })
})

describe('the experiment name check the create and rename dialogs make', () => {
  it('answers a name the caller may not read exactly like a missing one', async () => {
    const lookup = async (name: string) => {
      const res = await send(
        `${world().gateway.url}/ajax-api/2.0/mlflow/experiments/get-by-name?experiment_name=${name}`,
        { auth: false },
      )
      const body = JSON.parse(res.body) as { error_code?: string; message?: string }
      return { status: res.status, code: body.error_code, message: body.message }
    }
    const hidden = await lookup('private-c')
    const missing = await lookup('private-x')
    expect(hidden).toEqual({
      status: 404,
      code: 'RESOURCE_DOES_NOT_EXIST',
      message: "mlflow-gate: no experiment named 'private-c' that anonymous may read",
    })
    expect({ ...missing, message: missing.message?.replace('private-x', 'private-c') }).toEqual(
      hidden,
    )
    expect((await lookup('public-a')).status).toBe(200)
  })
})

describe('an allowed action works through the same dialogs', () => {
  it('admin creating an experiment', async () => {
    const { page, open, screenshot } = await as('admin')
    await open('#/experiments')
    await page.getByTestId('create-experiment-button').click()
    await page.locator('#experimentName').fill('made-in-the-ui')
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click()
    await page.getByRole('dialog').waitFor({ state: 'detached' })
    await screenshot('create-experiment')
    expect(await experimentNames(world().mlflow)).toContain('made-in-the-ui')
  })

  it('creator creating an experiment it may create', async () => {
    const { page, open, screenshot } = await as('creator')
    await open('#/experiments')
    await page.getByTestId('create-experiment-button').click()
    await page.locator('#experimentName').fill('sandbox-from-the-ui')
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click()
    await page.getByRole('dialog').waitFor({ state: 'detached' })
    await screenshot('create-experiment')
    expect(await experimentNames(world().mlflow)).toContain('sandbox-from-the-ui')
  })

  it('editor renaming the experiment it may edit', async () => {
    const { page, open, screenshot } = await as('editor')
    await open(`#/experiments/${world().runs['team-b'].experimentId}`)
    await page.getByTestId('overflow-menu-trigger').click()
    await page.getByRole('menuitem', { name: 'Edit experiment' }).click()
    await page.getByRole('dialog').locator('input').first().fill('team-b-renamed')
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click()
    await page.getByRole('dialog').waitFor({ state: 'detached' })
    await screenshot('rename-experiment')
    expect(await experimentNames(world().mlflow)).toContain('team-b-renamed')
  })
})
