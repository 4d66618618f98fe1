/**
 * Searches scoped by the experiments they name (runs, traces v2 and v3, logged models, datasets,
 * scorer versions, optimization jobs, issues, label schemas, review queues), for five callers,
 * against the real MLflow: naming only readable experiments pages through exactly their items
 * (the oracle reads every item from MLflow directly); naming one unreadable experiment is denied;
 * naming none, or naming it in a way MLflow would not read, is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { send } from '../harness/http.js'
import { callMlflow, useMlflow } from '../harness/mlflow.js'
import {
  authAs,
  expectExactly,
  pageThrough,
  search,
  type Caller,
  type Item,
} from '../harness/paging.js'
import { USERS } from '../harness/users.js'

const mlflow = useMlflow()
let gateway: TestGateway
const direct = <T>(path: string, body?: object) => callMlflow<T>(mlflow(), path, body)

const CALLERS = ['anonymous', 'reader', 'guest', 'editor', 'admin'] as const
/** Experiment name by id, and the datasets linked to each experiment. */
const experiments = new Map<string, string>()
const datasetsOf = new Map<string, string[]>()
let readerExperiment = ''

const MAY_READ: Record<Caller, (name: string, id: string) => boolean> = {
  anonymous: (n) => n.startsWith('pub-'),
  reader: (n, id) => n.startsWith('pub-') || id === readerExperiment,
  guest: () => true,
  editor: (n) => n !== 'pub-1',
  admin: () => true,
  creator: () => false,
}
const ids = (caller: Caller, readable: boolean) =>
  [...experiments].filter(([id, n]) => MAY_READ[caller](n, id) === readable).map(([id]) => id)

const trace = (experiment_id: string, n: number) => ({
  trace: {
    trace_info: {
      trace_id: `tr-${experiment_id}-${n}-${Math.random().toString(16).slice(2)}`,
      trace_location: { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id } },
      request_time: '2024-01-01T00:00:00Z',
      state: 'OK',
    },
  },
})

beforeAll(async () => {
  for (let i = 0; i < 3; i++) {
    for (const vis of ['pub', 'priv']) {
      const name = `${vis}-${i}`
      const { experiment_id: id } = await direct<{ experiment_id: string }>(
        '/api/2.0/mlflow/experiments/create',
        { name },
      )
      experiments.set(id, name)
      if (name === 'priv-1') readerExperiment = id
      for (let r = 0; r < 4; r++) await direct('/api/2.0/mlflow/runs/create', { experiment_id: id })
      for (let t = 0; t < 3; t++) await direct('/api/3.0/mlflow/traces', trace(id, t))
      for (let m = 0; m < 2; m++)
        await direct('/api/2.0/mlflow/logged-models', { experiment_id: id, name: `lm-${m}` })
      const { dataset } = await direct<{ dataset: { dataset_id: string } }>(
        '/api/3.0/mlflow/datasets/create',
        { name: `ds-${name}`, experiment_ids: [id] },
      )
      datasetsOf.set(id, [dataset.dataset_id])
      for (let v = 0; v < 2; v++) {
        await direct('/api/3.0/mlflow/scorers/register', {
          experiment_id: id,
          name: 'judge',
          serialized_scorer: JSON.stringify({ name: 'judge', v }),
        })
      }
    }
  }
  // One dataset linked to a public and a private experiment: a search naming either finds it.
  const [pub0, priv0] = ['pub-0', 'priv-0'].map(
    (n) => [...experiments].find(([, x]) => x === n)![0],
  )
  const { dataset } = await direct<{ dataset: { dataset_id: string } }>(
    '/api/3.0/mlflow/datasets/create',
    { name: 'ds-shared', experiment_ids: [pub0, priv0] },
  )
  for (const id of [pub0!, priv0!]) datasetsOf.get(id)!.push(dataset.dataset_id)
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
        { to: 'anonymous', experiments: ['pub-*'], permission: 'READ' },
        { to: 'user:reader', experiment_ids: [readerExperiment], permission: 'READ' },
        { to: 'user:guest', experiments: ['*'], permission: 'READ' },
        { to: 'user:editor', experiments: ['*'], permission: 'READ' },
        { to: 'user:editor', experiments: ['pub-1'], permission: 'READ', deny: true },
      ],
    },
  })
})
afterAll(async () => {
  await gateway?.close()
})

type Paged = {
  readonly method: 'GET' | 'POST'
  readonly path: string
  readonly listField: string
  readonly pageSize: number
  readonly terms: (ids: string[]) => Record<string, unknown>
  readonly key: (item: Item) => string
  /** Every item the oracle knows of, with the experiments it belongs to, read from MLflow. */
  readonly all: () => Promise<{ key: string; experiments: string[] }[]>
}

const allIds = () => [...experiments.keys()]
const locations = (list: string[]) => ({
  locations: list.map((experiment_id) => ({
    type: 'MLFLOW_EXPERIMENT',
    mlflow_experiment: { experiment_id },
  })),
})
/** Pages through MLflow itself, for the oracle. */
async function directAll(p: Paged): Promise<Item[]> {
  const out: Item[] = []
  let token: string | undefined
  do {
    const terms = { ...p.terms(allIds()), max_results: 100, ...(token && { page_token: token }) }
    const res =
      p.method === 'POST'
        ? await direct<Record<string, unknown>>(p.path, terms)
        : await direct<Record<string, unknown>>(`${p.path}?${query(terms)}`)
    out.push(...((res[p.listField] ?? []) as Item[]))
    token = (res.next_page_token as string | undefined) || undefined
  } while (token)
  return out
}
function query(terms: Record<string, unknown>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(terms))
    for (const x of Array.isArray(v) ? v : [v]) q.append(k, String(x))
  return q.toString()
}

const RUNS: Paged = {
  method: 'POST',
  path: '/api/2.0/mlflow/runs/search',
  listField: 'runs',
  pageSize: 5,
  terms: (experiment_ids) => ({ experiment_ids }),
  key: (r) => (r.info as Item).run_id as string,
  all: async () =>
    (await directAll(RUNS)).map((r) => ({
      key: RUNS.key(r),
      experiments: [(r.info as Item).experiment_id as string],
    })),
}
const TRACES_V3: Paged = {
  method: 'POST',
  path: '/api/3.0/mlflow/traces/search',
  listField: 'traces',
  pageSize: 4,
  terms: locations,
  key: (t) => t.trace_id as string,
  all: async () =>
    (await directAll(TRACES_V3)).map((t) => ({
      key: TRACES_V3.key(t),
      experiments: [((t.trace_location as Item).mlflow_experiment as Item).experiment_id as string],
    })),
}
const TRACES_V2: Paged = {
  method: 'GET',
  path: '/api/2.0/mlflow/traces',
  listField: 'traces',
  pageSize: 4,
  terms: (experiment_ids) => ({ experiment_ids }),
  key: (t) => t.request_id as string,
  all: async () =>
    (await directAll(TRACES_V2)).map((t) => ({
      key: TRACES_V2.key(t),
      experiments: [t.experiment_id as string],
    })),
}
const LOGGED_MODELS: Paged = {
  method: 'POST',
  path: '/api/2.0/mlflow/logged-models/search',
  listField: 'models',
  pageSize: 4,
  terms: (experiment_ids) => ({ experiment_ids }),
  key: (m) => (m.info as Item).model_id as string,
  all: async () =>
    (await directAll(LOGGED_MODELS)).map((m) => ({
      key: LOGGED_MODELS.key(m),
      experiments: [(m.info as Item).experiment_id as string],
    })),
}
// A dataset's search result does not say which experiments it is linked to: the oracle knows
// from creating them.
const datasets = (method: 'GET' | 'POST'): Paged => ({
  method,
  path: '/api/3.0/mlflow/datasets/search',
  listField: 'datasets',
  pageSize: 2,
  terms: (experiment_ids) => ({ experiment_ids }),
  key: (d) => d.dataset_id as string,
  all: async () => {
    const linked = new Map<string, string[]>()
    for (const [e, list] of datasetsOf)
      for (const d of list) linked.set(d, [...(linked.get(d) ?? []), e])
    return [...linked].map(([key, experiments]) => ({ key, experiments }))
  },
})

const PAGED: Record<string, Paged> = {
  'runs search': RUNS,
  'traces search (v3)': TRACES_V3,
  'traces search (v2)': TRACES_V2,
  'logged-model search': LOGGED_MODELS,
  'dataset search (GET)': datasets('GET'),
  'dataset search (POST)': datasets('POST'),
}

describe('searches naming their experiments, paged', () => {
  const cases = Object.entries(PAGED).flatMap(([what, p]) =>
    CALLERS.map((caller) => [what, caller, p] as const),
  )

  it.each(cases)(
    '%s as %s: naming what they may read pages through exactly its items',
    async (_what, caller, p) => {
      const named = ids(caller, true)
      const want = (await p.all())
        .filter((i) => i.experiments.some((e) => named.includes(e)))
        .map((i) => i.key)
      expect(want.length).toBeGreaterThan(p.pageSize)
      for (const prefix of ['/api', '/ajax-api']) {
        const path = p.path.replace(/^\/api/, prefix)
        const { items } = await pageThrough(
          gateway.url,
          caller,
          p.method,
          path,
          p.listField,
          p.pageSize,
          p.terms(named),
        )
        expectExactly(items.map(p.key), want, `${caller} ${prefix}`)
      }
    },
  )

  it.each(cases.filter(([, caller]) => ids(caller, false).length > 0))(
    '%s as %s: naming one experiment they may not read is denied, MLflow never asked',
    async (_what, caller, p) => {
      for (const unreadable of ids(caller, false)) {
        const res = await search(
          gateway.url,
          caller,
          p.method,
          p.path,
          p.terms([...ids(caller, true), unreadable]),
        )
        expect(res.status, res.body).toBe(403)
        expect(JSON.parse(res.body).error_code).toBe('PERMISSION_DENIED')
        const line = gateway.audit.find((e) => e.request_id === res.headers['x-request-id'])
        expect(line?.upstream_status).toBeNull()
      }
    },
  )

  it.each(Object.entries(PAGED))(
    '%s naming no experiment is refused, for admins too',
    async (_w, p) => {
      for (const caller of CALLERS) {
        const res = await search(gateway.url, caller, p.method, p.path, p.terms([]))
        expect(res.status, `${caller}: ${res.body}`).toBe(400)
      }
    },
  )
})

describe('searches naming one experiment', () => {
  const SINGLE = [
    ['GET', '/api/3.0/mlflow/scorers/versions', { name: 'judge' }, 'scorers'],
    ['GET', '/api/3.0/mlflow/prompt-optimization/jobs/search', {}, 'jobs'],
    ['POST', '/ajax-api/3.0/mlflow/prompt-optimization/jobs/search', {}, 'jobs'],
    ['POST', '/api/3.0/mlflow/issues/search', {}, 'issues'],
    ['GET', '/api/3.0/mlflow/label-schemas/list', {}, 'label_schemas'],
    ['GET', '/ajax-api/3.0/mlflow/review-queues/list', {}, 'review_queues'],
  ] as const

  it.each(SINGLE.flatMap((s) => CALLERS.map((c) => [s[1], s[0], c, s[2], s[3]] as const)))(
    '%s (%s) as %s: MLflow’s answer for a readable experiment, 403 for any other',
    async (path, method, caller, extra, field) => {
      for (const [id, name] of experiments) {
        const terms = { experiment_id: id, ...extra }
        const res = await search(gateway.url, caller, method, path, terms)
        if (!MAY_READ[caller](name, id)) {
          expect(res.status, res.body).toBe(403)
          continue
        }
        const want =
          method === 'GET'
            ? await direct<Record<string, unknown>>(`${path}?${query(terms)}`)
            : await direct<Record<string, unknown>>(path, terms)
        expect(res.status, res.body).toBe(200)
        expect(JSON.parse(res.body)[field]).toEqual(want[field])
        if (path.endsWith('/scorers/versions')) expect(want[field]).toHaveLength(2)
      }
      const none = await search(gateway.url, caller, method, path, extra)
      expect(none.status, none.body).toBe(400)
    },
  )

  it('the UI’s run-dataset search: readable experiments answered, an unreadable one denied', async () => {
    const path = '/ajax-api/2.0/mlflow/experiments/search-datasets'
    const res = await search(gateway.url, 'anonymous', 'POST', path, {
      experiment_ids: ids('anonymous', true),
    })
    expect(res.status, res.body).toBe(200)
    const denied = await search(gateway.url, 'anonymous', 'POST', path, {
      experiment_ids: [ids('anonymous', true)[0], ids('anonymous', false)[0]],
    })
    expect(denied.status).toBe(403)
  })
})

describe('forms MLflow would read as naming nothing', () => {
  const priv = () => ids('anonymous', false)
  const pub = () => ids('anonymous', true)

  it('a lowerCamelCase query parameter names nothing (MLflow ignores it on GET)', async () => {
    // Checked against MLflow itself: `experimentIds` is ignored and every dataset is returned.
    const leaky = `/api/3.0/mlflow/datasets/search?experimentIds=${pub()[0]}`
    const all = await direct<{ datasets: Item[] }>(leaky)
    expect(all.datasets.length).toBe(7)
    for (const path of [leaky, `/api/2.0/mlflow/traces?experimentIds=${pub()[0]}`]) {
      const res = await send(`${gateway.url}${path}`, { auth: false })
      expect(res.status, res.body).toBe(400)
      expect(res.body).toMatch(/must name its experiment/)
    }
  })

  it('a v2 trace search with an empty list in a GET body (MLflow searches everything) is refused', async () => {
    const res = await send(`${gateway.url}/api/2.0/mlflow/traces`, {
      auth: false,
      headers: { 'content-type': 'application/json', ...authAs('admin') },
      body: JSON.stringify({ experiment_ids: [] }),
    })
    expect(res.status).toBe(400)
  })

  it('a v3 trace search naming only other kinds of location is refused', async () => {
    const res = await search(gateway.url, 'guest', 'POST', '/api/3.0/mlflow/traces/search', {
      locations: [{ type: 'INFERENCE_TABLE', inference_table: { full_table_name: 'a.b.c' } }],
    })
    expect(res.status, res.body).toBe(400)
    const mixed = await search(gateway.url, 'anonymous', 'POST', '/api/3.0/mlflow/traces/search', {
      locations: [
        ...locations(pub()).locations,
        { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: priv()[0] } },
      ],
    })
    expect(mixed.status).toBe(403)
  })
})
