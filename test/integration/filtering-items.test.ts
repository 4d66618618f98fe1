/**
 * Lists the gateway trims item by item (experiments, registered models, prompts, model versions,
 * scorers, gateway endpoints), for five callers, paged in small pages, against the real MLflow.
 * The oracle reads every item from MLflow directly and applies the grants' intent written out
 * below, not the gateway's code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { callMlflow, useMlflow } from '../harness/mlflow.js'
import { expectExactly, pageThrough, search, type Caller, type Item } from '../harness/paging.js'
import { USERS } from '../harness/users.js'

const mlflow = useMlflow()
let gateway: TestGateway
const direct = <T>(path: string, body?: object) => callMlflow<T>(mlflow(), path, body)

const CALLERS = ['anonymous', 'reader', 'guest', 'editor', 'admin'] as const
const PROMPT_FILTER = "tags.`mlflow.prompt.is_prompt` = 'true'"
/** The private experiments the reader is granted by id (filled in once they exist). */
const readerExperiments: string[] = []
const expById = new Map<string, string>()

/** What each caller may read, as the grants below intend it. */
const MAY_READ: Record<
  Caller,
  { experiment(name: string, id: string): boolean; model(name: string): boolean }
> = {
  anonymous: { experiment: (n) => n.startsWith('pub-'), model: (n) => n.startsWith('pub-') },
  reader: {
    experiment: (n, id) => n.startsWith('pub-') || readerExperiments.includes(id),
    model: (n) => n.startsWith('pub-') || n === 'priv-m-1' || n === 'priv-p-2',
  },
  guest: { experiment: () => true, model: () => true },
  // READ on everything but a deny on one public experiment, model and prompt.
  editor: {
    experiment: (n) => n !== 'pub-e-1',
    model: (n) => n !== 'pub-m-1' && n !== 'pub-p-1',
  },
  admin: { experiment: () => true, model: () => true },
  creator: { experiment: () => false, model: () => false },
}

beforeAll(async () => {
  // Readable and unreadable created interleaved, so every MLflow page mixes both.
  for (let i = 0; i < 8; i++) {
    for (const vis of ['pub', 'priv']) {
      const { experiment_id } = await direct<{ experiment_id: string }>(
        '/api/2.0/mlflow/experiments/create',
        { name: `${vis}-e-${i}` },
      )
      expById.set(experiment_id, `${vis}-e-${i}`)
      if (vis === 'priv' && (i === 1 || i === 4)) readerExperiments.push(experiment_id)
      if (i < 3 || i === 4) {
        await direct('/api/3.0/mlflow/scorers/register', {
          experiment_id,
          name: `scorer-${vis}-${i}`,
          serialized_scorer: JSON.stringify({ name: `scorer-${vis}-${i}` }),
        })
      }
    }
  }
  const run = await direct<{ run: { info: { run_id: string } } }>('/api/2.0/mlflow/runs/create', {
    experiment_id: '0',
  })
  const runId = run.run.info.run_id
  for (let i = 0; i < 6; i++) {
    for (const vis of ['pub', 'priv']) {
      const name = `${vis}-m-${i}`
      await direct('/api/2.0/mlflow/registered-models/create', { name })
      for (let v = 0; v < 2; v++) {
        const source = `runs:/${runId}/model-${v}`
        await direct('/api/2.0/mlflow/model-versions/create', { name, source, run_id: runId })
      }
    }
  }
  const promptTag = { key: 'mlflow.prompt.is_prompt', value: 'true' }
  for (let i = 0; i < 4; i++) {
    for (const vis of ['pub', 'priv']) {
      const name = `${vis}-p-${i}`
      await direct('/api/2.0/mlflow/registered-models/create', { name, tags: [promptTag] })
      await direct('/api/2.0/mlflow/model-versions/create', {
        name,
        source: 'dummy-source', // the UI's placeholder (mlflow/prompt/constants.py)
        tags: [promptTag, { key: 'mlflow.prompt.text', value: `Hello {{x}} ${i}` }],
      })
    }
  }
  await seedGatewayEndpoints()
  const user = (name: keyof typeof USERS, admin = false) => ({
    name,
    password_hash: USERS[name].hash,
    admin,
  })
  gateway = await startTestGateway(mlflow().url, {
    access: {
      anonymous: true,
      users: [user('admin', true), user('reader'), user('guest'), user('editor')],
      grants: [
        {
          to: 'anonymous',
          experiments: ['pub-*'],
          registered_models: ['pub-*'],
          permission: 'READ',
        },
        {
          to: 'user:reader',
          experiment_ids: readerExperiments,
          registered_models: ['priv-m-1', 'priv-p-2'],
          permission: 'READ',
        },
        { to: 'user:guest', experiments: ['*'], registered_models: ['*'], permission: 'READ' },
        { to: 'user:editor', experiments: ['*'], registered_models: ['*'], permission: 'READ' },
        {
          to: 'user:editor',
          experiments: ['pub-e-1'],
          registered_models: ['pub-m-1', 'pub-p-1'],
          permission: 'READ',
          deny: true,
        },
      ],
    },
  })
})
afterAll(async () => {
  await gateway?.close()
})

/** Two AI-gateway endpoints (secret, model definition, endpoint), so their lists are not empty. */
async function seedGatewayEndpoints(): Promise<void> {
  const { secret } = await direct<{ secret: { secret_id: string } }>(
    '/api/3.0/mlflow/gateway/secrets/create',
    { secret_name: 'filtering-key', secret_value: { api_key: 'sk-test' }, provider: 'openai' },
  )
  const { model_definition: md } = await direct<{
    model_definition: { model_definition_id: string }
  }>('/api/3.0/mlflow/gateway/model-definitions/create', {
    name: 'filtering-def',
    secret_id: secret.secret_id,
    provider: 'openai',
    model_name: 'gpt-4o',
  })
  for (const name of ['endpoint-a', 'endpoint-b']) {
    await direct('/api/3.0/mlflow/gateway/endpoints/create', {
      name,
      model_configs: [{ model_definition_id: md.model_definition_id, linkage_type: 'PRIMARY' }],
    })
  }
}

/** Pages through MLflow itself (no gateway) for the oracle. */
async function everything(path: string, field: string, terms: Record<string, string> = {}) {
  const out: Item[] = []
  let token = ''
  do {
    const q = new URLSearchParams({
      ...terms,
      max_results: '1000',
      ...(token && { page_token: token }),
    })
    const res = await direct<Record<string, unknown>>(`${path}?${q}`)
    out.push(...((res[field] ?? []) as Item[]))
    token = (res.next_page_token as string | undefined) ?? ''
  } while (token)
  return out
}

const nameOf = (i: Item) => i.name as string
const versionOf = (i: Item) => `${i.name as string}/${i.version as string}`

describe('experiment search', () => {
  it.each([
    ...CALLERS.map((c) => [c, 'GET', '/api', 3] as const),
    ...(['anonymous', 'reader', 'admin'] as const).map((c) => [c, 'POST', '/ajax-api', 2] as const),
  ])(
    '%s (%s %s, %i a page): exactly the experiments they may read',
    async (caller, method, prefix, size) => {
      const all = await everything('/api/2.0/mlflow/experiments/search', 'experiments')
      const want = all
        .filter((e) => MAY_READ[caller].experiment(nameOf(e), e.experiment_id as string))
        .map(nameOf)
      // More than one page to read, and (but for guest and admin) something to leave out.
      expect(want.length).toBeGreaterThan(size)
      if (caller !== 'guest' && caller !== 'admin') expect(want.length).toBeLessThan(all.length)
      const { items } = await pageThrough(
        gateway.url,
        caller,
        method,
        `${prefix}/2.0/mlflow/experiments/search`,
        'experiments',
        size,
      )
      expectExactly(items.map(nameOf), want, `${caller} experiments`)
    },
  )
})

describe('registered-model, prompt and model-version search', () => {
  it.each(CALLERS.flatMap((c) => [[c, '/api', 2] as const, [c, '/ajax-api', 5] as const]))(
    '%s (%s, %i a page): exactly the registered models they may read',
    async (caller, prefix, size) => {
      const want = (
        await everything('/api/2.0/mlflow/registered-models/search', 'registered_models')
      )
        .map(nameOf)
        .filter((n) => MAY_READ[caller].model(n))
      expect(want.length).toBeGreaterThan(size)
      const { items } = await pageThrough(
        gateway.url,
        caller,
        'GET',
        `${prefix}/2.0/mlflow/registered-models/search`,
        'registered_models',
        size,
      )
      expectExactly(items.map(nameOf), want, `${caller} registered models`)
      expect(want.some((n) => n.includes('-p-'))).toBe(false)
    },
  )

  it.each(CALLERS.map((c) => [c] as const))(
    '%s: exactly the prompts they may read',
    async (caller) => {
      const terms = { filter: PROMPT_FILTER }
      const want = (
        await everything('/api/2.0/mlflow/registered-models/search', 'registered_models', terms)
      )
        .map(nameOf)
        .filter((n) => MAY_READ[caller].model(n))
      expect(want.every((n) => n.includes('-p-'))).toBe(true)
      expect(want.length).toBeGreaterThan(2)
      const { items } = await pageThrough(
        gateway.url,
        caller,
        'GET',
        '/ajax-api/2.0/mlflow/registered-models/search',
        'registered_models',
        2,
        terms,
      )
      expectExactly(items.map(nameOf), want, `${caller} prompts`)
    },
  )

  it.each(CALLERS.flatMap((c) => [[c, ''] as const, [c, PROMPT_FILTER] as const]))(
    '%s: exactly the model versions they may read (filter: %s)',
    async (caller, filter) => {
      const terms: Record<string, string> = filter ? { filter } : {}
      const want = (
        await everything('/api/2.0/mlflow/model-versions/search', 'model_versions', terms)
      )
        .filter((v) => MAY_READ[caller].model(nameOf(v)))
        .map(versionOf)
      expect(want.length).toBeGreaterThan(3)
      const { items } = await pageThrough(
        gateway.url,
        caller,
        'GET',
        `${filter ? '/ajax-api' : '/api'}/2.0/mlflow/model-versions/search`,
        'model_versions',
        3,
        terms,
      )
      expectExactly(items.map(versionOf), want, `${caller} model versions`)
    },
  )
})

describe('scorer lists', () => {
  const key = (s: Item) => `${String(s.experiment_id)}/${s.scorer_name as string}`
  const readable = (caller: Caller) => (s: Item) => {
    const id = String(s.experiment_id)
    return MAY_READ[caller].experiment(expById.get(id) ?? '', id)
  }
  const list = async (caller: Caller, prefix: string, terms: Record<string, unknown>) => {
    const res = await search(gateway.url, caller, 'GET', `${prefix}/3.0/mlflow/scorers/list`, terms)
    return {
      status: res.status,
      scorers: ((JSON.parse(res.body).scorers ?? []) as Item[]).map(key),
    }
  }

  it.each(CALLERS.flatMap((c) => [[c, '/api'] as const, [c, '/ajax-api'] as const]))(
    '%s (%s), no experiment named: the scorers of experiments they may read',
    async (caller, prefix) => {
      const all = (await direct<{ scorers: Item[] }>('/api/3.0/mlflow/scorers/list')).scorers
      expect(all.length).toBe(8)
      const got = await list(caller, prefix, {})
      expect(got.status).toBe(200)
      expectExactly(got.scorers, all.filter(readable(caller)).map(key), `${caller} scorers`)
    },
  )

  it('naming only readable experiments lists theirs; naming one unreadable is denied', async () => {
    const [pub0] = [...expById].find(([, n]) => n === 'pub-e-0')!
    const [priv0] = [...expById].find(([, n]) => n === 'priv-e-0')!
    const [priv1] = [...expById].find(([, n]) => n === 'priv-e-1')!
    const named = await list('reader', '/api', { experiment_ids: [pub0, priv1] })
    expect(named.status).toBe(200)
    expectExactly(named.scorers, [`${pub0}/scorer-pub-0`, `${priv1}/scorer-priv-1`], 'named')
    expect((await list('reader', '/api', { experiment_ids: [pub0, priv0] })).status).toBe(403)
    expect((await list('anonymous', '/api', { experiment_id: priv0 })).status).toBe(403)
    expect((await list('guest', '/api', { experiment_id: priv0 })).scorers).toEqual([
      `${priv0}/scorer-priv-0`,
    ])
    // MLflow reads a GET's query by proto field name only: `experimentIds` names nothing, so the
    // list is every experiment's, trimmed.
    const camel = await list('anonymous', '/api', { experimentIds: priv0 })
    expect(camel.status).toBe(200)
    expect(camel.scorers.length).toBeGreaterThan(0)
    expect(camel.scorers.some((s) => s.includes('priv'))).toBe(false)
  })
})

describe('AI gateway endpoint lists', () => {
  const ROUTES = [
    ['/api/3.0/mlflow/gateway/endpoints/list', 'endpoints', (e: Item) => e.name],
    ['/ajax-api/3.0/mlflow/gateway/endpoints/list', 'endpoints', (e: Item) => e.name],
    ['/gateway/mlflow/v1/models', 'data', (e: Item) => e.id],
  ] as const

  it.each(
    CALLERS.flatMap((c) => ROUTES.map(([path, field, key]) => [c, path, field, key] as const)),
  )(
    '%s %s: admins see every endpoint, others none (grants cannot name endpoints)',
    async (caller, path, field, key) => {
      const all = ((await direct<Record<string, Item[]>>(path))[field] ?? []).map(key)
      expect(all.sort()).toEqual(['endpoint-a', 'endpoint-b'])
      const res = await search(gateway.url, caller, 'GET', path)
      expect(res.status, res.body).toBe(200)
      const body = JSON.parse(res.body) as Record<string, Item[]>
      expect((body[field] ?? []).map(key).sort()).toEqual(caller === 'admin' ? all : [])
      if (field === 'data') expect(body.object).toBe('list')
    },
  )

  it('the prompt lab’s deployments proxy answers every caller in MLflow’s shape', async () => {
    for (const caller of CALLERS) {
      const res = await search(gateway.url, caller, 'GET', '/ajax-api/2.0/mlflow/gateway-proxy', {
        gateway_path: 'api/2.0/endpoints',
      })
      expect(res.status, res.body).toBe(200)
      expect(JSON.parse(res.body)).toEqual({ endpoints: [] })
    }
  })
})
