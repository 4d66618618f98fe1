/** Searches show each caller exactly what they may read, across pages, against the real MLflow. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { send } from '../harness/http.js'
import { callMlflow, useMlflow } from '../harness/mlflow.js'
import { basic, USERS } from '../harness/users.js'

const mlflow = useMlflow()
let gateway: TestGateway
let secretId = ''
type Exp = { experiment_id: string; name: string }

beforeAll(async () => {
  // Readable and unreadable experiments interleaved, so every page mixes both.
  for (let i = 0; i < 12; i++) {
    await callMlflow(mlflow(), '/api/2.0/mlflow/experiments/create', { name: `public-${i}` })
    const p = await callMlflow<{ experiment_id: string }>(
      mlflow(),
      '/api/2.0/mlflow/experiments/create',
      {
        name: `private-${i}`,
      },
    )
    if (i === 5) secretId = p.experiment_id
  }
  const run = await callMlflow<{ run: { info: { run_id: string } } }>(
    mlflow(),
    '/api/2.0/mlflow/runs/create',
    {
      experiment_id: '0',
    },
  )
  const runId = run.run.info.run_id
  for (let i = 0; i < 6; i++) {
    for (const name of [`public-m-${i}`, `private-m-${i}`]) {
      await callMlflow(mlflow(), '/api/2.0/mlflow/registered-models/create', { name })
      await callMlflow(mlflow(), '/api/2.0/mlflow/model-versions/create', {
        name,
        source: `runs:/${runId}/model`,
        run_id: runId,
      })
    }
  }
  gateway = await startTestGateway(mlflow().url, {
    access: {
      anonymous: true,
      users: [
        { name: 'admin', password_hash: USERS.admin.hash, admin: true },
        { name: 'reader', password_hash: USERS.reader.hash },
        { name: 'guest', password_hash: USERS.guest.hash },
      ],
      grants: [
        {
          to: 'anonymous',
          experiments: ['public-*'],
          registered_models: ['public-*'],
          permission: 'READ',
        },
        { to: 'user:reader', experiment_ids: [secretId], permission: 'READ' },
        { to: 'user:guest', experiments: ['*'], registered_models: ['*'], permission: 'READ' },
      ],
    },
  })
})
afterAll(async () => {
  await gateway?.close()
})

/** Every experiment, read from MLflow directly: the oracle's input. */
async function allExperiments(): Promise<Exp[]> {
  const res = await callMlflow<{ experiments: Exp[] }>(
    mlflow(),
    '/api/2.0/mlflow/experiments/search?max_results=1000',
  )
  return res.experiments
}

const ROLES = {
  anonymous: (e: Exp) => e.name.startsWith('public-'),
  reader: (e: Exp) => e.name.startsWith('public-') || e.experiment_id === secretId,
  guest: () => true,
} as const

/** Pages through the gateway's search as `role`, checking each page as it goes. */
async function pageThrough(
  role: keyof typeof ROLES,
  pageSize: number,
  how: 'GET' | 'POST',
  prefix = '/api',
) {
  const names: string[] = []
  let token: string | undefined
  for (let pages = 0; pages < 100; pages++) {
    const path = `${prefix}/2.0/mlflow/experiments/search`
    const res =
      how === 'GET'
        ? await send(
            `${gateway.url}${path}?max_results=${pageSize}${token ? `&page_token=${token}` : ''}`,
            {
              auth: false,
              headers: role === 'anonymous' ? {} : { authorization: basic(role) },
            },
          )
        : await send(`${gateway.url}${path}`, {
            method: 'POST',
            auth: false,
            headers: {
              'content-type': 'application/json',
              ...(role !== 'anonymous' && { authorization: basic(role) }),
            },
            body: JSON.stringify({ max_results: pageSize, ...(token && { page_token: token }) }),
          })
    expect(res.status, res.body).toBe(200)
    const body = JSON.parse(res.body) as { experiments?: Exp[]; next_page_token?: string }
    const page = body.experiments ?? []
    expect(page.length).toBeLessThanOrEqual(pageSize)
    names.push(...page.map((e) => e.name))
    token = body.next_page_token
    if (!token) return names
  }
  throw new Error('more than 100 pages')
}

describe('filtered experiment search', () => {
  it.each([
    ['anonymous', 1, 'GET'],
    ['anonymous', 3, 'POST'],
    ['anonymous', 1000, 'GET'],
    ['reader', 2, 'GET'],
    ['reader', 5, 'POST'],
    ['guest', 4, 'GET'],
  ] as const)(
    '%s, %i per page (%s): exactly the readable experiments, each once',
    async (role, size, how) => {
      const expected = (await allExperiments())
        .filter(ROLES[role])
        .map((e) => e.name)
        .sort()
      const names = await pageThrough(role, size, how)
      expect([...names].sort()).toEqual(expected)
      expect(new Set(names).size).toBe(names.length)
    },
  )

  it('fills every page but the last when there is enough to read', async () => {
    const res = await send(`${gateway.url}/ajax-api/2.0/mlflow/experiments/search?max_results=4`, {
      auth: false,
    })
    const body = JSON.parse(res.body) as { experiments: Exp[]; next_page_token?: string }
    expect(body.experiments.map((e) => e.name).every((n) => n.startsWith('public-'))).toBe(true)
    expect(body.experiments).toHaveLength(4)
    expect(body.next_page_token).toMatch(/^gate1\./)
  })

  it("passes MLflow's own search terms through (filter string)", async () => {
    const res = await send(
      `${gateway.url}/api/2.0/mlflow/experiments/search?filter=${encodeURIComponent("name LIKE '%-1%'")}`,
      { auth: false },
    )
    const names = (JSON.parse(res.body) as { experiments: Exp[] }).experiments
      .map((e) => e.name)
      .sort()
    expect(names).toEqual(['public-1', 'public-10', 'public-11'])
  })

  it("refuses a page token it did not issue, and passes MLflow's refusal of a bad filter", async () => {
    const forged = await send(`${gateway.url}/api/2.0/mlflow/experiments/search?page_token=abc`, {
      auth: false,
    })
    expect(forged.status).toBe(400)
    const badFilter = await send(
      `${gateway.url}/api/2.0/mlflow/experiments/search?filter=nonsense`,
      { auth: false },
    )
    expect(badFilter.status).toBe(400)
    expect(JSON.parse(badFilter.body).error_code).toBe('INVALID_PARAMETER_VALUE')
  })

  it('forwards an admin search unfiltered', async () => {
    const res = await send(`${gateway.url}/api/2.0/mlflow/experiments/search?max_results=1000`, {
      auth: false,
      headers: { authorization: basic('admin') },
    })
    expect((JSON.parse(res.body) as { experiments: Exp[] }).experiments).toHaveLength(
      (await allExperiments()).length,
    )
  })
})

describe('filtered registered-model and model-version search', () => {
  /** Pages through a GET search as anonymous and returns every item's name. */
  async function names(path: string, field: string, size: number): Promise<string[]> {
    const out: string[] = []
    let token: string | undefined
    for (let i = 0; i < 100; i++) {
      const res = await send(
        `${gateway.url}${path}?max_results=${size}${token ? `&page_token=${token}` : ''}`,
        {
          auth: false,
        },
      )
      expect(res.status, res.body).toBe(200)
      const body = JSON.parse(res.body) as Record<string, unknown>
      const page = (body[field] ?? []) as { name: string }[]
      expect(page.length).toBeLessThanOrEqual(size)
      out.push(...page.map((m) => m.name))
      token = body.next_page_token as string | undefined
      if (!token) return out.sort()
    }
    throw new Error('more than 100 pages')
  }

  const PUBLIC = [0, 1, 2, 3, 4, 5].map((i) => `public-m-${i}`)

  it.each([1, 4, 100])(
    'anonymous sees only public registered models, %i per page',
    async (size) => {
      expect(
        await names('/api/2.0/mlflow/registered-models/search', 'registered_models', size),
      ).toEqual(PUBLIC)
    },
  )

  it.each([2, 1000])('anonymous sees only versions of public models, %i per page', async (size) => {
    expect(
      await names('/ajax-api/2.0/mlflow/model-versions/search', 'model_versions', size),
    ).toEqual(PUBLIC)
  })
})
