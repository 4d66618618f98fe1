/** Asks MLflow for one page of a search or list and reads its answer within a byte budget. */
import type { Dispatcher } from 'undici'
import { toUpstreamError } from '../forward/translate-error.js'
import { AnswerTooLarge, readBounded } from '../forward/read-bounded.js'
import type { Upstream } from '../forward/upstream.js'
import { GatewayError } from '../server/errors.js'

/** Where MLflow serves a list, and the field of its answer that holds the items. */
export type Source = {
  /** MLflow's own route, and whether it takes a JSON body (POST) or a query (GET). */
  readonly path: string
  readonly method: 'GET' | 'POST'
  readonly listField: string
}

export type Page<T> = {
  readonly list: T[]
  /** MLflow's token for the next page; undefined on its last page. */
  readonly next: string | undefined
  /** MLflow's whole answer, for the fields beside the list (`object` in an OpenAI model list). */
  readonly json: Readonly<Record<string, unknown>>
  readonly bytes: number
}

/** MLflow's answer was larger than the bytes left for this request: it is never passed on. */
export class PageTooLarge extends Error {
  readonly limit: number
  constructor(limit: number) {
    super(`MLflow's answer is larger than ${limit} bytes`)
    this.limit = limit
  }
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

/** `terms` are the search terms as MLflow reads them; the page holds at most `maxBytes` bytes. */
export async function fetchPage<T>(
  upstream: Upstream,
  source: Source,
  terms: Readonly<Record<string, unknown>>,
  maxBytes: number,
): Promise<Page<T>> {
  let res: Dispatcher.ResponseData
  try {
    res = await upstream.pool.request({
      method: source.method,
      path: upstream.basePath + source.path + (source.method === 'GET' ? toQuery(terms) : ''),
      headers: {
        host: upstream.hostHeader,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      ...(source.method === 'POST' && { body: JSON.stringify(asJsonMessage(terms)) }),
    })
  } catch (err) {
    throw toUpstreamError(err, upstream)
  }
  let body: Buffer
  try {
    body = await readBounded(res, maxBytes)
  } catch (err) {
    throw err instanceof AnswerTooLarge
      ? new PageTooLarge(maxBytes)
      : toUpstreamError(err, upstream)
  }
  const text = body.toString('utf8')
  const bytes = body.length
  if (res.statusCode !== 200) throw new UpstreamAnswer(res.statusCode, text)
  const json = parseObject(text, source.path)
  const list = json[source.listField] ?? []
  if (!Array.isArray(list))
    throw new GatewayError('GW_UPSTREAM_BAD_RESPONSE', `MLflow's ${source.listField} is not a list`)
  const next =
    typeof json.next_page_token === 'string' && json.next_page_token !== ''
      ? json.next_page_token
      : undefined
  return { list: list as T[], next, json, bytes }
}

function parseObject(text: string, path: string): Record<string, unknown> {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new GatewayError('GW_UPSTREAM_BAD_RESPONSE', `MLflow sent malformed JSON for ${path}`, {
      cause: err,
    })
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new GatewayError('GW_UPSTREAM_BAD_RESPONSE', `MLflow's answer for ${path} is no object`)
  return json as Record<string, unknown>
}

/** The terms as a query string (lists as repeated parameters, as MLflow reads them). */
function toQuery(terms: Readonly<Record<string, unknown>>): string {
  const q = new URLSearchParams()
  for (const [key, value] of Object.entries(terms)) {
    if (value === undefined || value === null) continue
    for (const v of Array.isArray(value) ? value : [value]) q.append(key, String(v))
  }
  const text = q.toString()
  return text ? `?${text}` : ''
}

/** A GET's query gives single values as strings; MLflow's JSON wants order_by as a list. */
function asJsonMessage(terms: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const orderBy = terms.order_by
  return typeof orderBy === 'string' ? { ...terms, order_by: [orderBy] } : terms
}
