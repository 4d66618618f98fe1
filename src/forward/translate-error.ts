/** The one boundary where errors from undici and sockets become GatewayErrors with clear messages. */
import { GatewayError } from '../server/errors.js'
import type { Upstream } from './upstream.js'

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
])

/** Finds the most specific error code, looking through AggregateError and `cause` chains. */
function codeOf(err: unknown): string | undefined {
  const e = err as { code?: unknown; errors?: unknown[]; cause?: unknown } | undefined
  if (!e || typeof e !== 'object') return undefined
  if (typeof e.code === 'string' && e.code !== 'ERR_AGGREGATE_ERROR') return e.code
  return codeOf(e.errors?.[0]) ?? codeOf(e.cause)
}

/** Turns a failure to get a response from MLflow into the GatewayError the client sees. */
export function toUpstreamError(err: unknown, upstream: Upstream): GatewayError {
  if (err instanceof GatewayError) return err
  const code = codeOf(err) ?? 'unknown'
  const at = `MLflow at ${upstream.origin}`
  const t = upstream.timeouts
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new GatewayError(
        'GW_UPSTREAM_TIMEOUT',
        `${at} did not accept a connection within ${t.connect_timeout_ms} ms (upstream.connect_timeout_ms)`,
        { cause: err },
      )
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new GatewayError(
        'GW_UPSTREAM_TIMEOUT',
        `${at} did not answer within ${t.headers_timeout_ms} ms (upstream.headers_timeout_ms)`,
        { cause: err },
      )
    case 'UND_ERR_BODY_TIMEOUT':
      return new GatewayError(
        'GW_UPSTREAM_TIMEOUT',
        `${at} paused its response for more than ${t.body_idle_timeout_ms} ms (upstream.body_idle_timeout_ms)`,
        { cause: err },
      )
  }
  if (UNREACHABLE.has(code)) {
    return new GatewayError('GW_UPSTREAM_UNAVAILABLE', `${at} is not reachable (${code})`, {
      cause: err,
    })
  }
  const parserError = (err as Error | undefined)?.name === 'HTTPParserError'
  if (parserError || code.startsWith('HPE_') || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
    return new GatewayError(
      'GW_UPSTREAM_BAD_RESPONSE',
      `${at} sent a malformed response (${parserError ? (err as Error).message : code})`,
      {
        cause: err,
      },
    )
  }
  return new GatewayError('GW_INTERNAL', `could not forward the request to ${at} (${code})`, {
    cause: err,
  })
}
