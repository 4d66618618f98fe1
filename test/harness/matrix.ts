/**
 * The permission matrix's two halves, kept apart from the gateway's code: a request for any
 * catalogue row, built from the seeded world, and an oracle saying what each role should get,
 * written from the access model's rules rather than from decide().
 */
import type { IdSource, Row } from '../../src/classify/row.js'

export type World = {
  readonly a: string
  readonly aName: string
  readonly runA: string
  readonly loggedModelA: string
  readonly model: string
}

export const ROLES = ['anonymous', 'guest', 'reader', 'editor', 'creator', 'admin'] as const
export type Role = (typeof ROLES)[number]

export type Built = { method: string; path: string; headers: Record<string, string>; body?: string }

/** The value a role's request names for a resource of the row's kind. */
function idValue(row: Row, w: World, role: Role): string {
  const r = row.resource!
  const creating = row.action === 'create'
  switch (r.kind) {
    case 'experiment':
      if (creating) return `matrix-new-${role}`
      return r.by === 'name' ? w.aName : w.a
    case 'run':
      return w.runA
    case 'logged-model':
      return w.loggedModelA
    case 'registered-model':
    case 'model-version':
    case 'prompt':
      return creating ? `matrix-newmodel-${role}` : w.model
    default:
      return `missing-${r.kind}`
  }
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const steps = dotted.split('.')
  let node = target
  for (const step of steps.slice(0, -1)) node = (node[step] ??= {}) as Record<string, unknown>
  node[steps.at(-1)!] = value
}

export function buildRequest(row: Row, w: World, role: Role): Built {
  const source: IdSource | undefined = row.resource?.id
  const id = row.resource ? idValue(row, w, role) : ''
  const artifact = `${w.a}/${w.runA}/artifacts/matrix.txt`
  const path = row.path.replace(/\{(\w+)(:path)?\}/g, (_, name: string) => {
    if (source?.in === 'path' && source.param === name) return encodeURIComponent(id)
    if (name === 'artifact_path') return artifact
    if (name === 'experiment_id') return w.a
    return 'x'
  })
  const query: [string, string][] = []
  const body: Record<string, unknown> = {}
  const headers: Record<string, string> = {}
  const isGet = row.method === 'GET'
  const put = (field: string, value: string, list?: boolean) => {
    if (isGet) query.push([field, value])
    else setPath(body, field, list ? [value] : value)
  }
  if (source?.in === 'message') put(source.field, id, source.list)
  if (source?.in === 'query') query.push([source.field, id])
  if (source?.in === 'header') headers[source.name] = id
  if (source?.in === 'artifact-path' && source.field)
    put(source.field, `${w.a}/${w.runA}/artifacts`)
  // A new model version's files come from run A, which every role that may edit the model reads.
  if (row.references === 'model-version-source') {
    put('source', `runs:/${w.runA}/model`)
    put('run_id', w.runA)
  }
  const q = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
  const built: Built = { method: row.method, path: q ? `${path}?${q}` : path, headers }
  if (row.filter === 'graphql') {
    // GraphQL names its resources inside the query: read run A (decided on experiment A).
    headers['content-type'] = 'application/json'
    built.body = JSON.stringify({
      query: `{ mlflowGetRun(input: {runId: "${w.runA}"}) { run { info { runName } } } }`,
    })
  } else if (row.body === 'stream' && !isGet) {
    headers['content-type'] = 'application/octet-stream'
    built.body = 'matrix'
  } else if (!isGet && (row.body === 'json' || Object.keys(body).length > 0)) {
    headers['content-type'] = 'application/json'
    built.body = JSON.stringify(body)
  }
  return built
}

/** What each role holds, as the test config grants it (see permission-matrix.test.ts). */
const LEVEL: Record<Role, number> = {
  anonymous: 0,
  guest: 1,
  reader: 1,
  editor: 3,
  creator: 0,
  admin: 4,
}
const NEED: Record<string, number> = { read: 1, use: 2, update: 3, delete: 4, manage: 4 }
/** Lists answered for every caller, trimmed to what each may read (README, "Searches and lists"). */
const ANSWERED_FOR_EVERYONE = new Set([
  'experiments',
  'registered-models',
  'model-versions',
  'scorers',
  'gateway-endpoints',
  'gateway-proxy-endpoints',
  'gateway-models',
])

export type Expected = 'allow' | 'deny' | 'unauthenticated'

export function expected(role: Role, row: Row): Expected {
  if (row.action === 'public') return 'allow'
  if (row.action === 'deny') return 'deny'
  if (role === 'admin') return 'allow'
  if (row.action === 'admin') return 'deny'
  if (row.action === 'authenticated') return role === 'anonymous' ? 'unauthenticated' : 'allow'
  if (row.action === 'create') return role === 'creator' ? 'allow' : 'deny'
  // A GraphQL query reading run A is decided as reading experiment A.
  if (row.filter === 'graphql') return LEVEL[role] >= NEED.read! ? 'allow' : 'deny'
  if (!row.resource) {
    // These searches are answered for everyone, trimmed to what each caller may read.
    return ANSWERED_FOR_EVERYONE.has(row.filter ?? '') ? 'allow' : 'deny'
  }
  // Traces and scorers are not seeded: their ids resolve to nothing, which denies.
  if (
    ![
      'experiment',
      'run',
      'logged-model',
      'registered-model',
      'model-version',
      'prompt',
      'artifact',
    ].includes(row.resource.kind)
  ) {
    return 'deny'
  }
  return LEVEL[role] >= NEED[row.action]! ? 'allow' : 'deny'
}
