/** Pages through a search at the gateway as one caller, checking every page's shape on the way. */
import { expect } from 'vitest'
import { send, type SimpleResponse } from './http.js'
import { basic, type UserName } from './users.js'

export type Caller = 'anonymous' | UserName
export type Item = Record<string, unknown>

export const authAs = (who: Caller): Record<string, string> =>
  who === 'anonymous' ? {} : { authorization: basic(who) }

/** One search request: GET with the terms as a query (lists repeated), or POST with a JSON body. */
export function search(
  base: string,
  who: Caller,
  method: 'GET' | 'POST',
  path: string,
  terms: Record<string, unknown> = {},
): Promise<SimpleResponse> {
  if (method === 'POST') {
    return send(`${base}${path}`, {
      method,
      auth: false,
      headers: { 'content-type': 'application/json', ...authAs(who) },
      body: JSON.stringify(terms),
    })
  }
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(terms))
    for (const x of Array.isArray(v) ? v : [v]) q.append(k, String(x))
  const qs = q.toString()
  return send(`${base}${path}${qs ? `?${qs}` : ''}`, { auth: false, headers: authAs(who) })
}

/**
 * Follows next_page_token to the end. Every page must be a 200 with at most `pageSize` items; only
 * the last page may lack a token (a token on every other page is what makes a short page safe).
 */
export async function pageThrough(
  base: string,
  who: Caller,
  method: 'GET' | 'POST',
  path: string,
  listField: string,
  pageSize: number,
  terms: Record<string, unknown> = {},
): Promise<{ items: Item[]; pages: number }> {
  const items: Item[] = []
  let token: string | undefined
  for (let pages = 1; pages <= 200; pages++) {
    const res = await search(base, who, method, path, {
      ...terms,
      max_results: pageSize,
      ...(token && { page_token: token }),
    })
    expect(res.status, `${who} ${method} ${path}: ${res.body}`).toBe(200)
    const body = JSON.parse(res.body) as Record<string, unknown>
    const page = (body[listField] ?? []) as Item[]
    expect(page.length).toBeLessThanOrEqual(pageSize)
    items.push(...page)
    token = body.next_page_token as string | undefined
    if (!token) return { items, pages }
  }
  throw new Error(`${path}: more than 200 pages`)
}

/** Each key once, and exactly the expected keys (order aside). */
export function expectExactly(got: readonly string[], want: readonly string[], what: string): void {
  expect(new Set(got).size, `${what}: an item was repeated`).toBe(got.length)
  expect([...got].sort(), what).toEqual([...want].sort())
}
