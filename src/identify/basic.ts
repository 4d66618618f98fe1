/** HTTP Basic identification (RFC 7617), as the MLflow client sends MLFLOW_TRACKING_USERNAME/PASSWORD. */
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Policy, UserRecord } from '../authorize/policy.js'
import { GatewayError } from '../server/errors.js'
import type { Identifier } from './index.js'
import { digest, verifyPassword } from './password.js'
import type { Principal } from './principal.js'
import { principalForToken, type TokenUse } from './token.js'
import { TOKEN_PREFIX } from '../storage/access/tokens.js'

/**
 * Verified passwords are remembered as a SHA-256 digest for a few minutes: the MLflow client sends
 * Basic credentials on every request, and a scrypt check per request would cost ~50 ms of CPU.
 * An entry is only used while the user's stored hash is unchanged.
 */
const CACHE_TTL_MS = 5 * 60_000
const CACHE_MAX = 10_000

/** Checked when the user does not exist, so unknown names take as long as wrong passwords. */
const DUMMY_HASH =
  'scrypt:32768:8:1$8bZbmHQhJjr7YZsn$d657047d5224af6c8a97b9b6a41dd55b6d6052a48c4d3d9e86e61e18242cae6b6b62406f63a8598b338a5db2daf8acc1d451d2b79440da69a7c1d174ad75de2a'

type Verified = { readonly hash: string; readonly digest: Buffer; readonly expires: number }

export const unauthenticated = (why: string) =>
  new GatewayError(
    'GW_UNAUTHENTICATED',
    `${why}; check MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD`,
  )

/** Parses `Basic base64(user:password)`; undefined when the header is another scheme. */
export function parseBasic(header: string): { user: string; password: string } | undefined {
  const space = header.indexOf(' ')
  if (space === -1 || header.slice(0, space).toLowerCase() !== 'basic') return undefined
  const encoded = header.slice(space + 1).trim()
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw unauthenticated('malformed Basic credentials')
  const decoded = Buffer.from(encoded, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon <= 0) throw unauthenticated('malformed Basic credentials')
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

/**
 * `policy` is read on every request, so a changed password, a disabled user or a new token takes
 * effect as soon as the store's view reloads. A password shaped like an API token is checked as
 * one (MLFLOW_TRACKING_PASSWORD=<token>), so scripts using Basic need no change.
 */
export function basicIdentifier(
  policy: () => Policy,
  used: TokenUse = () => undefined,
  now: () => number = Date.now,
): Identifier {
  const cache = new Map<string, Verified>()

  async function check(user: UserRecord | undefined, password: string): Promise<boolean> {
    if (!user || user.passwordHash === null) {
      await verifyPassword(password, DUMMY_HASH)
      return false
    }
    const hash = user.passwordHash
    const key = user.name.toLowerCase()
    const presented = digest(password)
    const hit = cache.get(key)
    if (hit && hit.hash === hash && hit.expires > now() && timingSafeEqual(hit.digest, presented)) {
      return true
    }
    if (!(await verifyPassword(password, hash))) return false
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!)
    cache.set(key, { hash, digest: presented, expires: now() + CACHE_TTL_MS })
    return true
  }

  return async function basic(req: IncomingMessage): Promise<Principal | undefined> {
    const header = req.headers.authorization
    const creds = header === undefined ? undefined : parseBasic(header)
    if (!creds) return undefined
    const current = policy()
    if (creds.password.startsWith(TOKEN_PREFIX)) {
      const principal = principalForToken(current, creds.password, now(), creds.user)
      used(principal.kind === 'user' ? principal.tokenId! : '')
      return principal
    }
    const user = current.users.get(creds.user.toLowerCase())
    // One message for unknown user, disabled user and wrong password: it must not reveal which
    // names exist. A disabled user's password is still checked, so timing tells nothing either.
    if (!(await check(user, creds.password)) || !user || user.disabled)
      throw unauthenticated('wrong username or password')
    return { kind: 'user', name: user.name, groups: user.groups, admin: user.admin, via: 'basic' }
  }
}
