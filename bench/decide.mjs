/** Micro-benchmark of the decision path without I/O: catalogue match and decide(), in decisions per second. */
import { performance } from 'node:perf_hooks'
import { compilePolicy } from '../dist/authorize/policy.js'
import { decide } from '../dist/authorize/decide.js'
import { compileCatalogue } from '../dist/classify/match.js'
import { CATALOGUE } from '../dist/classify/rows/index.js'
import { parseConfig } from '../dist/config/load.js'

const HASH =
  'pbkdf2:sha256:1000$IZhA9aWYQ0qXsMJd$0aee8346da11eff96947ce8a5c72f4c386d9e4ca851b0f99aa1adfdaa26f98eb'

/** A policy of realistic size: 200 users in 20 groups, 1,000 grants by id and by pattern. */
function bigPolicy() {
  const users = Array.from({ length: 200 }, (_, i) => ({
    name: `u${i}`,
    password_hash: HASH,
    groups: [`g${i % 20}`],
  }))
  const grants = Array.from({ length: 1000 }, (_, i) =>
    i % 2 === 0
      ? { to: `group:g${i % 20}`, experiment_ids: [String(i)], permission: 'EDIT' }
      : {
          to: `user:u${i % 200}`,
          experiments: [`team-${i}-*`],
          registered_models: [`m-${i}-*`],
          permission: 'READ',
        },
  )
  grants.push({ to: 'anonymous', experiments: ['public-*'], permission: 'READ' })
  const yaml = JSON.stringify({ access: { anonymous: true, users, grants } })
  return compilePolicy(parseConfig(yaml, { source: 'bench', baseDir: '/', env: {} }).access)
}

function rate(name, fn, ms = 1500) {
  for (let i = 0; i < 20_000; i++) fn(i) // warm up
  let n = 0
  const start = performance.now()
  while (performance.now() - start < ms) {
    for (let i = 0; i < 1000; i++) fn(n + i)
    n += 1000
  }
  const perSec = n / ((performance.now() - start) / 1000)
  return { name, perSec, nsPerOp: 1e9 / perSec }
}

export function runDecideBench() {
  const policy = bigPolicy()
  const match = compileCatalogue(CATALOGUE)
  const user = { kind: 'user', name: 'u7', groups: ['g7'], admin: false, via: 'basic' }
  const paths = [
    ['GET', '/api/2.0/mlflow/experiments/get'],
    ['POST', '/api/2.0/mlflow/runs/log-batch'],
    ['GET', '/ajax-api/3.0/mlflow/traces/tr-123/assessments/a-1'],
    ['PUT', '/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/model.pkl'],
  ]
  const noop = new Map([['k', 1]])
  const results = [
    rate('baseline: one Map lookup', (i) => noop.get(i % 2 ? 'k' : 'x')),
    rate('catalogue match (552 rows)', (i) => match(...paths[i % paths.length])),
    rate('decide(): allowed by a group grant', (i) =>
      decide(
        user,
        'update',
        [{ kind: 'experiment', id: String((((i % 50) * 20 + 7) * 2) % 1000), name: 'x' }],
        policy,
      ),
    ),
    rate('decide(): anonymous denied (1,001 grants in the policy)', () =>
      decide(
        { kind: 'anonymous' },
        'read',
        [{ kind: 'experiment', id: '99999', name: 'private' }],
        policy,
      ),
    ),
  ]
  return results
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log('| operation | ops/s | ns/op |\n| --- | ---: | ---: |')
  for (const r of runDecideBench())
    console.log(
      `| ${r.name} | ${Math.round(r.perSec).toLocaleString('en')} | ${Math.round(r.nsPerOp)} |`,
    )
}
