/** filter: answers searches and lists that name no resource with only what the caller may read. */
import type { ServerResponse } from 'node:http'
import type { AuthorizeDeps } from '../authorize/index.js'
import type { Operation } from '../classify/index.js'
import type { Upstream } from '../forward/upstream.js'
import type { Principal } from '../identify/principal.js'
import type { RequestScope } from '../server/scope.js'
import { readableExperimentIds } from '../authorize/readable-ids.js'
import { readableBy } from './item-access.js'
import { idsNamedIn, refusesExperimentIds } from './narrow.js'
import { filteredList, filteredSearch } from './search.js'
import { searchAnswer, type FilteredAnswer, type Item } from './searches.js'
import { UpstreamAnswer } from './upstream-page.js'

export { searchAnswer, SEARCHES, type SearchAnswer } from './searches.js'

export type FilterDeps = AuthorizeDeps & {
  readonly upstream: Upstream
  /** limits.max_search_response_bytes: the most bytes one request reads from MLflow. */
  readonly maxSearchResponseBytes: number
}

/** The table entry when the gateway answers this request itself; admins' searches are forwarded. */
function filteredAnswer(op: Operation, principal: Principal): FilteredAnswer | undefined {
  if (op.ids || (principal.kind === 'user' && principal.admin)) return undefined
  const answer = searchAnswer(op.row?.filter)
  return answer?.how === 'filtered' ? answer : undefined
}

export function isFiltered(op: Operation, principal: Principal): boolean {
  return filteredAnswer(op, principal) !== undefined
}

export async function answerFiltered(
  res: ServerResponse,
  scope: RequestScope,
  op: Operation,
  deps: FilterDeps,
): Promise<void> {
  const principal = scope.principal!
  const answer = filteredAnswer(op, principal)!
  const { collection, item } = answer
  const keep = readableBy(principal, item, deps)
  const narrowTo =
    answer.narrowsByExperimentId && !refusesExperimentIds(deps.upstream)
      ? await readableExperimentIds(
          principal,
          deps.policy,
          deps.owners,
          idsNamedIn(deps.upstream, collection, deps.maxSearchResponseBytes),
        )
      : undefined
  const max = deps.maxSearchResponseBytes
  let status = 200
  let text: string
  try {
    if (collection.paging) {
      const r = await filteredSearch<Item>(
        deps.upstream,
        { ...collection, paging: collection.paging },
        op.message,
        keep,
        max,
        narrowTo,
      )
      text = JSON.stringify({
        [collection.listField]: r.items,
        ...(r.nextPageToken && { next_page_token: r.nextPageToken }),
      })
    } else {
      text = JSON.stringify(await filteredList(deps.upstream, collection, op.message, keep, max))
    }
  } catch (err) {
    if (!(err instanceof UpstreamAnswer)) throw err
    ;({ status, body: text } = err)
  }
  scope.upstreamStatus = status
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-request-id': scope.id,
  })
  res.end(op.method === 'HEAD' ? undefined : text)
}
