/** An admin or account page as data: method, path, who may open it, and a handler that renders a page or redirects. */
import type { IncomingMessage } from 'node:http'
import type { AdminCall } from '../../admin/audit.js'
import type { AdminDeps, Caller } from '../../admin/route.js'
import type { Sessions } from '../../identify/session.js'
import type { Flash } from './flash.js'

export const ADMIN_PREFIX = '/_gate/admin'
export const ACCOUNT_PREFIX = '/_gate/account'

/** What the pages read and change: the admin API's dependencies plus sessions and cookie settings. */
export type PageDeps = AdminDeps & {
  readonly sessions: Sessions
  /** The origin form posts must come from, when known (listen.public_url). */
  readonly publicOrigin: string | undefined
  /** Over TLS the flash cookie is `Secure`. */
  readonly secureCookies: boolean
}

export type PageContext = {
  readonly caller: Caller
  readonly params: Readonly<Record<string, string>>
  readonly query: Readonly<Record<string, string>>
  /** The posted form's fields (`application/x-www-form-urlencoded`); empty for GET. */
  readonly form: Readonly<Record<string, string>>
  /** The message left by the POST that redirected here, shown once. */
  readonly flash: Flash | undefined
  /** The page's own path and query, for the navigation and for `next=`. */
  readonly url: string
  readonly req: IncomingMessage
  readonly deps: PageDeps
  /** What the audit event of this request records; a refused change sets `error`. */
  readonly call: AdminCall
}

export type PageResult =
  | { readonly kind: 'page'; readonly status?: number; readonly html: string }
  | {
      readonly kind: 'redirect'
      readonly to: string
      readonly flash?: Flash
      /** Extra Set-Cookie values (a fresh session after one's own new password). */
      readonly cookies?: readonly string[]
    }

export type PageRoute = {
  readonly method: 'GET' | 'POST'
  /** Below the section's prefix, in Fastify's syntax (`/users/:name`). */
  readonly path: string
  /** `admin`: gateway admins only; `self`: any signed-in user, on their own account. */
  readonly access: 'admin' | 'self'
  handler(ctx: PageContext): Promise<PageResult>
}

export const pageResult = (html: string, status = 200): PageResult => ({
  kind: 'page',
  status,
  html,
})

export const redirect = (to: string, flash?: Flash): PageResult => ({ kind: 'redirect', to, flash })
