/** Suite "filtered-search": a user who may read 100 of 10,000 experiments searches them, through the gateway and through MLflow's own basic-auth app, side by side. */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { startMlflowServer } from '../../dist/mlflow/server-process.js'
import { hashPassword } from '../../dist/identify/password.js'
import {
  basicHeader,
  createReader,
  MLFLOW_SERVER_QUIET,
  startBasicAuthMlflow,
} from '../lib/basic-auth.mjs'
import { experimentStore } from '../lib/experiment-store.mjs'
import { progress, rotate, startGatewayChild, withCleanup } from '../lib/helpers.mjs'
import { waitForQuiet } from '../lib/load.mjs'
import { cpuSeconds, groupCpuSeconds, systemBusySeconds } from '../lib/proc-stats.mjs'
import { sameSet, searchClient, summarizeCollections } from '../lib/search-sweep.mjs'

const READER = { user: 'reader', password: 'reader-password' }

/** MLflow's credential cache TTL for the "cached" basic-auth variant: longer than any run. */
const AUTH_CACHE_TTL_SECONDS = 3600

/**
 * `readable` ids spread evenly over 1..`count` (ids are creation order), never the first ones:
 * with 100 of 10,000 that is 51, 151, ..., 9951, one in every 100 experiments.
 */
function spreadIds(count, readable) {
  const step = count / readable
  return Array.from({ length: readable }, (_, i) => String(Math.floor(i * step + step / 2) + 1))
}

/**
 * The gateway's policy: one user, READ on exactly the readable experiments, nothing for anyone
 * else, granted three ways: by id (the gateway asks MLflow for just those); by one name pattern
 * (`bench-exp-???51` matches exactly 51, 151, ..., 9951: the gateway looks the pattern up, then
 * asks for those); by their 100 names (more patterns than it looks up, so it reads every
 * experiment page by page and keeps the readable ones).
 */
function readerAccess(passwordHash, ids, by) {
  const named = {
    id: `experiment_ids: [${ids.map((id) => `"${id}"`).join(', ')}]`,
    pattern: `experiments: ["bench-exp-???51"]`,
    names: `experiments: [${ids.map((id) => `"${experimentName(id)}"`).join(', ')}]`,
  }[by]
  return [
    'access:',
    '  anonymous: false',
    `  users: [{ name: ${READER.user}, password_hash: '${passwordHash}' }]`,
    `  grants: [{ to: "user:${READER.user}", ${named}, permission: READ }]`,
  ]
}

/** The name bench/seed-experiments.py gives experiment `id`. */
const experimentName = (id) => `bench-exp-${id.padStart(5, '0')}`

/** Times a step of the set-up, for the report. */
async function timed(setup, name, fn) {
  const t0 = Date.now()
  const result = await fn()
  setup[name] = (Date.now() - t0) / 1000
  return result
}

/** Reads every watched process's CPU seconds: { pid } one process, { pgid } a group. */
const readCpu = (watch) =>
  Object.fromEntries(
    Object.entries(watch).map(([k, w]) => [
      k,
      w.pgid ? groupCpuSeconds(w.pgid) : cpuSeconds(w.pid),
    ]),
  )

/** `n` collections by one target at one page size, with the CPU each watched process spent. */
async function collectMany(target, pageSize, n) {
  const before = readCpu(target.watch)
  const busyBefore = systemBusySeconds()
  const benchBefore = process.cpuUsage()
  const t0 = performance.now()
  const collections = []
  for (let i = 0; i < n; i++) {
    const c = await target.client.collect(pageSize)
    collections.push({ ...c, correct: sameSet(c.ids, target.expected) })
  }
  const wall = (performance.now() - t0) / 1000
  const after = readCpu(target.watch)
  const cpu = Object.fromEntries(Object.keys(before).map((k) => [k, after[k] - before[k]]))
  const bench = process.cpuUsage(benchBefore)
  const ours = Object.values(cpu).reduce((a, b) => a + b, 0) + (bench.user + bench.system) / 1e6
  return {
    collections,
    cpuMsPerCollection: Object.fromEntries(Object.entries(cpu).map(([k, s]) => [k, (s * 1e3) / n])),
    othersCores: Math.max(0, (systemBusySeconds() - busyBefore - ours) / wall),
  }
}

/** A target: where to search, as whom, what must come back, whose CPU to count. */
function target(name, url, auth, expected, watch, terms) {
  return { name, expected, watch, client: searchClient(url, auth, terms) }
}

/** Awaits servers starting side by side; each that started is stopped at clean-up, even if another failed. */
async function startedTogether(defer, starting) {
  const settled = await Promise.allSettled(starting)
  for (const s of settled) if (s.status === 'fulfilled') defer(s.value.stop)
  const failed = settled.find((s) => s.status === 'rejected')
  if (failed) throw failed.reason
  return settled.map((s) => s.value)
}

/** Starts the three servers and the gateway on one copy of the store; returns the targets. */
async function startTargets(ctx, defer, setup) {
  const { opts } = ctx
  const dir = join(ctx.tmp, 'filtered-search')
  mkdirSync(dir, { recursive: true })
  const store = await timed(setup, 'store', () =>
    experimentStore({
      count: opts.searchExperiments,
      cacheDir: join(opts.out, 'cache'),
      mlflowVersion: ctx.environment.mlflow,
      destination: join(dir, 'mlflow.db'),
    }),
  )
  const backendStoreUri = `sqlite:///${store.path}`
  const readable = spreadIds(opts.searchExperiments, opts.searchReadable)
  progress('filtered-search: starting MLflow, two basic-auth MLflows and the gateway')
  const authDbPath = join(dir, 'basic_auth.db')
  // MLflow and the first auth app start side by side (both only read the store at start); the
  // second auth app waits for the first, which creates the auth database and its admin.
  const [plain, cached] = await startedTogether(defer, [
    timed(setup, 'mlflow', () =>
      startMlflowServer({
        dataDir: join(dir, 'plain'),
        backendStoreUri,
        workers: 1,
        ...MLFLOW_SERVER_QUIET,
      }),
    ),
    timed(setup, 'basicAuthCached', () =>
      startBasicAuthMlflow({
        dataDir: join(dir, 'auth-cached'),
        backendStoreUri,
        authDbPath,
        cacheTtlSeconds: AUTH_CACHE_TTL_SECONDS,
      }),
    ),
  ])
  // Through the cached instance: as admin, each call would otherwise pay three scrypt checks.
  await timed(setup, 'grants', () => createReader(cached.url, READER, readable))
  const shipped = await timed(setup, 'basicAuth', () =>
    startBasicAuthMlflow({ dataDir: join(dir, 'auth'), backendStoreUri, authDbPath }),
  )
  defer(shipped.stop)
  const passwordHash = await hashPassword(READER.password)
  const gateway = await timed(setup, 'gateway', async () =>
    startGatewayChild({
      upstreamUrl: plain.url,
      maxConnections: 4,
      auditPath: ctx.auditPath('filtered-search'),
      profileDir: ctx.profileDir('filtered-search'),
      access: readerAccess(passwordHash, readable, 'id'),
    }),
  )
  defer(gateway.stop)
  const otherGateway = (by) =>
    startGatewayChild({
      upstreamUrl: plain.url,
      maxConnections: 4,
      auditPath: ctx.auditPath(`filtered-search-by-${by}`),
      profileDir: ctx.profileDir(`filtered-search-by-${by}`),
      access: readerAccess(passwordHash, readable, by),
    })
  const byPattern = await timed(setup, 'gatewayByPattern', () => otherGateway('pattern'))
  defer(byPattern.stop)
  const byName = await timed(setup, 'gatewayByNames', () => otherGateway('names'))
  defer(byName.stop)
  const mine = new Set(readable)
  const all = new Set(Array.from({ length: opts.searchExperiments + 1 }, (_, i) => String(i)))
  const auth = basicHeader(READER)
  const gatewayAndMlflow = { gateway: { pid: gateway.pid }, mlflow: { pgid: plain.pid } }
  const targets = [
    target('gateway', gateway.url, auth, mine, gatewayAndMlflow),
    target('gatewayByPattern', byPattern.url, auth, mine, {
      gateway: { pid: byPattern.pid },
      mlflow: { pgid: plain.pid },
    }),
    target('gatewayByNames', byName.url, auth, mine, {
      gateway: { pid: byName.pid },
      mlflow: { pgid: plain.pid },
    }),
    target('basicAuth', shipped.url, auth, mine, { mlflow: { pgid: shipped.pid } }),
    target('basicAuthCached', cached.url, auth, mine, { mlflow: { pgid: cached.pid } }),
    target('direct', plain.url, undefined, all, { mlflow: { pgid: plain.pid } }),
    // What the gateway asks for a grant by ids: the clause MLflow's auth app also appends
    // (auth/__init__.py _scope_experiment_search_query), sent to MLflow without auth.
    target(
      'directIdFilter',
      plain.url,
      undefined,
      mine,
      { mlflow: { pgid: plain.pid } },
      {
        filter: `experiment_id IN (${[...readable]
          .sort()
          .map((id) => `'${id}'`)
          .join(', ')})`,
      },
    ),
  ]
  for (const t of targets) defer(t.client.close)
  return { targets, store, readable }
}

/**
 * One collection per target and page size before the rounds: warms caches (the gateway's
 * password check, MLflow's SQLite pages) and checks that both filtered answers hold exactly
 * the readable experiments, in the same order, before any number is taken.
 */
async function warmUpAndCheck(targets, pageSizes) {
  for (const size of pageSizes) {
    const seen = {}
    for (const t of targets) {
      const c = await t.client.collect(size)
      if (!sameSet(c.ids, t.expected)) {
        throw new Error(
          `filtered-search: ${t.name} with max_results=${size} returned ${c.ids.length} experiments, expected exactly ${t.expected.size}`,
        )
      }
      seen[t.name] = c.ids.join(',')
    }
    const filtered = [
      'gatewayByPattern',
      'gatewayByNames',
      'basicAuth',
      'basicAuthCached',
      'directIdFilter',
    ].map((n) => seen[n])
    if (filtered.some((ids) => ids !== seen.gateway))
      throw new Error(`filtered-search: max_results=${size}: the filtered answers differ in order`)
  }
}

export async function runFilteredSearchSuite(ctx) {
  const { opts } = ctx
  const pageSizes = opts.searchPageSizes
  return withCleanup(async (defer) => {
    const setup = {}
    const { targets, store, readable } = await startTargets(ctx, defer, setup)
    progress('filtered-search: warm-up and correctness check')
    await warmUpAndCheck(targets, pageSizes)
    const perRound = Object.fromEntries(
      targets.map((t) => [t.name, Object.fromEntries(pageSizes.map((s) => [s, []]))]),
    )
    for (let round = 0; round < opts.searchRounds; round++) {
      for (const t of rotate(targets, round)) {
        if (opts.quietWait > 0) await waitForQuiet(opts.quietWait)
        progress(`filtered-search: round ${round + 1}/${opts.searchRounds}, ${t.name}`)
        for (const size of pageSizes)
          perRound[t.name][size].push(await collectMany(t, size, opts.searchCollections))
      }
    }
    return {
      conditions: {
        experiments: opts.searchExperiments,
        readable: readable.length,
        readableIds: `${readable[0]}, ${readable[1]}, …, ${readable.at(-1)}`,
        pageSizes,
        rounds: opts.searchRounds,
        collectionsPerRound: opts.searchCollections,
        authCacheTtlSeconds: AUTH_CACHE_TTL_SECONDS,
        store: { cached: store.cached, builtAt: store.builtAt, buildSeconds: store.buildSeconds },
        setupSeconds: setup,
      },
      targets: Object.fromEntries(
        targets.map((t) => [
          t.name,
          Object.fromEntries(
            pageSizes.map((s) => [
              s,
              {
                summary: summarizeCollections(perRound[t.name][s]),
                rounds: perRound[t.name][s].map(stripIds),
              },
            ]),
          ),
        ]),
      ),
    }
  })
}

/** The JSON keeps every request's time but not 10,000 ids per collection. */
function stripIds(round) {
  return {
    ...round,
    collections: round.collections.map(({ ids, ...c }) => ({ ...c, items: ids.length })),
  }
}
