/** Pages through an experiment search to the end as one caller would, timing every request, and summarises many such collections. */
import { Pool } from 'undici'
import { median } from './helpers.mjs'

const SEARCH = '/api/2.0/mlflow/experiments/search'

/**
 * One keep-alive connection to `url`, sending `authorization` (if any) on every request, as the
 * MLflow client does. Requests go one after another: the latency of a single caller is measured.
 * `terms` go into every request's body too (a `filter`, say).
 */
export function searchClient(url, authorization, terms = {}) {
  const pool = new Pool(url, { connections: 1, pipelining: 1 })
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json',
    ...(authorization && { authorization }),
  }

  async function page(maxResults, pageToken) {
    const t0 = performance.now()
    const res = await pool.request({
      method: 'POST',
      path: SEARCH,
      headers,
      body: JSON.stringify({
        ...terms,
        max_results: maxResults,
        ...(pageToken && { page_token: pageToken }),
      }),
    })
    const text = await res.body.text()
    const ms = performance.now() - t0
    if (res.statusCode !== 200)
      throw new Error(`POST ${url}${SEARCH} answered ${res.statusCode}: ${text.slice(0, 500)}`)
    const json = JSON.parse(text)
    return { ms, experiments: json.experiments ?? [], next: json.next_page_token || undefined }
  }

  return {
    /** Follows page tokens until there are none: the ids in order, and each request's time. */
    async collect(maxResults) {
      const t0 = performance.now()
      const ids = []
      const requests = []
      let token
      do {
        const p = await page(maxResults, token)
        for (const e of p.experiments) ids.push(e.experiment_id)
        requests.push({ ms: p.ms, items: p.experiments.length })
        token = p.next
      } while (token)
      return { totalMs: performance.now() - t0, ids, requests }
    },
    close: () => pool.close(),
  }
}

/** Nearest-rank percentile (p in 0..100) of the finite values. */
export function percentile(values, p) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b)
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

/**
 * Whether a collection returned exactly `expected` (a Set of ids), each once. `ids` keeps the
 * order of the answers, so a duplicate or a missing id both show.
 */
export function sameSet(ids, expected) {
  return (
    ids.length === expected.size &&
    new Set(ids).size === ids.length &&
    ids.every((id) => expected.has(id))
  )
}

/**
 * Summary of one target at one page size over every round: collections are pooled for the
 * request latencies, per-round medians are kept to show the spread between rounds.
 */
export function summarizeCollections(rounds) {
  const collections = rounds.flatMap((r) => r.collections)
  const requests = collections.flatMap((c) => c.requests.map((q) => q.ms))
  const requestCounts = collections.map((c) => c.requests.length)
  const cpuKeys = Object.keys(rounds[0]?.cpuMsPerCollection ?? {})
  return {
    collections: collections.length,
    requestsPerCollection: { min: Math.min(...requestCounts), max: Math.max(...requestCounts) },
    itemsPerCollection: median(collections.map((c) => c.ids.length)),
    itemsPerRequest: collections[0]?.requests.map((q) => q.items) ?? [],
    firstPageMs: median(collections.map((c) => c.requests[0].ms)),
    requestMs: {
      p50: percentile(requests, 50),
      p90: percentile(requests, 90),
      max: Math.max(...requests),
    },
    collectMs: {
      median: median(collections.map((c) => c.totalMs)),
      min: Math.min(...collections.map((c) => c.totalMs)),
      max: Math.max(...collections.map((c) => c.totalMs)),
      perRound: rounds.map((r) => median(r.collections.map((c) => c.totalMs))),
    },
    cpuMsPerCollection: Object.fromEntries(
      cpuKeys.map((k) => [k, median(rounds.map((r) => r.cpuMsPerCollection[k]))]),
    ),
    othersCores: median(rounds.map((r) => r.othersCores)),
    allCorrect: collections.every((c) => c.correct),
    incorrect: collections.filter((c) => !c.correct).length,
  }
}
