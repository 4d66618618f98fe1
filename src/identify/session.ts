/** Browser sessions: the cookie set at sign-in identifies its user, with idle and absolute ends and a same-site check on writes. */
import type { IncomingMessage } from 'node:http'
import type { Logger } from 'pino'
import type { Policy } from '../authorize/policy.js'
import { GatewayError } from '../server/errors.js'
import type { AccessStore } from '../storage/access/index.js'
import {
  createSession,
  deleteSession,
  findSession,
  hashSessionId,
  touchSessions,
  type SessionRow,
} from '../storage/access/sessions.js'
import type { Identifier } from './index.js'
import type { Principal } from './principal.js'

export type SessionSettings = {
  readonly idleMs: number
  readonly absoluteMs: number
  /** Over TLS: the cookie is `Secure` and named with the `__Host-` prefix (RFC 6265bis 4.1.3.2). */
  readonly secure: boolean
  /** The origin state-changing requests must come from, when known (listen.public_url). */
  readonly publicOrigin: string | undefined
}

export type Sessions = {
  readonly cookieName: string
  readonly identifier: Identifier
  /** Starts a fresh session (a new id every time) and returns the Set-Cookie value. */
  signIn(user: string, req: IncomingMessage): Promise<string>
  /** Ends the request's session, if any, and returns the Set-Cookie value that clears it. */
  signOut(req: IncomingMessage): Promise<string>
  close(): Promise<void>
}

/** How long a looked-up session is trusted before asking the store again (sign-out elsewhere). */
const CACHE_MS = 5_000
const TOUCH_FLUSH_MS = 30_000
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

type Cached = { row: SessionRow | undefined; fetchedAt: number; revision: number }

export function createSessions(
  access: AccessStore,
  policy: () => Policy,
  settings: SessionSettings,
  log: Logger,
  now: () => number = Date.now,
): Sessions {
  const cookieName = settings.secure ? '__Host-mlflow-gate-session' : 'mlflow-gate-session'
  const attributes = `Path=/; HttpOnly; SameSite=Lax${settings.secure ? '; Secure' : ''}`
  const cache = new Map<string, Cached>()
  const seen = new Map<string, number>()

  async function lookup(idHash: string): Promise<SessionRow | undefined> {
    const hit = cache.get(idHash)
    // A change to access (a user disabled, a password changed) moves the revision: look again.
    if (hit && now() - hit.fetchedAt < CACHE_MS && hit.revision === policy().revision)
      return hit.row
    const row = await findSession(access.db, idHash)
    if (cache.size > 50_000) cache.clear()
    cache.set(idHash, { row, fetchedAt: now(), revision: policy().revision })
    return row
  }

  const flush = async () => {
    if (seen.size === 0) return
    const batch = new Map(seen)
    seen.clear()
    await touchSessions(access.db, batch).catch((err: unknown) =>
      log.warn({ err }, 'could not record session activity'),
    )
  }
  const timer = setInterval(() => void flush(), TOUCH_FLUSH_MS)
  timer.unref()

  async function identifier(req: IncomingMessage): Promise<Principal | undefined> {
    const id = readCookie(req.headers.cookie, cookieName)
    if (id === undefined) return undefined
    const idHash = hashSessionId(id)
    const row = await lookup(idHash)
    const t = now()
    const lastSeen = Math.max(row?.lastSeenAt ?? 0, seen.get(idHash) ?? 0)
    const user = row && policy().users.get(row.user)
    // An ended, expired or unknown session is no credential at all: the browser is a visitor.
    if (!row || !user || user.disabled || t >= row.expiresAt || t - lastSeen >= settings.idleMs)
      return undefined
    checkSameSite(req, settings.publicOrigin)
    seen.set(idHash, t)
    return { kind: 'user', name: user.name, groups: user.groups, admin: user.admin, via: 'session' }
  }

  return {
    cookieName,
    identifier,
    async signIn(user, req) {
      const old = readCookie(req.headers.cookie, cookieName)
      // Session fixation: the id a browser had before signing in is never kept (OWASP).
      if (old !== undefined) await deleteSession(access.db, hashSessionId(old))
      const { id } = await createSession(access.db, {
        user,
        absoluteMs: settings.absoluteMs,
        client: req.socket.remoteAddress ?? '',
        userAgent: req.headers['user-agent'],
      })
      return `${cookieName}=${id}; ${attributes}; Max-Age=${Math.floor(settings.absoluteMs / 1000)}`
    },
    async signOut(req) {
      const id = readCookie(req.headers.cookie, cookieName)
      if (id !== undefined) {
        const idHash = hashSessionId(id)
        await deleteSession(access.db, idHash)
        cache.delete(idHash)
        seen.delete(idHash)
      }
      return `${cookieName}=; ${attributes}; Max-Age=0`
    },
    async close() {
      clearInterval(timer)
      await flush()
    },
  }
}

/**
 * A write authenticated only by a cookie must come from this site: browsers send
 * `Sec-Fetch-Site` (Fetch Metadata) and `Origin` on cross-site requests, and the cookie's
 * SameSite=Lax already keeps it off cross-site POSTs; this refuses what gets through anyway
 * (same-site subdomains, old browsers) rather than trusting the cookie.
 */
export function checkSameSite(req: IncomingMessage, publicOrigin: string | undefined): void {
  if (SAFE_METHODS.has(req.method ?? 'GET')) return
  const site = req.headers['sec-fetch-site']
  const origin = req.headers.origin
  const ok =
    site !== undefined
      ? site === 'same-origin' || site === 'none'
      : origin === undefined || sameOrigin(origin, publicOrigin, req.headers.host)
  if (!ok) {
    throw new GatewayError(
      'GW_CROSS_SITE',
      'a request signed in by a browser session must come from this site (cross-site request refused)',
    )
  }
}

/** With a configured public URL the origin must be exactly it; else its host must be the Host. */
function sameOrigin(origin: string, publicOrigin: string | undefined, host: string | undefined) {
  if (publicOrigin !== undefined) return origin === publicOrigin
  return URL.canParse(origin) && new URL(origin).host === host
}

/** The value of one cookie (RFC 6265 section 5.4 Cookie header: `a=b; c=d`). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}
