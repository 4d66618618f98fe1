/** Canonicalises a request target, or rejects it, so the path decided on is the path MLflow will route. */
import { GatewayError } from '../server/errors.js'

export type Target = {
  /** The percent-decoded path, as MLflow's server (uvicorn/Werkzeug) will see it. */
  readonly path: string
  /** Query parameters in order, decoded as Werkzeug decodes them (`+` is a space). */
  readonly query: readonly (readonly [string, string])[]
  /** The raw target; forwarded unchanged, since it decodes to exactly `path` and `query`. */
  readonly raw: string
}

const bad = (why: string) => new GatewayError('GW_BAD_REQUEST', `request target refused: ${why}`)

/**
 * Rules (security.md 2.1): uvicorn and Werkzeug percent-decode the path before routing, so an
 * encoded slash, dot or backslash would let the gateway decide on one path while MLflow routes
 * another. Such targets, dot segments, empty segments, `;` parameters, fragments, control and
 * non-ASCII bytes are refused rather than normalised: a client that sends them is not an MLflow
 * client.
 */
export function parseTarget(raw: string): Target {
  if (!raw.startsWith('/')) throw bad('it must be a path starting with "/"')
  // Node hands the raw target over as latin1 text; anything outside printable ASCII is refused.
  if (/[^\x21-\x7e]/.test(raw)) throw bad('it contains spaces, control or non-ASCII bytes')
  if (raw.includes('#')) throw bad('it contains a fragment')
  const q = raw.indexOf('?')
  const rawPath = q === -1 ? raw : raw.slice(0, q)
  const rawQuery = q === -1 ? '' : raw.slice(q + 1)
  return { path: canonicalPath(rawPath), query: parseQuery(rawQuery), raw }
}

function canonicalPath(rawPath: string): string {
  if (rawPath.includes('\\')) throw bad('it contains a backslash')
  if (rawPath.includes(';')) throw bad('it contains ";"')
  if (/%(2f|5c|2e|25|00)/i.test(rawPath)) throw bad('it encodes "/", "\\", ".", "%" or NUL')
  const segments = rawPath.slice(1).split('/')
  // The root "/" is the one path with an empty segment.
  if (rawPath !== '/' && segments.some((s, i) => s === '' && i !== segments.length - 1)) {
    throw bad('it contains an empty path segment ("//")')
  }
  if (segments.some((s) => s === '.' || s === '..')) throw bad('it contains "." or ".." segments')
  try {
    // Segment by segment, like the server: `%2F` was refused above, so no segment can split.
    return rawPath.split('/').map(decodeURIComponent).join('/')
  } catch {
    throw bad('it contains an invalid percent-encoding')
  }
}

/** Werkzeug's `url_decode`: pairs split on `&`, key and value at the first `=`, `+` is a space. */
export function parseQuery(rawQuery: string): [string, string][] {
  if (rawQuery === '') return []
  const pairs: [string, string][] = []
  for (const part of rawQuery.split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    const key = eq === -1 ? part : part.slice(0, eq)
    const value = eq === -1 ? '' : part.slice(eq + 1)
    try {
      pairs.push([decode(key), decode(value)])
    } catch {
      throw bad('the query contains an invalid percent-encoding')
    }
  }
  return pairs
}

const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '))
