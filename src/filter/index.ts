/** filter: answers searches that name no resource with only what the caller may read. */
import type { ServerResponse } from 'node:http'
import { decide, type Target } from '../authorize/decide.js'
import type { AuthorizeDeps } from '../authorize/index.js'
import type { Operation } from '../classify/index.js'
import type { Upstream } from '../forward/upstream.js'
import type { Principal } from '../identify/principal.js'
import type { RequestScope } from '../server/scope.js'
import { filteredSearch, UpstreamAnswer, type Collection } from './search.js'

type Item = Record<string, unknown>

/** A searchable collection and what each of its items is, for decide(). */
type Filtered = Collection & { readonly target: (item: Item) => Target | undefined }

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined)
const modelNamed = (item: Item): Target | undefined => {
  const name = str(item.name)
  return name === undefined ? undefined : { kind: 'registered-model', name }
}

/** The searches filtered so far, by the catalogue row's `filter` name (mlflow/server/handlers.py). */
const COLLECTIONS: Record<string, Filtered> = {
  // _search_experiments: SearchExperiments defaults to 1000 results; MLflow caps it at 50,000.
  experiments: {
    path: '/api/2.0/mlflow/experiments/search',
    method: 'POST',
    listField: 'experiments',
    defaultMaxResults: 1000,
    maxMaxResults: 50_000,
    target: (item) => {
      const id = str(item.experiment_id)
      const name = str(item.name)
      return id === undefined || name === undefined ? undefined : { kind: 'experiment', id, name }
    },
  },
  // _search_registered_models (GET only): default 100, at most 1000
  // (mlflow/store/model_registry/__init__.py). Prompts are registered models too.
  'registered-models': {
    path: '/api/2.0/mlflow/registered-models/search',
    method: 'GET',
    listField: 'registered_models',
    defaultMaxResults: 100,
    maxMaxResults: 1000,
    target: modelNamed,
  },
  // _search_model_versions (GET only): default 10,000, at most 200,000; a version belongs to the
  // registered model it names.
  'model-versions': {
    path: '/api/2.0/mlflow/model-versions/search',
    method: 'GET',
    listField: 'model_versions',
    defaultMaxResults: 10_000,
    maxMaxResults: 200_000,
    target: modelNamed,
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
  const mayRead = (item: Item) => {
    const target = collection.target(item)
    return (
      target !== undefined && decide(principal, 'read', [target], deps.policy, deps.owners).allow
    )
  }
  let status = 200
  let text: string
  try {
    const result = await filteredSearch<Item>(deps.upstream, collection, op.message, mayRead)
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
