/**
 * The bounds on one filtered request, shown with a fake MLflow because the real one cannot be made
 * to send pages of a chosen size: at most 10 MLflow pages and at most
 * limits.max_search_response_bytes bytes read, a page too large refused (never passed on), and
 * the page tokens still continuing exactly where the last page stopped.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { pageThrough, search, type Item } from '../harness/paging.js'
import {
  afterBody,
  startRecordingUpstream,
  type RecordingUpstream,
} from '../harness/recording-upstream.js'
import { ADMIN_ONLY } from '../harness/users.js'

const LIMIT = 64 * 1024
const SEARCH = '/api/2.0/mlflow/experiments/search'

/** What the fake MLflow holds; each test sets it. */
const world = {
  experiments: [] as Item[],
  scorers: [] as Item[],
  /** Bytes of padding added to every experiment, to make pages of a chosen size. */
  pad: 0,
  /** Answer without Content-Length, in pieces, so only counting the bytes can stop it. */
  chunked: false,
  /** Cut the connection halfway through the answer. */
  cut: false,
}

let upstream: RecordingUpstream
let gateway: TestGateway

beforeAll(async () => {
  upstream = await startRecordingUpstream()
  upstream.behave(
    afterBody((_req, res, rec) => {
      res.on('error', () => undefined)
      const url = new URL(rec.url, 'http://mlflow')
      const text = JSON.stringify(answer(url, rec.body.toString()))
      if (text.includes('"INVALID_PARAMETER_VALUE"')) {
        res.writeHead(400, { 'content-type': 'application/json' })
        res.end(text)
        return
      }
      if (world.cut) {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.write(text.slice(0, text.length / 2))
        setTimeout(() => res.socket?.destroy(), 20)
        return
      }
      if (!world.chunked) {
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        })
        res.end(text)
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' })
      for (let i = 0; i < text.length; i += 4096) res.write(text.slice(i, i + 4096))
      res.end()
    }),
  )
  gateway = await startTestGateway(upstream.url, {
    limits: { max_search_response_bytes: LIMIT },
    access: {
      ...ADMIN_ONLY,
      anonymous: true,
      grants: [{ to: 'anonymous', experiments: ['pub-*'], permission: 'READ' }],
    },
  })
  // The first search learns that this "MLflow" refuses experiment_id; the tests count after it.
  await search(gateway.url, 'anonymous', 'POST', SEARCH, {})
})
afterAll(async () => {
  await gateway?.close()
  await upstream?.close()
})
beforeEach(() => {
  Object.assign(world, { experiments: [], scorers: [], pad: 0, chunked: false, cut: false })
})

/** MLflow's answers: offset page tokens as MLflow's SQL store hands out (base64 of the offset). */
function answer(url: URL, body: string): unknown {
  if (url.pathname === SEARCH) {
    const msg = JSON.parse(body || '{}') as {
      max_results: number
      page_token?: string
      filter?: string
    }
    // Like MLflow 2.x, whose grammar has no experiment_id: the gateway then reads page by page,
    // the path whose bounds this file is about (narrowed searches: filtering-narrow.test.ts).
    if (msg.filter?.includes('experiment_id'))
      return { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid attribute key' }
    const offset = msg.page_token ? Number(Buffer.from(msg.page_token, 'base64').toString()) : 0
    const end = offset + msg.max_results
    return {
      experiments: world.experiments
        .slice(offset, end)
        .map((e) => ({ ...e, pad: 'x'.repeat(world.pad) })),
      ...(end < world.experiments.length && {
        next_page_token: Buffer.from(String(end)).toString('base64'),
      }),
    }
  }
  if (url.pathname === '/api/3.0/mlflow/scorers/list') return { scorers: world.scorers }
  if (url.pathname === '/api/2.0/mlflow/experiments/get') {
    const id = url.searchParams.get('experiment_id')!
    return { experiment: { experiment_id: id, name: `pub-${id}` } }
  }
  return { error_code: 'ENDPOINT_NOT_FOUND' }
}

/** `n` experiments; those at the indexes `readable` picks are named pub-*, the others priv-*. */
function experiments(n: number, readable: (i: number) => boolean): string[] {
  world.experiments = Array.from({ length: n }, (_, i) => ({
    experiment_id: String(i),
    name: `${readable(i) ? 'pub' : 'priv'}-${i}`,
  }))
  return world.experiments.map((e) => e.name as string).filter((n) => n.startsWith('pub-'))
}

/** How many requests reached the fake MLflow while `fn` ran. */
async function counted<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const before = upstream.requests.length
  const result = await fn()
  return [result, upstream.requests.length - before]
}

describe('work per request', () => {
  it('reads at most 10 MLflow pages, then answers a short page that is not the end', async () => {
    const want = experiments(200, (i) => i === 199)
    const [first, asked] = await counted(() =>
      search(gateway.url, 'anonymous', 'POST', SEARCH, { max_results: 5 }),
    )
    expect(asked).toBe(10)
    const body = JSON.parse(first.body) as { experiments?: Item[]; next_page_token?: string }
    expect(body.experiments ?? []).toEqual([])
    expect(body.next_page_token).toMatch(/^gate1\./)
    const [{ items, pages }, total] = await counted(() =>
      pageThrough(gateway.url, 'anonymous', 'POST', SEARCH, 'experiments', 5),
    )
    expect(items.map((e) => e.name)).toEqual(want)
    expect(pages).toBe(4)
    expect(total).toBe(40)
  })

  it.each([false, true])(
    'stops before the byte budget is spent and continues there (chunked: %s)',
    async (chunked) => {
      Object.assign(world, { pad: 4000, chunked })
      const want = experiments(120, (i) => i % 7 === 3)
      // Pages of 5 padded experiments are ~20 KB: three fit in 64 KiB, the fourth does not.
      const [first, asked] = await counted(() =>
        search(gateway.url, 'anonymous', 'POST', SEARCH, { max_results: 5 }),
      )
      expect(asked).toBe(4)
      const body = JSON.parse(first.body) as { experiments: Item[]; next_page_token?: string }
      expect(body.experiments.map((e) => e.name)).toEqual(want.slice(0, 2))
      expect(body.next_page_token).toMatch(/^gate1\./)
      const { items } = await pageThrough(
        gateway.url,
        'anonymous',
        'POST',
        SEARCH,
        'experiments',
        5,
      )
      expect(items.map((e) => e.name)).toEqual(want)
    },
  )

  it.each([false, true])(
    'refuses an MLflow page larger than the limit, passing none of it on (chunked: %s)',
    async (chunked) => {
      Object.assign(world, { pad: 20_000, chunked })
      experiments(10, () => true)
      const res = await search(gateway.url, 'anonymous', 'POST', SEARCH, { max_results: 5 })
      expect(res.status).toBe(400)
      const body = JSON.parse(res.body) as Record<string, string>
      expect(body.error_code).toBe('RESOURCE_EXHAUSTED')
      expect(body.gateway_code).toBe('GW_SEARCH_TOO_LARGE')
      expect(body.message).toMatch(/limits\.max_search_response_bytes \(65536 bytes\)/)
      expect(res.body).not.toMatch(/pub-|xxxx/)
      // Smaller pages fit.
      const ok = await search(gateway.url, 'anonymous', 'POST', SEARCH, { max_results: 2 })
      expect(ok.status).toBe(200)
    },
  )

  it('refuses a scorer list larger than the limit', async () => {
    world.scorers = Array.from({ length: 40 }, (_, i) => ({
      experiment_id: 1,
      scorer_name: `s-${i}`,
      serialized_scorer: 'x'.repeat(2000),
    }))
    const res = await search(gateway.url, 'anonymous', 'GET', '/api/3.0/mlflow/scorers/list')
    expect(res.status).toBe(400)
    expect(JSON.parse(res.body).gateway_code).toBe('GW_SEARCH_TOO_LARGE')
  })

  it('looks up at most 1000 experiments for one scorer list, and none when there are more', async () => {
    world.scorers = Array.from({ length: 1001 }, (_, i) => ({ experiment_id: i, scorer_name: 's' }))
    const [res, asked] = await counted(() =>
      search(gateway.url, 'anonymous', 'GET', '/api/3.0/mlflow/scorers/list'),
    )
    expect(res.status).toBe(400)
    expect(JSON.parse(res.body).message).toMatch(/more than 1000 experiments/)
    expect(asked).toBe(1)
    world.scorers = world.scorers.slice(0, 30)
    const [ok, lookups] = await counted(() =>
      search(gateway.url, 'anonymous', 'GET', '/ajax-api/3.0/mlflow/scorers/list'),
    )
    expect(ok.status).toBe(200)
    expect(JSON.parse(ok.body).scorers).toHaveLength(30)
    expect(lookups).toBeLessThanOrEqual(31)
  })
})

describe('MLflow failing mid-answer', () => {
  it('is a 502 in MLflow’s error shape, with none of the partial answer', async () => {
    world.cut = true
    experiments(10, () => true)
    const res = await search(gateway.url, 'anonymous', 'POST', SEARCH, { max_results: 5 })
    expect(res.status).toBe(502)
    expect(JSON.parse(res.body).error_code).toBe('TEMPORARILY_UNAVAILABLE')
    expect(res.body).not.toMatch(/pub-/)
  })
})

describe('page tokens', () => {
  it('continue from a lowerCamelCase pageToken exactly as from page_token', async () => {
    experiments(30, (i) => i % 3 === 0)
    const first = JSON.parse(
      (await search(gateway.url, 'anonymous', 'POST', SEARCH, { maxResults: 4 })).body,
    ) as { experiments: Item[]; next_page_token: string }
    expect(first.experiments).toHaveLength(4)
    const snake = await search(gateway.url, 'anonymous', 'POST', SEARCH, {
      max_results: 4,
      page_token: first.next_page_token,
    })
    const camel = await search(gateway.url, 'anonymous', 'POST', SEARCH, {
      maxResults: 4,
      pageToken: first.next_page_token,
    })
    expect(camel.body).toBe(snake.body)
    expect(JSON.parse(snake.body).experiments[0].name).toBe('pub-12')
    // MLflow got one spelling of each, the gateway's.
    const sent = JSON.parse(upstream.requests.at(-1)!.body.toString()) as Record<string, unknown>
    expect(Object.keys(sent).sort()).toEqual(['max_results', 'page_token'])
  })

  it.each([
    [{ page_token: 'gate1.x', pageToken: 'gate1.x' }, /page_token is given twice/],
    [{ max_results: 3, maxResults: 3 }, /max_results is given twice/],
    [{ page_token: 'eyJvZmZzZXQiOiAxMH0=' }, /not one this gateway issued/],
    [{ max_results: 50_001 }, /from 1 to 50000/],
  ])('refuses %j', async (terms, message) => {
    experiments(3, () => true)
    const res = await search(gateway.url, 'anonymous', 'POST', SEARCH, terms)
    expect(res.status).toBe(400)
    expect(res.body).toMatch(message)
  })
})
