/** Who may call an admin API route: identified like MLflow traffic, then admin-only or own-account, and never written to with a read-only token. */
import type { IncomingMessage } from 'node:http'
import { allow, deny, reason, type Decision } from '../authorize/decision.js'
import { identify, type Identifier } from '../identify/index.js'
import type { Principal } from '../identify/principal.js'
import type { Throttle } from '../identify/throttle.js'
import type { Access, Method } from './route.js'

/**
 * The caller and the decision for one admin API request. Bad credentials throw the identifiers'
 * 401 before any decision; anonymous callers are refused whatever `access.anonymous` says.
 */
export async function admit(
  req: IncomingMessage,
  route: { method: Method; access: Access },
  identifiers: readonly Identifier[],
  throttle?: Throttle,
): Promise<{ principal: Principal; decision: Decision }> {
  const principal = await identify(req, identifiers, throttle)
  return { principal, decision: decideAdmin(principal, route) }
}

export function decideAdmin(
  principal: Principal,
  route: { method: Method; access: Access },
): Decision {
  if (principal.kind === 'anonymous')
    return deny(reason('unauthenticated', 'sign in to use the admin API'))
  const who = principal.name
  // As for MLflow routes (authorize/decide.ts), a read-only token limits even an admin; it may not
  // even mint a token that could write.
  if (principal.readOnly && route.method !== 'GET')
    return deny(reason('read-only-token', `${who} used a read-only API token; it only reads`))
  if (route.access === 'self')
    return allow(reason('authenticated', `${who} is signed in and acts on their own account`))
  return principal.admin
    ? allow(reason('admin', `${who} is an admin`))
    : deny(reason('admin-only', 'only gateway admins may use this route'))
}
