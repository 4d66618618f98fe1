/** identify: asks each configured identifier in turn who is calling; nobody claiming the request means anonymous. */
import type { IncomingMessage } from 'node:http'
import { GatewayError } from '../server/errors.js'
import { ANONYMOUS, type Principal } from './principal.js'

/**
 * One way of recognising a caller (Basic, Bearer, session cookie, later SSO). It returns
 * `undefined` when the request carries nothing it understands ("not mine"), a Principal when it
 * claims the request, and throws a GatewayError when it claims the request but the credential is
 * wrong, so a bad password never falls back to anonymous.
 */
export type Identifier = (req: IncomingMessage) => Promise<Principal | undefined>

export async function identify(
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
