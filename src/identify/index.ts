/** identify: asks each configured identifier in turn who is calling; nobody claiming the request means anonymous. */
import type { IncomingMessage } from 'node:http'
import { GatewayError } from '../server/errors.js'
import { parseToken } from '../storage/access/tokens.js'
import { ANONYMOUS, type Principal } from './principal.js'
import type { Throttle } from './throttle.js'

/**
 * One way of recognising a caller (Basic, Bearer, session cookie, later SSO). It returns
 * `undefined` when the request carries nothing it understands ("not mine"), a Principal when it
 * claims the request, and throws a GatewayError when it claims the request but the credential is
 * wrong, so a bad password never falls back to anonymous.
 */
export type Identifier = (req: IncomingMessage) => Promise<Principal | undefined>

/**
 * Failed credentials (Basic or Bearer) count against the throttle; a caller made to wait gets 429
 * with Retry-After before any credential is checked, so waiting is the only way forward.
 */
export async function identify(
  req: IncomingMessage,
  identifiers: readonly Identifier[],
  throttle?: Throttle,
): Promise<Principal> {
  const header = req.headers.authorization
  if (header === undefined || !throttle) return identifyWith(req, identifiers)
  const account = claimedAccount(header)
  const client = req.socket.remoteAddress ?? ''
  const wait = throttle.waitSeconds(account, client)
  if (wait > 0) {
    throw new GatewayError(
      'GW_TOO_MANY_ATTEMPTS',
      `too many failed sign-in attempts; try again in ${wait} s`,
      { retryAfterSeconds: wait },
    )
  }
  try {
    const principal = await identifyWith(req, identifiers)
    throttle.succeeded(account, client)
    return principal
  } catch (err) {
    if (err instanceof GatewayError && err.code === 'GW_UNAUTHENTICATED')
      throttle.failed(account, client)
    throw err
  }
}

/** The account a credential names: the Basic user name, or the API token's id. */
function claimedAccount(header: string): string | undefined {
  const [scheme = '', value = ''] = header.trim().split(/\s+/, 2)
  if (scheme.toLowerCase() === 'bearer') return parseToken(value)?.id
  if (scheme.toLowerCase() !== 'basic') return undefined
  const decoded = Buffer.from(value, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon > 0 ? decoded.slice(0, colon) : undefined
}

async function identifyWith(
  req: IncomingMessage,
  identifiers: readonly Identifier[],
): Promise<Principal> {
  for (const identifier of identifiers) {
    const principal = await identifier(req)
    if (principal) return principal
  }
  // Credentials nobody understood are refused, never treated as "no credentials".
  if (req.headers.authorization !== undefined) {
    throw new GatewayError(
      'GW_UNAUTHENTICATED',
      'unsupported Authorization scheme; use Basic (MLFLOW_TRACKING_USERNAME/PASSWORD)',
    )
  }
  return ANONYMOUS
}
