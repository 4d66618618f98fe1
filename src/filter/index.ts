/** filter: answers searches that name no resource with only what the caller may read. */
import type { ServerResponse } from 'node:http'
import { decide } from '../authorize/decide.js'
import type { AuthorizeDeps } from '../authorize/index.js'
import type { Operation } from '../classify/index.js'
import type { Upstream } from '../forward/upstream.js'
import type { Principal } from '../identify/principal.js'
import type { RequestScope } from '../server/scope.js'
import { filteredSearch, UpstreamAnswer, type Collection } from './search.js'

type Experiment = { experiment_id?: unknown; name?: unknown }

/** The searches filtered so far, by the catalogue row's `filter` name (mlflow/server/handlers.py). */
const COLLECTIONS: Record<string, Collection> = {
  // _search_experiments: SearchExperiments defaults to 1000 results, and MLflow caps it at 50,000.
  experiments: {
    path: '/api/2.0/mlflow/experiments/search',
    listField: 'experiments',
    defaultMaxResults: 1000,
    maxMaxResults: 50_000,
  },
}

/** Whether the gateway answers this search itself; admins see everything, so theirs is forwarded. */
export function isFiltered(op: Operation, principal: Principal): boolean {
  const name = op.row?.filter
  return (
    !op.ids &&
    name !== undefined &&
    name in COLLECTIONS &&
    !(principal.kind === 'user' && principal.admin)
  )
}

/** The filter names this module answers, for authorize() to allow them to every caller. */
export const FILTERED = new Set(Object.keys(COLLECTIONS))

export async function answerFiltered(
  res: ServerResponse,
  scope: RequestScope,
  op: Operation,
  deps: AuthorizeDeps & { upstream: Upstream },
): Promise<void> {
  const collection = COLLECTIONS[op.row!.filter!]!
  const principal = scope.principal!
  const mayRead = (e: Experiment) =>
    typeof e.experiment_id === 'string' &&
    typeof e.name === 'string' &&
    decide(
      principal,
      'read',
      [{ kind: 'experiment', id: e.experiment_id, name: e.name }],
      deps.policy,
      deps.owners,
    ).allow
  let status = 200
  let text: string
  try {
    const result = await filteredSearch<Experiment>(deps.upstream, collection, op.message, mayRead)
    text = JSON.stringify({
      [collection.listField]: result.items,
      ...(result.nextPageToken && { next_page_token: result.nextPageToken }),
    })
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
