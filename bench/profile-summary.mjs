/**
 * Summarizes a V8 .cpuprofile (from `npm run bench -- --profile`) as plain text: where the
 * gateway's CPU went by package/area, and the top functions by self and by inclusive time.
 * Usage: node bench/profile-summary.mjs FILE.cpuprofile [--top N] [--callers NAME]
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, callers: { type: 'string' } },
})
if (positionals.length !== 1) {
  process.stderr.write('Usage: node bench/profile-summary.mjs FILE.cpuprofile [--top N]\n')
  process.exit(2)
}
// Piping into `head` closes stdout early; that is not an error worth a stack trace.
process.stdout.on('error', () => process.exit(0))
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'))
const top = Number(values.top)

/** The area a frame belongs to: a package, the gateway's own code, Node internals, or V8. */
function area(frame) {
  const url = frame.url
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native/V8)'
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1]
  if (pkg) return pkg
  if (url.includes('/dist/')) return `gateway ${url.slice(url.indexOf('/dist/') + 6)}`
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/')
  return url
}

const label = (f) =>
  `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`

const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const parent = new Map()
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)

// Time per sample: timeDeltas[i] is the gap before sample i; it is charged to that sample.
const selfByNode = new Map()
profile.samples.forEach((id, i) => {
  selfByNode.set(id, (selfByNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
})
const sampled = [...selfByNode.values()].reduce((a, b) => a + b, 0)
// Percentages are of busy time: an idle event loop says nothing about where work goes.
for (const [id] of selfByNode) {
  if (byId.get(id).callFrame.functionName === '(idle)') selfByNode.delete(id)
}
const total = [...selfByNode.values()].reduce((a, b) => a + b, 0)

function add(map, key, us) {
  map.set(key, (map.get(key) ?? 0) + us)
}

const selfByArea = new Map()
const selfByFn = new Map()
const inclusiveByFn = new Map()
for (const [id, us] of selfByNode) {
  const frame = byId.get(id).callFrame
  add(selfByArea, area(frame), us)
  add(selfByFn, label(frame), us)
  // Inclusive: each function on the stack once, however often it recurses.
  const seen = new Set()
  for (let n = id; n !== undefined; n = parent.get(n)) {
    const key = label(byId.get(n).callFrame)
    if (!seen.has(key)) add(inclusiveByFn, key, us)
    seen.add(key)
  }
}

function print(title, map, limit) {
  process.stdout.write(`\n${title}\n`)
  const rows = [...map].sort((a, b) => b[1] - a[1]).slice(0, limit)
  for (const [key, us] of rows) {
    process.stdout.write(
      `${((100 * us) / total).toFixed(1).padStart(6)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}\n`,
    )
  }
}

process.stdout.write(
  `${positionals[0]}: ${(sampled / 1e6).toFixed(1)} s sampled, ${(total / 1e6).toFixed(1)} s busy; % of busy\n`,
)
print('Self time by area', selfByArea, top)
print('Self time by function', selfByFn, top)
print('Inclusive time by function', inclusiveByFn, top)

// --callers NAME: which call paths lead to a function, a few frames up, by self time below them.
if (values.callers) {
  const paths = new Map()
  for (const [id, us] of selfByNode) {
    const chain = []
    for (let n = id; n !== undefined && chain.length < 12; n = parent.get(n))
      chain.push(byId.get(n).callFrame)
    const at = chain.findIndex((f) => f.functionName === values.callers)
    if (at === -1) continue
    add(
      paths,
      chain
        .slice(at, at + 6)
        .map(label)
        .join(' <- '),
      us,
    )
  }
  print(`Call paths into ${values.callers}`, paths, top)
}
