/** classify: works out which catalogued MLflow route a request is, the resource it names, and exactly what will be forwarded. */
import type { IncomingMessage } from 'node:http'
import { GatewayError } from '../server/errors.js'
import { artifactPathSegments, checkArtifactFileName } from './artifact-path.js'
import { readBody, parseMessage } from './body.js'
import { extractIds, fieldValues, type Ids, type Message } from './ids.js'
import type { Matcher } from './match.js'
import type { Row } from './row.js'
import { parseTarget } from './target.js'

export type Operation = {
  /** The method as received (HEAD is decided as GET but forwarded as HEAD). */
  readonly method: string
  /** The decoded path the decision is about. */
  readonly path: string
  /** The request-target forwarded to MLflow: exactly what was classified. */
  readonly target: string
  /** The catalogue row; undefined for a route the gateway does not know (denied). */
  readonly row?: Row
  readonly ids?: Ids
  readonly message: Message
  /** A JSON body already read for the decision, forwarded as these same bytes. */
  readonly body?: Buffer
  /** The client framed a body (RFC 9112 section 6.3) that was not read here: it streams on. */
  readonly streamsBody: boolean
}

export type ClassifyDeps = { readonly catalogue: Matcher; readonly maxJsonBodyBytes: number }

const bad = (why: string) => new GatewayError('GW_BAD_REQUEST', why)

/**
 * Headers that ask a server to treat the request as another method; some frameworks honour them,
 * so a request carrying one could be decided as one method and executed as another.
 */
const METHOD_OVERRIDES = ['x-http-method-override', 'x-http-method', 'x-method-override']

export async function classify(req: IncomingMessage, deps: ClassifyDeps): Promise<Operation> {
  const method = req.method ?? 'GET'
  const target = parseTarget(req.url ?? '')
  checkHeaders(req)
  const match = deps.catalogue(method, target.path)
  const base = { method, path: target.path, target: target.raw, message: {}, streamsBody: false }
  if (!match) return base
  const { row, params } = match
  const hasBody =
    req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0
  if ((method === 'GET' || method === 'HEAD') && hasBody) {
    throw bad(`${method} requests must not carry a body`)
  }
  // MLflow builds a GET's message from the query string when there is one, else from the body
  // (mlflow/server/handlers.py _get_request_message).
  const fromQuery = method === 'GET' || method === 'HEAD'
  const body =
    row.body === 'json' && hasBody ? await readBody(req, deps.maxJsonBodyBytes) : undefined
  const message = fromQuery
    ? queryMessage(target.query)
    : parseMessage(body ?? Buffer.alloc(0), req.headers['content-type'])
  const ctx = { target, params, message, headers: req.headers, fromQuery }
  const ids = extractIds(row, ctx)
  checkArtifactPaths(row, target.query, message)
  if (!fromQuery && ids && row.resource?.id.in === 'message') {
    // MLflow ignores the query of a POST, but the same id in both places with different values is
    // a request built to confuse a proxy: refuse it.
    const inQuery = extractIdsOrNone(row, { ...ctx, message: queryMessage(target.query) })
    if (inQuery && inQuery.values.join() !== ids.values.join()) {
      throw bad(`the ${row.resource.kind} is named differently in the query and the body`)
    }
  }
  return {
    ...base,
    row,
    ...(ids && { ids }),
    message,
    ...(body ? { body } : { streamsBody: hasBody }),
  }
}

/**
 * Artifact paths in the query (Flask views read `request.args`) or the message are checked
 * wherever they appear, every occurrence: refusing one MLflow would ignore costs nothing.
 */
function checkArtifactPaths(row: Row, query: QueryPairs, message: Message): void {
  for (const [field, kind] of Object.entries(row.artifactPaths ?? {})) {
    const values = [
      ...query.filter(([k]) => k === field).map(([, v]) => v),
      ...fieldValues(message, field, false),
    ]
    for (const v of values) {
      if (kind === 'file-name') checkArtifactFileName(v, field)
      else artifactPathSegments(v, field)
    }
  }
}

type QueryPairs = readonly (readonly [string, string])[]

function extractIdsOrNone(row: Row, ctx: Parameters<typeof extractIds>[1]): Ids | undefined {
  try {
    return extractIds(row, ctx)
  } catch {
    return undefined
  }
}

/** The query as a message: a parameter given once is a string, more than once a list. */
function queryMessage(query: readonly (readonly [string, string])[]): Message {
  const message: Record<string, string | string[]> = {}
  for (const [key, value] of query) {
    const prev = message[key]
    message[key] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value]
  }
  return message
}

/**
 * Underscores in header names are refused: WSGI folds `X_Forwarded_User` and `X-Forwarded-User`
 * into one variable (security.md 2.7), so MLflow could read a header the gateway never saw.
 */
function checkHeaders(req: IncomingMessage): void {
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]!.includes('_'))
      throw bad(`header names must not contain "_" (${req.rawHeaders[i]})`)
  }
  for (const h of METHOD_OVERRIDES) {
    if (req.headers[h] !== undefined) throw bad(`method-override headers are not accepted (${h})`)
  }
}
