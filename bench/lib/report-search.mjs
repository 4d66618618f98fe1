/** The filtered-search suite's part of the markdown report: one table per page size. */
import { fixed, OTHERS, table } from './markdown.mjs'

const LABELS = {
  gateway: 'gateway, READ granted by ids (MLflow asked for just those)',
  gatewayByPattern: 'gateway, READ granted by one name pattern (looked up, then asked for)',
  gatewayByNames: 'gateway, READ granted by 100 names (read page by page, filtered)',
  basicAuth: 'MLflow basic-auth, as shipped',
  basicAuthCached: 'MLflow basic-auth, credential cache on',
  direct: 'MLflow direct, unfiltered',
  directIdFilter: 'MLflow direct, `experiment_id IN (…)` filter',
}

const range = ({ min, max }) => (min === max ? String(min) : `${min}–${max}`)

/** "10, 10, 9, …" for a long list: how many experiments each request of one collection returned. */
function perRequest(items) {
  return items.length > 12
    ? `${items.slice(0, 11).join(', ')}, … (${items.length})`
    : items.join(', ')
}

function row(name, s) {
  return [
    LABELS[name],
    range(s.requestsPerCollection),
    String(s.itemsPerCollection),
    fixed(s.firstPageMs),
    `${fixed(s.requestMs.p50)} / ${fixed(s.requestMs.p90)} / ${fixed(s.requestMs.max)}`,
    `**${fixed(s.collectMs.median)}** (${fixed(s.collectMs.min)}–${fixed(s.collectMs.max)})`,
    fixed(s.cpuMsPerCollection.mlflow),
    name.startsWith('gateway') ? fixed(s.cpuMsPerCollection.gateway) : '-',
    fixed(s.othersCores, 2),
    s.allCorrect ? 'yes' : `**no** (${s.incorrect} of ${s.collections})`,
  ]
}

function pageSizeTable(r, size) {
  const t = r.targets
  const s = (name) => t[name][size].summary
  const ratio = (name) => s('gateway').collectMs.median / s(name).collectMs.median
  const rounds = (name) =>
    s(name)
      .collectMs.perRound.map((x) => fixed(x))
      .join(', ')
  return [
    `#### max_results=${size}`,
    '',
    table(
      [
        'target',
        'requests per collection',
        'experiments per collection',
        'first page ms',
        'per request p50 / p90 / max ms',
        'collect all ms, median (min–max)',
        'MLflow CPU ms per collection',
        'gateway CPU ms per collection',
        OTHERS,
        'exactly the readable ones',
      ],
      Object.keys(t).map((name) => row(name, s(name))),
    ),
    '',
    `Gateway / basic-auth time to collect: **${fixed(ratio('basicAuth'), 2)}×** as shipped, ` +
      `**${fixed(ratio('basicAuthCached'), 2)}×** with its credential cache on. ` +
      `Experiments per request through the gateway: ${perRequest(s('gateway').itemsPerRequest)}. ` +
      `Per-round medians (ms): gateway ${rounds('gateway')}; by pattern ${rounds('gatewayByPattern')}; by names ${rounds('gatewayByNames')}; ` +
      `basic-auth ${rounds('basicAuth')}; ` +
      `cached ${rounds('basicAuthCached')}; direct ${rounds('direct')}; ` +
      `direct with the id filter ${rounds('directIdFilter')}.`,
  ].join('\n')
}

export function filteredSearchSection(r) {
  const c = r.conditions
  const setup = Object.entries(c.setupSeconds)
    .map(([k, v]) => `${k} ${fixed(v, 1)} s`)
    .join(', ')
  return [
    `### Filtered search: READ on ${c.readable} of ${c.experiments.toLocaleString('en')} experiments`,
    '',
    `One caller pages through \`POST /api/2.0/mlflow/experiments/search\` (page tokens followed to ` +
      `the end, one request at a time, one keep-alive connection) as a user with READ on experiments ` +
      `${c.readableIds}. ${c.rounds} rounds (target order rotating) × ${c.collectionsPerRound} ` +
      `collections per target and page size, after one warm-up collection each; latencies pooled ` +
      `over all rounds, CPU and others' CPU are medians of per-round figures. All MLflow servers: ` +
      `SQLite, one uvicorn worker, one copy of the store. Credential cache TTL for the cached ` +
      `basic-auth: ${c.authCacheTtlSeconds} s. Store ${c.store.cached ? `from the cache (built ${c.store.builtAt} in ${fixed(c.store.buildSeconds)} s)` : `built in this run (${fixed(c.store.buildSeconds)} s)`}; set-up: ${setup}.`,
    ...c.pageSizes.flatMap((size) => ['', pageSizeTable(r, size)]),
  ].join('\n')
}
