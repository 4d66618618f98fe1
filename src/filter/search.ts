/** Runs a search against MLflow page by page and keeps only what the caller may read, with continuing page tokens. */
import type { Upstream } from '../forward/upstream.js'
import { GatewayError } from '../server/errors.js'
import { decodeCursor, encodeCursor, type Cursor } from './page-token.js'
import { markRefusesExperimentIds, withExperimentIds } from './narrow.js'
import { fetchPage, PageTooLarge, UpstreamAnswer, type Source } from './upstream-page.js'

/** How MLflow pages a list with `max_results` and `page_token`. */
export type Paging = { readonly defaultMaxResults: number; readonly maxMaxResults: number }

/** A list the gateway answers itself: where MLflow serves it and, if it pages, how. */
export type Collection = Source & {
  /** Absent when one MLflow answer holds the whole list (scorers, gateway endpoints). */
  readonly paging?: Paging
}

/** Which items of one MLflow page the caller may read, in the page's order. */
export type Keep<T> = (page: readonly T[]) => Promise<readonly boolean[]>

/**
 * The most MLflow pages one request may read. A caller who may read few of many items gets a
 * short page with a next_page_token (never a short page that looks like the end), and the work per
 * request stays bounded: at most this many MLflow pages of `max_results` items, and at most
 * `limits.max_search_response_bytes` bytes read from MLflow in all.
 */
export const MAX_UPSTREAM_PAGES = 10

export type SearchResult = { readonly items: unknown[]; readonly nextPageToken: string | undefined }

/**
 * `message` is the caller's search request (as MLflow would read it). `narrowTo`: every
 * experiment the caller may read, when that is a short list of ids (authorize/readable-ids.ts);
 * MLflow is then asked for just those, and each item is still decided.
 */
export async function filteredSearch<T>(
  upstream: Upstream,
  collection: Collection & { readonly paging: Paging },
  message: Readonly<Record<string, unknown>>,
  keep: Keep<T>,
  maxBytes: number,
  narrowTo?: readonly string[],
): Promise<SearchResult> {
  const { wanted, pageToken, terms } = controls(message, collection.paging)
  const search = (t: Readonly<Record<string, unknown>>) =>
    readPages(upstream, collection, t, wanted, decodeCursor(pageToken), keep, maxBytes)
  const narrowed = narrowTo && withExperimentIds(upstream, terms, narrowTo)
  if (!narrowed) return search(terms)
  try {
    return await search(narrowed)
  } catch (err) {
    if (!(err instanceof UpstreamAnswer) || err.status !== 400) throw err
    // MLflow 2.x has no experiment_id in its search grammar. If the caller's own search goes
    // through, the clause was what MLflow refused: never send it to this MLflow again.
    const result = await search(terms)
    markRefusesExperimentIds(upstream)
    return result
  }
}

/** Reads MLflow pages from `cursor` until `wanted` readable items, MLflow's end, or a bound. */
async function readPages<T>(
  upstream: Upstream,
  collection: Collection,
  terms: Readonly<Record<string, unknown>>,
  wanted: number,
  start: Cursor,
  keep: Keep<T>,
  maxBytes: number,
): Promise<SearchResult> {
  let cursor = start
  let budget = maxBytes
  const items: unknown[] = []
  for (let page = 0; page < MAX_UPSTREAM_PAGES; page++) {
    const got = await fetchWithin<T>(
      upstream,
      collection,
      { ...terms, max_results: wanted, page_token: cursor.upstream },
      budget,
    )
    // The bytes for this request are spent: stop before this page, which the next request reads.
    if (!got)
      return page === 0 ? tooLarge(maxBytes) : { items, nextPageToken: encodeCursor(cursor) }
    budget -= got.bytes
    const { list, next } = got
    const readable = await keep(list.slice(cursor.skip))
    for (let i = cursor.skip; i < list.length; i++) {
      if (!readable[i - cursor.skip]) continue
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

/**
 * A list MLflow answers in one piece: its answer with the list trimmed to what the caller may
 * read. A page token in it could only lead to more of the same answer, so none is passed on.
 */
export async function filteredList<T>(
  upstream: Upstream,
  collection: Collection,
  message: Readonly<Record<string, unknown>>,
  keep: Keep<T>,
  maxBytes: number,
): Promise<Record<string, unknown>> {
  const got = await fetchWithin<T>(upstream, collection, message, maxBytes)
  if (!got) return tooLarge(maxBytes)
  const readable = await keep(got.list)
  const { next_page_token: _dropped, ...rest } = got.json
  return { ...rest, [collection.listField]: got.list.filter((_, i) => readable[i]) }
}

async function fetchWithin<T>(
  upstream: Upstream,
  source: Source,
  terms: Readonly<Record<string, unknown>>,
  budget: number,
) {
  try {
    return await fetchPage<T>(upstream, source, terms, budget)
  } catch (err) {
    if (err instanceof PageTooLarge) return undefined
    throw err
  }
}

function tooLarge(maxBytes: number): never {
  throw new GatewayError(
    'GW_SEARCH_TOO_LARGE',
    `MLflow's answer to this search is larger than limits.max_search_response_bytes (${maxBytes} bytes), so it cannot be filtered: ask for fewer max_results or narrow the search`,
  )
}

/**
 * The paging fields the gateway sets itself, read as MLflow would (snake_case or lowerCamelCase,
 * mlflow/server/handlers.py _reject_conflicting_field_aliases refuses both), and the caller's
 * other terms, which go to MLflow unchanged.
 */
function controls(message: Readonly<Record<string, unknown>>, paging: Paging) {
  const {
    max_results: maxA,
    maxResults: maxB,
    page_token: tokenA,
    pageToken: tokenB,
    ...terms
  } = message
  return {
    wanted: maxResults(oneOf('max_results', maxA, maxB), paging),
    pageToken: oneOf('page_token', tokenA, tokenB),
    terms,
  }
}

function oneOf(name: string, snake: unknown, camel: unknown): unknown {
  if (snake !== undefined && camel !== undefined)
    throw new GatewayError('GW_BAD_REQUEST', `${name} is given twice (snake_case and camelCase)`)
  return snake ?? camel
}

function maxResults(value: unknown, p: Paging): number {
  if (value === undefined || value === '') return p.defaultMaxResults
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > p.maxMaxResults) {
    throw new GatewayError(
      'GW_BAD_REQUEST',
      `max_results must be an integer from 1 to ${p.maxMaxResults}`,
    )
  }
  return n
}
