/** HTTP Basic identification (RFC 7617), as the MLflow client sends MLFLOW_TRACKING_USERNAME/PASSWORD. */
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Policy, UserRecord } from '../authorize/policy.js'
import { GatewayError } from '../server/errors.js'
import type { Identifier } from './index.js'
import { digest, hashPassword, needsRehash, verifyPassword } from './password.js'
import type { Principal } from './principal.js'
import { principalForToken, type TokenUse } from './token.js'
import type { AccessStore } from '../storage/access/index.js'
import { TOKEN_PREFIX } from '../storage/access/tokens.js'
import { replacePasswordHash } from '../storage/access/users.js'

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

type CacheEntry = { readonly hash: string; readonly digest: Buffer; readonly expires: number }

/** Told after a password was checked against its stored hash (not on cache hits). */
export type Verified = (user: UserRecord, password: string) => void

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
  verified: Verified = () => undefined,
): Identifier {
  const cache = new Map<string, CacheEntry>()

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
    verified(user, password)
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

/**
 * Upgrades a password hash in an older format (pbkdf2 imported from MLflow's auth, say) to the
 * current scrypt default after a successful sign-in, when the password is at hand: Werkzeug's
 * check_password_hash accepts both, but pbkdf2 is the weaker. Runs after the request, through
 * access.change; a hash changed meanwhile is never overwritten. Hashes the config file gave are
 * left as they are (the file owns them; `config_password_hash` records which). Each user and old
 * hash is tried once per process.
 */
export function passwordRehasher(access: AccessStore, onError: (err: unknown) => void): Verified {
  const tried = new Set<string>()
  return (user, password) => {
    const old = user.passwordHash
    if (old === null || !needsRehash(old)) return
    const key = `${user.name.toLowerCase()}\u0000${old}`
    if (tried.has(key)) return
    if (tried.size >= CACHE_MAX) tried.clear()
    tried.add(key)
    void rehash(access, user.name, password, old).catch(onError)
  }
}

async function rehash(access: AccessStore, name: string, password: string, old: string) {
  const row = await access.db
    .selectFrom('users')
    .select(['password_hash', 'config_password_hash'])
    .where('name_key', '=', name.toLowerCase())
    .executeTakeFirst()
  if (!row || row.password_hash !== old || row.config_password_hash === old) return
  const next = await hashPassword(password)
  await access.change((trx) => replacePasswordHash(trx, name, old, next))
}
