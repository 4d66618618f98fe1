/** Reads a row's resource ids from exactly where MLflow's handler reads them, refusing any ambiguity. */
import type { IncomingHttpHeaders } from 'node:http'
import { GatewayError } from '../server/errors.js'
import { artifactPathSegments } from './artifact-path.js'
import type { IdSource, Row } from './row.js'
import type { Target } from './target.js'

export type Message = Readonly<Record<string, unknown>>

export type Ids = {
  readonly kind: NonNullable<Row['resource']>['kind']
  readonly by: 'id' | 'name'
  readonly values: readonly string[]
}

export type IdContext = {
  readonly target: Target
  readonly params: Readonly<Record<string, string>>
  /** The request message: `undefined` until the body has been read. */
  readonly message: Message
  /**
   * The message was built from a GET's query string. MLflow then reads each field by its proto
   * name only (mlflow/server/handlers.py _get_request_message: `field.name in request.args`), so
   * a lowerCamelCase parameter names nothing: `?experimentIds=1` is ignored by MLflow, and a
   * search it scoped would run unscoped (datasets/search returns every dataset).
   */
  readonly fromQuery?: boolean
  readonly headers: IncomingHttpHeaders
}

const bad = (why: string) => new GatewayError('GW_BAD_REQUEST', why)

/** `experiment_id` → `experimentId`: protobuf's JSON name, which MLflow's ParseDict accepts too. */
export const camel = (snake: string) =>
  snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())

/** The ids a row names, or undefined when the row acts on no resource. Throws 400 on ambiguity. */
export function extractIds(row: Row, ctx: IdContext): Ids | undefined {
  const resource = row.resource
  if (!resource) return undefined
  const values = read(resource.id, ctx)
  if (values.length === 0) {
    throw bad(`this request must name its ${resource.kind} (${describeSource(resource.id)})`)
  }
  // An artifact path may be empty: it is the store's root (decided in authorize/, never allowed
  // to anyone but admins).
  for (const v of values) {
    if (v === '' && resource.kind !== 'artifact')
      throw bad(`empty ${resource.kind} id (${describeSource(resource.id)})`)
  }
  return { kind: resource.kind, by: resource.by, values: [...new Set(values)] }
}

function describeSource(source: IdSource): string {
  switch (source.in) {
    case 'path':
      return `path parameter ${source.param}`
    case 'header':
      return `header ${source.name}`
    case 'artifact-path':
      return source.field ? `artifact path in ${source.field}` : 'artifact path'
    default:
      return source.alias ? `${source.field} or ${source.alias}` : source.field
  }
}

function read(source: IdSource, ctx: IdContext): string[] {
  switch (source.in) {
    case 'path':
      return [ctx.params[source.param] ?? '']
    case 'header': {
      const v = ctx.headers[source.name.toLowerCase()]
      if (Array.isArray(v)) throw bad(`header ${source.name} given more than once`)
      return v === undefined ? [] : [v]
    }
    case 'artifact-path': {
      // Without the list route's `path`, MLflow lists the store's root
      // (handlers.py _list_artifacts_mlflow_artifacts: `HasField("path")`).
      const path = source.field
        ? fieldValues(ctx.message, source.field, false, ctx.fromQuery)[0]
        : ctx.params.artifact_path
      return [artifactPathSegments(path ?? '').join('/')]
    }
    case 'query':
      return withAlias(source, (f) => queryValues(ctx.target.query, f, source.list === true))
    case 'message':
      return withAlias(source, (f) =>
        fieldValues(ctx.message, f, source.list === true, ctx.fromQuery),
      )
  }
}

/** `run_id or run_uuid`: the handler falls back to the alias; both given and different is refused. */
function withAlias(
  source: { field: string; alias?: string },
  get: (field: string) => string[],
): string[] {
  if (!source.alias) return get(source.field)
  // An empty value is falsy to the handler's `a or b`, so it counts as absent.
  const main = get(source.field).filter((v) => v !== '')
  const alias = get(source.alias).filter((v) => v !== '')
  if (main.length > 0 && alias.length > 0 && main.join() !== alias.join()) {
    throw bad(`${source.field} and ${source.alias} name different resources`)
  }
  return main.length > 0 ? main : alias
}

function queryValues(query: Target['query'], field: string, list: boolean): string[] {
  const values = query.filter(([k]) => k === field).map(([, v]) => v)
  if (!list && values.length > 1) throw bad(`query parameter ${field} given more than once`)
  return values
}

/**
 * A field of the message, by snake_case or lowerCamelCase name (MLflow accepts both in a JSON
 * body; one request giving both is refused), or by snake_case only with `snakeOnly` (a GET's
 * query). Dotted paths walk nested messages; with `list`, repeated fields on the way collect every
 * value.
 */
export function fieldValues(
  message: Message,
  path: string,
  list: boolean,
  snakeOnly = false,
): string[] {
  let nodes: unknown[] = [message]
  for (const step of path.split('.')) {
    const next: unknown[] = []
    for (const node of nodes) {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) continue
      const value = snakeOnly ? (node as Message)[step] : pick(node as Message, step)
      if (value === undefined || value === null) continue
      if (Array.isArray(value)) {
        if (!list) throw bad(`${step} must be a single value`)
        next.push(...value)
      } else next.push(value)
    }
    nodes = next
  }
  return nodes.map((v) => {
    if (typeof v !== 'string') throw bad(`${path} must be a string (got ${JSON.stringify(v)})`)
    return v
  })
}

function pick(node: Message, snake: string): unknown {
  const c = camel(snake)
  const a = node[snake]
  const b = c === snake ? undefined : node[c]
  if (a !== undefined && b !== undefined)
    throw bad(`${snake} is given twice (as ${snake} and ${c})`)
  return a ?? b
}
