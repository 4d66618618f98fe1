/** Calls the gateway's admin API in tests: JSON in, parsed JSON out, as whoever the credentials say. */
import { send } from './http.js'
import { USERS, type UserName } from './users.js'

/** A test user by name, a name and password, a Bearer token, or nothing at all. */
export type As = UserName | { user: string; password: string } | { bearer: string } | 'nobody'

export function authorization(as: As): string | undefined {
  if (as === 'nobody') return undefined
  if (typeof as === 'string') return authorization({ user: as, password: USERS[as].password })
  if ('bearer' in as) return `Bearer ${as.bearer}`
  return `Basic ${Buffer.from(`${as.user}:${as.password}`).toString('base64')}`
}

export type ApiResponse<T> = {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** The parsed JSON body; undefined for an empty one. */
  body: T
}

// Answers are JSON of many shapes; tests read fields freely and assert on them.
type Json = any

/** `path` is below /_gate/api/v1. The default caller is the admin. */
export async function api<T = Json>(
  base: { url: string },
  method: string,
  path: string,
  opts: { body?: unknown; as?: As; raw?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const auth = authorization(opts.as ?? 'admin')
  const text = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body))
  const res = await send(`${base.url}/_gate/api/v1${path}`, {
    method,
    auth: false,
    headers: {
      ...(auth && { authorization: auth }),
      ...(text !== undefined && { 'content-type': 'application/json' }),
      ...opts.headers,
    },
    ...(text !== undefined && { body: text }),
  })
  return {
    status: res.status,
    headers: res.headers,
    body: (res.body === '' ? undefined : JSON.parse(res.body)) as T,
  }
}

/** Calls `read` until `done` holds for its answer (audit events reach the store in batches). */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await read()
    if (done(value) || Date.now() > deadline) return value
    await new Promise((r) => setTimeout(r, 100))
  }
}
