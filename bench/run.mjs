/** Entry point of the bench (`npm run bench`): runs the chosen suites in one go, writes JSON under bench/results/ and prints a markdown report. */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startMlflowServer } from '../dist/mlflow/server-process.js'
import { MLFLOW_BIN } from '../dist/mlflow/venv.js'
import { progress } from './lib/helpers.mjs'
import { nginxVersion } from './lib/nginx.mjs'
import { toMarkdown } from './lib/report.mjs'
import { runDecideBench } from './decide.mjs'
import { runFilteredSearchSuite } from './suites/filtered-search.mjs'
import { runMemorySuite } from './suites/memory.mjs'
import { runMlflowSuite } from './suites/mlflow.mjs'
import { runNginxSuite } from './suites/nginx.mjs'

const SUITES = {
  mlflow: runMlflowSuite,
  nginx: runNginxSuite,
  memory: runMemorySuite,
  decide: async () => ({ rows: runDecideBench() }),
  'filtered-search': runFilteredSearchSuite,
}

const HELP = `Usage: npm run bench -- [options]     (or: node bench/run.mjs [options] after npm run build)

Measures, in one run on this machine:
  mlflow  real MLflow direct vs through the gateway (get experiment, get run, search runs)
  decide  decisions per second without I/O (catalogue match, decide()), beside a baseline
  nginx   fast upstream direct vs nginx vs the gateway as plain reverse proxies
  memory  gateway RSS while 1 GiB streams through it (upload and download, fast and slow readers)
  filtered-search
          a user with READ on 100 of 10,000 experiments pages through experiments/search:
          the gateway vs MLflow's own basic-auth app (vs MLflow unfiltered, for reference)
Writes bench/results/<timestamp>.json and .md (and latest.*), prints the markdown report.

Options:
  --only LIST              suites to run, comma-separated or repeated (default: all)
  --rounds N               rounds per target in the load and search suites (sets the three below)
  --mlflow-rounds N        MLflow rounds, order alternating; medians are reported (default 5)
  --nginx-rounds N         proxy-comparison rounds, order rotating (default 3)
  --duration S             seconds per measurement in both load suites (sets the two below)
  --mlflow-duration S      seconds per MLflow measurement (default 12)
  --nginx-duration S       seconds per proxy-comparison measurement (default 10)
  --warmup S               warm-up seconds per target before the rounds (default 3)
  --mlflow-connections N   concurrent connections for the MLflow workload (default 4)
  --mlflow-workers N       uvicorn workers of the MLflow server (default 1)
  --mlflow-runs N          runs seeded into the experiment (default 20)
  --nginx-connections N    concurrent connections for the proxy comparison (default 32)
  --memory-mib N           size of each streamed body in MiB (default 1024)
  --slow-mib N             the slow reader's throttled prefix in MiB (default 64)
  --slow-rate-mib N        the slow reader's rate in MiB/s (default 16)
  --no-mlflow-artifact     skip the 1 GiB upload into the real MLflow in the memory suite
  --search-rounds N        filtered-search rounds, order rotating (default 5)
  --search-collections N   collections (page through to the end) per target, page size and
                           round (default 2)
  --search-experiments N   experiments in the store (default 10000; built once, cached in
                           <out>/cache/)
  --search-readable N      experiments the searching user may read (default 100)
  --search-page-sizes LIST max_results values, comma-separated (default 1000,100)
  --quiet-wait S           before each measurement, wait up to S s for other processes on the
                           machine to go idle; 0 disables (default 30)
  --audit PATH             where the gateway's audit lines go (default: a file in the temp dir)
  --profile                run the gateway with --cpu-prof; profiles go to <out>/profiles/<suite>/
  --out DIR                results folder (default bench/results)
  -h, --help               this text
`

const options = {
  only: { type: 'string', multiple: true },
  rounds: { type: 'string' },
  'mlflow-rounds': { type: 'string', default: '5' },
  'nginx-rounds': { type: 'string', default: '3' },
  duration: { type: 'string' },
  'mlflow-duration': { type: 'string', default: '12' },
  'nginx-duration': { type: 'string', default: '10' },
  warmup: { type: 'string', default: '3' },
  'mlflow-connections': { type: 'string', default: '4' },
  'mlflow-workers': { type: 'string', default: '1' },
  'mlflow-runs': { type: 'string', default: '20' },
  'nginx-connections': { type: 'string', default: '32' },
  'memory-mib': { type: 'string', default: '1024' },
  'slow-mib': { type: 'string', default: '64' },
  'slow-rate-mib': { type: 'string', default: '16' },
  'no-mlflow-artifact': { type: 'boolean', default: false },
  'search-rounds': { type: 'string', default: '5' },
  'search-collections': { type: 'string', default: '2' },
  'search-experiments': { type: 'string', default: '10000' },
  'search-readable': { type: 'string', default: '100' },
  'search-page-sizes': { type: 'string', default: '1000,100' },
  'quiet-wait': { type: 'string', default: '30' },
  audit: { type: 'string' },
  profile: { type: 'boolean', default: false },
  out: { type: 'string', default: fileURLToPath(new URL('results', import.meta.url)) },
  help: { type: 'boolean', short: 'h', default: false },
}

/** A positive number from a flag, or a clear message naming the flag. */
function positive(values, name) {
  const n = Number(values[name])
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`--${name} must be a positive number, got "${values[name]}"`)
  return n
}

function parseOptions(argv) {
  const { values } = parseArgs({ args: argv, options, strict: true })
  if (values.help) return undefined
  const only = (values.only ?? Object.keys(SUITES)).flatMap((s) => s.split(',')).filter(Boolean)
  for (const s of only) {
    if (!SUITES[s])
      throw new Error(`--only: unknown suite "${s}" (one of ${Object.keys(SUITES).join(', ')})`)
  }
  if (values.duration) values['mlflow-duration'] = values['nginx-duration'] = values.duration
  if (values.rounds)
    values['mlflow-rounds'] = values['nginx-rounds'] = values['search-rounds'] = values.rounds
  if (Number(values['search-readable']) > Number(values['search-experiments']))
    throw new Error('--search-readable cannot exceed --search-experiments')
  const pageSizes = values['search-page-sizes'].split(',').map(Number)
  if (!pageSizes.every((n) => Number.isInteger(n) && n > 0))
    throw new Error(
      `--search-page-sizes must be positive integers, got "${values['search-page-sizes']}"`,
    )
  return {
    only,
    mlflowRounds: positive(values, 'mlflow-rounds'),
    nginxRounds: positive(values, 'nginx-rounds'),
    mlflowDuration: positive(values, 'mlflow-duration'),
    nginxDuration: positive(values, 'nginx-duration'),
    warmup: Number(values.warmup) || 0,
    mlflowConnections: positive(values, 'mlflow-connections'),
    mlflowWorkers: positive(values, 'mlflow-workers'),
    mlflowRuns: positive(values, 'mlflow-runs'),
    nginxConnections: positive(values, 'nginx-connections'),
    memoryBytes: positive(values, 'memory-mib') * 1024 * 1024,
    slowMib: positive(values, 'slow-mib'),
    slowRateMib: positive(values, 'slow-rate-mib'),
    mlflowArtifact: !values['no-mlflow-artifact'],
    searchRounds: positive(values, 'search-rounds'),
    searchCollections: positive(values, 'search-collections'),
    searchExperiments: positive(values, 'search-experiments'),
    searchReadable: positive(values, 'search-readable'),
    searchPageSizes: pageSizes,
    quietWait: Number(values['quiet-wait']) || 0,
    audit: values.audit,
    profile: values.profile,
    out: values.out,
  }
}

function versionOf(command, args) {
  const r = spawnSync(command, args, { encoding: 'utf8' })
  return /(\d+\.\d+\.\d+\S*)/.exec(`${r.stdout}${r.stderr}`)?.[1] ?? 'unknown'
}

/** Which gateway was measured: the commit, and whether the working tree differed from it. */
function gitState() {
  const git = (...args) => spawnSync('git', args, { encoding: 'utf8' }).stdout?.trim() ?? ''
  return {
    commit: git('rev-parse', '--short', 'HEAD') || 'unknown',
    dirty: git('status', '--porcelain', '--', 'src').length > 0,
  }
}

function environment() {
  const autocannon = JSON.parse(
    readFileSync(new URL('../node_modules/autocannon/package.json', import.meta.url), 'utf8'),
  ).version
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    totalMemory: totalmem(),
    kernel: release(),
    node: process.version,
    nginx: nginxVersion(),
    mlflow: versionOf(MLFLOW_BIN, ['--version']),
    autocannon,
    git: gitState(),
    loadAverageStart: loadavg(),
  }
}

/**
 * What every suite shares: the options, one temp folder, and one MLflow server started on first
 * use (its start-up takes ~10 s, so the mlflow and memory suites share it).
 */
function createContext(opts, environment) {
  const tmp = mkdtempSync(join(tmpdir(), 'mlflow-gate-bench-'))
  // Interrupted runs (Ctrl-C) skip close(); the temp folder, MLflow's included, goes anyway.
  process.on('exit', () => rmSync(tmp, { recursive: true, force: true, maxRetries: 3 }))
  let mlflow
  return {
    opts,
    environment,
    tmp,
    mlflow: async () => {
      if (!mlflow) {
        progress(`starting MLflow (${opts.mlflowWorkers} worker(s))`)
        mlflow = startMlflowServer({ dataDir: join(tmp, 'mlflow'), workers: opts.mlflowWorkers })
      }
      return mlflow
    },
    auditPath: (suite) => opts.audit ?? join(tmp, `audit-${suite}.jsonl`),
    profileDir: (suite) => (opts.profile ? join(opts.out, 'profiles', suite) : undefined),
    close: async () => {
      if (mlflow) await (await mlflow.catch(() => undefined))?.stop()
      rmSync(tmp, { recursive: true, force: true })
    },
  }
}

function writeResults(out, results, markdown) {
  mkdirSync(out, { recursive: true })
  const stamp = results.startedAt.replace(/[:.]/g, '-')
  const json = `${JSON.stringify(results, null, 2)}\n`
  for (const name of [stamp, 'latest']) {
    writeFileSync(join(out, `${name}.json`), json)
    writeFileSync(join(out, `${name}.md`), markdown)
  }
  return join(out, `${stamp}.json`)
}

async function main() {
  const opts = parseOptions(process.argv.slice(2))
  if (!opts) return void process.stdout.write(HELP)
  const results = {
    startedAt: new Date().toISOString(),
    options: opts,
    environment: environment(),
    suites: {},
    errors: {},
  }
  const ctx = createContext(opts, results.environment)
  try {
    for (const name of opts.only) {
      const t0 = Date.now()
      try {
        results.suites[name] = await SUITES[name](ctx)
      } catch (err) {
        // One broken suite should not throw away the others' numbers; the exit code still says so.
        results.errors[name] = err instanceof Error ? (err.stack ?? err.message) : String(err)
        progress(`${name} FAILED: ${err}`)
      }
      progress(`${name} took ${Math.round((Date.now() - t0) / 1000)} s`)
    }
  } finally {
    await ctx.close()
  }
  results.environment.loadAverageEnd = loadavg()
  results.finishedAt = new Date().toISOString()
  const markdown = toMarkdown(results)
  const file = writeResults(opts.out, results, markdown)
  process.stdout.write(`${markdown}\nresults: ${file}\n`)
  if (Object.keys(results.errors).length > 0) process.exitCode = 1
}

main().catch((err) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : err}\n`)
  process.exitCode = 1
})
