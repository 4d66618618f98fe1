/** Turns the bench's JSON results into the markdown tables printed at the end and copied into BENCHMARKS.md. */
import { fixed, OTHERS, table } from './markdown.mjs'
import { filteredSearchSection } from './report-search.mjs'

const MiB = 1024 * 1024

const mib = (bytes) => fixed(bytes / MiB, 1)
const verdict = (met) => (met ? 'met' : '**missed**')

function failures(s) {
  return s.non2xx || s.errors ? `${s.non2xx} non-2xx, ${s.errors} errors` : 'none'
}

function mlflowSection(r) {
  const c = r.conditions
  const rows = Object.entries(r.targets).map(([name, { summary: s }]) => [
    name === 'direct' ? 'MLflow direct' : 'through gateway',
    fixed(s.rps, 1),
    fixed(s.p50Ms, 1),
    fixed(s.p99Ms, 1),
    fixed(s.cpuUsPerRequest.mlflow),
    name === 'gateway' ? fixed(s.cpuUsPerRequest.gateway) : '-',
    fixed(s.othersCores, 2),
    failures(s),
  ])
  return [
    '### MLflow read workload: direct vs through the gateway',
    '',
    `Mix per connection, in turn: ${c.mix.join(', ')}. ${c.connections} connections, ` +
      `${c.rounds} rounds of ${c.durationSeconds} s per target (order alternating), ` +
      `${c.warmupSeconds} s warm-up each; MLflow ${c.mlflowWorkers} worker(s), ${c.seededRuns} seeded runs. ` +
      `Gateway: ${c.gateway}. ` +
      'Figures are medians over rounds.',
    '',
    table(
      [
        'target',
        'req/s',
        'p50 ms',
        'p99 ms',
        'MLflow CPU µs/req',
        'gateway CPU µs/req',
        OTHERS,
        'failures',
      ],
      rows,
    ),
    '',
    `**gateway / direct throughput: ${fixed(r.ratio, 3)}** (target ≥ ${r.targetRatio}: ${verdict(r.met)}); ` +
      `per-round ratios ${r.pairedRatios.map((x) => fixed(x, 3)).join(', ')} (median ${fixed(r.pairedRatioMedian, 3)}).`,
  ].join('\n')
}

function nginxSection(r) {
  const c = r.conditions
  const labels = {
    upstream: 'upstream direct',
    nginx: `nginx ${c.nginxVersion}`,
    gateway: 'gateway',
  }
  const rows = Object.entries(r.targets).map(([name, { summary: s }]) => [
    labels[name],
    fixed(s.rps),
    fixed(s.p50Ms, 1),
    fixed(s.p99Ms, 1),
    name === 'upstream' ? '-' : fixed(s.cpuUsPerRequest[name]),
    fixed(s.cpuUsPerRequest.upstream),
    fixed(s.othersCores, 2),
    failures(s),
  ])
  const up = r.targets.upstream.summary.rps
  return [
    '### Reverse proxy: gateway vs nginx, same fast upstream',
    '',
    `\`${c.request}\` answered by a Node upstream with a fixed ~1 KiB JSON body; ` +
      `${c.connections} connections, ${c.rounds} rounds of ${c.durationSeconds} s per target (order rotating); ` +
      `nginx: ${c.nginx}. Gateway: ${c.gateway}. Figures are medians over rounds.`,
    '',
    table(
      [
        'target',
        'req/s',
        'p50 ms',
        'p99 ms',
        'proxy CPU µs/req',
        'upstream CPU µs/req',
        OTHERS,
        'failures',
      ],
      rows,
    ),
    '',
    `**gateway / nginx throughput: ${fixed(r.ratio, 3)}** (per-round ${r.pairedRatios.map((x) => fixed(x, 3)).join(', ')}); ` +
      `nginx / upstream direct ${fixed(r.targets.nginx.summary.rps / up, 3)}, ` +
      `gateway / upstream direct ${fixed(r.targets.gateway.summary.rps / up, 3)}.`,
  ].join('\n')
}

function memorySection(r) {
  const rows = r.cases.map((c) => [
    c.name,
    fixed(c.mibPerSecond),
    mib(c.rssBaseline),
    mib(c.rssPeak),
    `**${mib(c.rssGrowth)}**`,
    mib(c.rssAfter),
    mib(c.heapUsedPeak),
    `${mib(c.arrayBuffersAtRest)} → ${mib(c.arrayBuffersPeak)}`,
    fixed(c.gatewayCpuSeconds, 1),
    verdict(c.met),
  ])
  return [
    `### Memory: streaming ${mib(r.conditions.bytes)} MiB through the gateway`,
    '',
    `RSS of the gateway process sampled every ${r.conditions.sampleIntervalMs} ms; a fresh gateway per case ` +
      `(${r.conditions.gateway}). ` +
      `"Slowly" means ${r.conditions.slowRateMibPerSecond} MiB/s for the first ${r.conditions.slowMib} MiB, then full speed.`,
    '',
    table(
      [
        'case',
        'MiB/s',
        'RSS before MiB',
        'RSS peak MiB',
        'growth MiB',
        'RSS 1 s after MiB',
        'JS heap used peak MiB',
        'ArrayBuffers at rest → peak MiB',
        'gateway CPU s',
        `growth < ${mib(r.limitBytes)} MiB`,
      ],
      rows,
    ),
  ].join('\n')
}

function environmentSection(env) {
  return [
    '### Machine',
    '',
    `${env.cpus} × ${env.cpuModel}, ${mib(env.totalMemory)} MiB RAM, Linux ${env.kernel}; ` +
      `Node ${env.node}, nginx ${env.nginx}, MLflow ${env.mlflow}, autocannon ${env.autocannon}. ` +
      `Gateway built from ${env.git.commit}${env.git.dirty ? ' plus uncommitted changes in src/' : ''}. ` +
      `Load average at start ${env.loadAverageStart.map((x) => fixed(x, 2)).join(' ')}, ` +
      `at end ${env.loadAverageEnd?.map((x) => fixed(x, 2)).join(' ') ?? 'n/a'}.`,
  ].join('\n')
}

/** The whole report; sections for suites that were not run are left out. */
export function toMarkdown(results) {
  const parts = [
    `## mlflow-gate bench, ${results.startedAt}`,
    '',
    environmentSection(results.environment),
  ]
  if (results.suites.mlflow) parts.push('', mlflowSection(results.suites.mlflow))
  if (results.suites.nginx) parts.push('', nginxSection(results.suites.nginx))
  if (results.suites.memory) parts.push('', memorySection(results.suites.memory))
  if (results.suites.decide) parts.push('', decideSection(results.suites.decide))
  if (results.suites['filtered-search'])
    parts.push('', filteredSearchSection(results.suites['filtered-search']))
  for (const [name, error] of Object.entries(results.errors ?? {})) {
    parts.push('', `### ${name}: FAILED`, '', '```', error, '```')
  }
  return `${parts.join('\n')}\n`
}

/** The decision path without I/O, beside a one-Map-lookup baseline measured in the same run. */
function decideSection({ rows }) {
  return [
    '### Decisions per second (no I/O)',
    '',
    'Catalogue match and `decide()` with a policy of 200 users, 20 groups and 1,001 grants; the baseline is one Map lookup timed the same way.',
    '',
    '| operation | ops/s | ns/op |',
    '| --- | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${Math.round(r.perSec).toLocaleString('en')} | ${Math.round(r.nsPerOp)} |`,
    ),
  ].join('\n')
}
