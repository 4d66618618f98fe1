/** Reads an auth-API request's parameters where MLflow's auth handlers read them (`_get_request_param`). */
import type { IncomingMessage } from 'node:http'
import { parseMessage, readBody } from '../classify/body.js'
import { GatewayError } from '../server/errors.js'

export type Params = {
  /** A required string parameter; missing is INVALID_PARAMETER_VALUE with MLflow's message. */
  string(name: string): string
  /** A required boolean (`is_admin`). */
  boolean(name: string): boolean
  /** An optional string, or undefined when absent or null. */
  optionalString(name: string): string | undefined
}

const invalid = (message: string) => new GatewayError('GW_INVALID_PARAMETER', message)

/** mlflow/server/auth/__init__.py `_snake_to_camel`: protobuf JSON also accepts lowerCamelCase. */
const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())

/**
 * Where MLflow 3.18.0 reads parameters (auth/__init__.py `_get_request_param`): the query string
 * for GET, the JSON body for POST and PATCH, and for DELETE the JSON body when there is one and
 * the query string otherwise (`_get_delete_request_args`). Outside GET a missing snake_case name
 * is looked up in lowerCamelCase too.
 */
export async function readParams(
  req: IncomingMessage,
  method: string,
  query: URLSearchParams,
  maxBodyBytes: number,
): Promise<Params> {
  const fromQuery = method === 'GET' || method === 'HEAD'
  const body = fromQuery ? Buffer.alloc(0) : await readBody(req, maxBodyBytes)
  const args =
    fromQuery || (method === 'DELETE' && body.length === 0)
      ? queryArgs(query)
      : jsonArgs(body, req.headers['content-type'])
  const lookup = (name: string): unknown =>
    Object.hasOwn(args, name) || fromQuery ? args[name] : args[camel(name)]
  return {
    string(name) {
      const value = lookup(name)
      if (value === undefined || value === null) throw missing(name)
      if (typeof value !== 'string') throw invalid(`Parameter '${name}' must be a string.`)
      return value
    },
    boolean(name) {
      const value = lookup(name)
      if (value === undefined || value === null) throw missing(name)
      if (typeof value !== 'boolean') throw invalid(`Parameter '${name}' must be true or false.`)
      return value
    },
    optionalString(name) {
      const value = lookup(name)
      if (value === undefined || value === null) return undefined
      if (typeof value !== 'string') throw invalid(`Parameter '${name}' must be a string.`)
      return value
    },
  }
}

const missing = (name: string) =>
  invalid(
    `Missing value for required parameter '${name}'. ` +
      'See the API docs for more information about request parameters.',
  )

/** A repeated parameter is refused: Flask would read the first, and a proxy must not guess. */
function queryArgs(query: URLSearchParams): Record<string, unknown> {
  const args: Record<string, unknown> = {}
  for (const [key, value] of query) {
    if (Object.hasOwn(args, key)) throw invalid(`Parameter '${key}' is given more than once.`)
    args[key] = value
  }
  return args
}

/** MLflow's create_user refuses a body that is not `application/json` (`request.is_json`). */
function jsonArgs(body: Buffer, contentType: string | undefined): Record<string, unknown> {
  if (body.length === 0) return {}
  if (!/^application\/json\s*(;|$)/i.test(contentType ?? ''))
    throw invalid('Invalid content type. Must be application/json')
  return parseMessage(body, contentType) as Record<string, unknown>
}
