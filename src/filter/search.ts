/** Runs a search against MLflow page by page and keeps only what the caller may read, with continuing page tokens. */
import type { Upstream } from '../forward/upstream.js'
import { GatewayError } from '../server/errors.js'
import { decodeCursor, encodeCursor, type Cursor } from './page-token.js'

/** One searchable collection: where MLflow serves it, the list field, and who may see an item. */
export type Collection = {
  /** MLflow's own route for the search, and whether it takes a JSON body (POST) or a query (GET). */
  readonly path: string
  readonly method: 'GET' | 'POST'
  readonly listField: string
  readonly defaultMaxResults: number
  readonly maxMaxResults: number
}

/**
 * The most MLflow pages one request may read. A caller who may read few of many items gets a
 * short page with a next_page_token (never a short page that looks like the end), and the work per
 * request stays bounded: at most this many MLflow pages of `max_results` items.
 */
export const MAX_UPSTREAM_PAGES = 10

export type SearchResult = { readonly items: unknown[]; readonly nextPageToken: string | undefined }

/** `message` is the caller's search request (as MLflow would read it). */
export async function filteredSearch<T>(
  upstream: Upstream,
  collection: Collection,
  message: Readonly<Record<string, unknown>>,
  mayRead: (item: T) => boolean,
): Promise<SearchResult> {
  const wanted = maxResults(message.max_results, collection)
  let cursor: Cursor = decodeCursor(message.page_token)
  const items: unknown[] = []
  for (let page = 0; page < MAX_UPSTREAM_PAGES; page++) {
    const { list, next } = await fetchPage<T>(
      upstream,
      collection,
      message,
      wanted,
      cursor.upstream,
    )
    for (let i = cursor.skip; i < list.length; i++) {
      if (!mayRead(list[i]!)) continue
      items.push(list[i])
      if (items.length === wanted) {
        const done = i + 1 === list.length && next === undefined
        return {
          items,
          nextPageToken: done
            ? undefined
            : encodeCursor(
                i + 1 === list.length
                  ? { upstream: next, skip: 0 }
                  : { upstream: cursor.upstream, skip: i + 1 },
              ),
        }
      }
    }
    if (next === undefined) return { items, nextPageToken: undefined }
    cursor = { upstream: next, skip: 0 }
  }
  return { items, nextPageToken: encodeCursor(cursor) }
}

function maxResults(value: unknown, c: Collection): number {
  if (value === undefined || value === '') return c.defaultMaxResults
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > c.maxMaxResults) {
    throw new GatewayError(
      'GW_BAD_REQUEST',
      `max_results must be an integer from 1 to ${c.maxMaxResults}`,
    )
  }
  return n
}

/** Asks MLflow for one page with the caller's own search terms (never their page token). */
async function fetchPage<T>(
  upstream: Upstream,
  c: Collection,
  message: Readonly<Record<string, unknown>>,
  maxResults: number,
  pageToken: string | undefined,
): Promise<{ list: T[]; next: string | undefined }> {
  const terms: Record<string, unknown> = {
    ...message,
    max_results: maxResults,
    page_token: pageToken,
  }
  let res
  try {
    res = await upstream.pool.request({
      method: c.method,
      path: upstream.basePath + c.path + (c.method === 'GET' ? toQuery(terms) : ''),
      headers: {
        host: upstream.hostHeader,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      ...(c.method === 'POST' && { body: JSON.stringify(asJsonMessage(terms)) }),
    })
  } catch (err) {
    throw new GatewayError(
      'GW_UPSTREAM_UNAVAILABLE',
      `MLflow at ${upstream.origin} is not reachable`,
      { cause: err },
    )
  }
  const text = await res.body.text()
  if (res.statusCode !== 200) throw new UpstreamAnswer(res.statusCode, text)
  let json: Record<string, unknown>
  try {
    json = JSON.parse(text) as Record<string, unknown>
  } catch (err) {
    throw new GatewayError('GW_UPSTREAM_BAD_RESPONSE', `MLflow sent malformed JSON for ${c.path}`, {
      cause: err,
    })
  }
  const list = json[c.listField] ?? []
  if (!Array.isArray(list))
    throw new GatewayError('GW_UPSTREAM_BAD_RESPONSE', `MLflow's ${c.listField} is not a list`)
  const next =
    typeof json.next_page_token === 'string' && json.next_page_token !== ''
      ? json.next_page_token
      : undefined
  return { list: list as T[], next }
}

/** MLflow refused the search itself (a bad filter string, say): its answer goes back as it is. */
export class UpstreamAnswer extends Error {
  readonly status: number
  readonly body: string
  constructor(status: number, body: string) {
    super(`MLflow answered ${status}`)
    this.status = status
    this.body = body
  }
}

/** The caller's terms as a query string (lists as repeated parameters, as MLflow reads them). */
function toQuery(terms: Record<string, unknown>): string {
  const q = new URLSearchParams()
  for (const [key, value] of Object.entries(terms)) {
    if (value === undefined || value === null) continue
    for (const v of Array.isArray(value) ? value : [value]) q.append(key, String(v))
  }
  const text = q.toString()
  return text ? `?${text}` : ''
}

/** A GET's query gives single values as strings; MLflow's JSON wants order_by as a list. */
function asJsonMessage(terms: Record<string, unknown>): Record<string, unknown> {
  const orderBy = terms.order_by
  return typeof orderBy === 'string' ? { ...terms, order_by: [orderBy] } : terms
}
