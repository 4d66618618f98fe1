/** Drives the gateway's admin and account pages over HTTP in tests: sign in for a session cookie, post forms as a browser would, read the flash message. */
import { send, type SimpleResponse } from './http.js'
import { USERS, type UserName } from './users.js'

/** A session cookie (`name=value`), Basic credentials, or nothing. */
export type Who = { cookie: string } | { basic: UserName } | 'nobody'

function credentials(who: Who): Record<string, string> {
  if (who === 'nobody') return {}
  if ('cookie' in who) return { cookie: who.cookie }
  const { password } = USERS[who.basic]
  return {
    authorization: `Basic ${Buffer.from(`${who.basic}:${password}`).toString('base64')}`,
  }
}

/** The `name=value` part of the first Set-Cookie header named `name`. */
export function setCookie(res: SimpleResponse, name: string): string | undefined {
  const all = res.headers['set-cookie'] ?? []
  return all.map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${name}=`))
}

export async function signIn(base: string, user: UserName, password?: string): Promise<string> {
  const res = await send(base, {
    method: 'POST',
    path: '/_gate/login',
    auth: false,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'sec-fetch-site': 'same-origin',
    },
    body: new URLSearchParams({
      username: user,
      password: password ?? USERS[user].password,
    }).toString(),
  })
  const cookie = setCookie(res, 'mlflow-gate-session')
  if (res.status !== 303 || !cookie) throw new Error(`sign-in of ${user} failed: ${res.status}`)
  return cookie
}

export function getPage(
  base: string,
  path: string,
  who: Who,
  headers: Record<string, string> = {},
) {
  return send(base, { path, auth: false, headers: { ...credentials(who), ...headers } })
}

/** A form post as a browser on the gateway's own page sends it, unless `headers` say otherwise (an empty value leaves a header out). */
export function postForm(
  base: string,
  path: string,
  who: Who,
  fields: Record<string, string> = {},
  headers: Record<string, string> = {},
) {
  return send(base, {
    method: 'POST',
    path,
    auth: false,
    headers: Object.fromEntries(
      Object.entries({
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'same-origin',
        ...credentials(who),
        ...headers,
      }).filter(([, v]) => v !== ''),
    ),
    body: new URLSearchParams(fields).toString(),
  })
}

/** The flash message a redirect carries (`{kind, text}`), read as the next page would. */
export function flashOf(res: SimpleResponse): { kind: string; text: string } | undefined {
  const cookie = setCookie(res, 'mlflow-gate-flash')
  const value = cookie?.slice('mlflow-gate-flash='.length)
  return value ? JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) : undefined
}

/** Follows a POST's redirect with the flash cookie, as a browser does; returns the page shown. */
export async function postAndFollow(
  base: string,
  path: string,
  who: Who,
  fields: Record<string, string> = {},
): Promise<{ post: SimpleResponse; page: SimpleResponse }> {
  const post = await postForm(base, path, who, fields)
  if (post.status !== 303) return { post, page: post }
  // A new password comes with a fresh session for the browser that set it.
  const session = setCookie(post, 'mlflow-gate-session')
  const next: Who = session && who !== 'nobody' && 'cookie' in who ? { cookie: session } : who
  const headers = credentials(next)
  const flash = setCookie(post, 'mlflow-gate-flash')
  if (flash) headers.cookie = [headers.cookie, flash].filter(Boolean).join('; ')
  const page = await send(base, { path: String(post.headers.location), auth: false, headers })
  return { post, page }
}
