/** The one table of searches and lists: for each catalogue `filter` name, how the gateway makes its answer safe. */
import type { Target } from '../authorize/decide.js'
import type { Collection } from './search.js'

export type Item = Record<string, unknown>

/** An experiment known only by its id: the filter looks its name up before deciding. */
export type ExperimentRef = { readonly kind: 'experiment-id'; readonly id: string }

/** What one item of a list is, for decide(); undefined when no grant can name it (admins only). */
export type ItemOf = (item: Item) => Target | ExperimentRef | undefined

export type SearchAnswer =
  /**
   * The gateway asks MLflow (page by page when it pages) and keeps the items the caller may read.
   * `names`: experiment ids the request itself names; each is decided first, like any request.
   */
  | {
      readonly how: 'filtered'
      readonly collection: Collection
      readonly item: ItemOf
      readonly names?: (message: Readonly<Record<string, unknown>>) => readonly string[]
      /**
       * MLflow's `filter` for this search takes `experiment_id IN (...)`: when the caller's
       * readable experiments are a short list of ids, the gateway adds it (filter/narrow.ts).
       */
      readonly narrowsByExperimentId?: true
    }
  /**
   * The row's resource is the experiments the search is scoped to: every one is decided and one
   * unreadable denies the request. MLflow's answer holds only items of those experiments, so it
   * is forwarded. Naming none is refused by classify (400), because then MLflow searches more.
   */
  | { readonly how: 'named' }
  /** Decided field by field where the request is read (GraphQL, filter/graphql/). */
  | { readonly how: 'fields' }
  /** The row is for gateway admins only (its action says so). */
  | { readonly how: 'admins' }
  /** Items are no resource grants name; the row's own action decides, and MLflow's list is forwarded. */
  | { readonly how: 'forwarded' }

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined)
const ids = (v: unknown): string[] =>
  (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x !== '')

const experiment: ItemOf = (item) => {
  const id = str(item.experiment_id)
  const name = str(item.name)
  return id === undefined || name === undefined ? undefined : { kind: 'experiment', id, name }
}
const modelNamed: ItemOf = (item) => {
  const name = str(item.name)
  return name === undefined ? undefined : { kind: 'registered-model', name }
}
/** A scorer carries its experiment's id as a number (ProtoScorer.experiment_id is int32). */
const scorerExperiment: ItemOf = (item) => {
  const id = item.experiment_id
  return typeof id === 'number' || str(id) !== undefined
    ? { kind: 'experiment-id', id: String(id) }
    : undefined
}
/** Grants cannot name gateway endpoints yet: no item is readable but to admins. */
const nobody: ItemOf = () => undefined

/** Lists of gateway endpoints: MLflow answers each in one piece; non-admins get them empty. */
const endpoints = (collection: Collection): SearchAnswer => ({
  how: 'filtered',
  collection,
  item: nobody,
})

/** By the `filter` name of the catalogue rows (src/classify/rows/); each cites MLflow 3.18.0. */
export const SEARCHES: Readonly<Record<string, SearchAnswer>> = {
  // handlers.py _search_experiments: default 1000 results, at most 50,000.
  experiments: {
    how: 'filtered',
    collection: {
      path: '/api/2.0/mlflow/experiments/search',
      method: 'POST',
      listField: 'experiments',
      paging: { defaultMaxResults: 1000, maxMaxResults: 50_000 },
    },
    item: experiment,
    // utils/search_utils.py SearchExperimentsUtils: experiment_id is a search key with IN since
    // MLflow 3; 2.x refuses it, and the gateway then searches without it.
    narrowsByExperimentId: true,
  },
  // _search_registered_models (GET only): default 100, at most 1000
  // (mlflow/store/model_registry/__init__.py). Prompts are registered models tagged
  // `mlflow.prompt.is_prompt`, searched here with that tag in the filter.
  'registered-models': {
    how: 'filtered',
    collection: {
      path: '/api/2.0/mlflow/registered-models/search',
      method: 'GET',
      listField: 'registered_models',
      paging: { defaultMaxResults: 100, maxMaxResults: 1000 },
    },
    item: modelNamed,
  },
  // _search_model_versions (GET only): default 10,000, at most 200,000; a version belongs to the
  // registered model it names.
  'model-versions': {
    how: 'filtered',
    collection: {
      path: '/api/2.0/mlflow/model-versions/search',
      method: 'GET',
      listField: 'model_versions',
      paging: { defaultMaxResults: 10_000, maxMaxResults: 200_000 },
    },
    item: modelNamed,
  },
  // _list_scorers: `experiment_id`, `experiment_ids`, or neither (every active experiment, via
  // _search_active_experiment_ids); one unpaged answer. Named experiments are decided first; the
  // answer is filtered by each scorer's experiment in every form. A GET's query is read by proto
  // field name only (_get_request_message), so only snake_case spellings name anything.
  scorers: {
    how: 'filtered',
    collection: { path: '/api/3.0/mlflow/scorers/list', method: 'GET', listField: 'scorers' },
    item: scorerExperiment,
    names: (m) => [...ids(m.experiment_id), ...ids(m.experiment_ids)],
  },
  // _list_gateway_endpoints (unpaged), gateway_proxy_handler's `api/2.0/endpoints` and
  // gateway_api.py list_models (OpenAI shape, `data`). Invoking an endpoint is for admins only
  // until grants can name endpoints, so a non-admin is shown none (the UI keeps working).
  'gateway-endpoints': endpoints({
    path: '/api/3.0/mlflow/gateway/endpoints/list',
    method: 'GET',
    listField: 'endpoints',
  }),
  'gateway-proxy-endpoints': endpoints({
    path: '/ajax-api/2.0/mlflow/gateway-proxy',
    method: 'GET',
    listField: 'endpoints',
  }),
  'gateway-models': endpoints({
    path: '/gateway/mlflow/v1/models',
    method: 'GET',
    listField: 'data',
  }),

  // Searches scoped by the experiments they name (see `named`). What MLflow 3.18.0 does when they
  // name none, which the gateway refuses:
  // _search_runs: `experiment_ids` optional; none searches nothing (`IN ()`).
  runs: { how: 'named' },
  // _search_traces_v3 (`locations`) and _deprecated_search_traces_v2 (`experiment_ids`): an empty
  // v2 list in a JSON body searches every experiment (_resolve_experiment_ids_and_locations).
  traces: { how: 'named' },
  // _search_logged_models: `experiment_ids` required; the page token embeds them.
  'logged-models': { how: 'named' },
  // _search_evaluation_datasets_handler: none returns every dataset. serve_search_datasets:
  // 1 to 20 required.
  datasets: { how: 'named' },
  // _list_scorer_versions, _search_prompt_optimization_jobs, _list_label_schemas,
  // _list_review_queues: `experiment_id` required. _search_issues: none returns every issue.
  'scorer-versions': { how: 'named' },
  'prompt-optimization-jobs': { how: 'named' },
  issues: { how: 'named' },
  'label-schemas': { how: 'named' },
  'review-queues': { how: 'named' },

  // _list_webhooks: webhooks are server-wide (any registry event to any URL).
  webhooks: { how: 'admins' },
  // _list_workspaces_handler: the UI's workspace picker; workspaces are not resources yet.
  workspaces: { how: 'forwarded' },
  // handlers.py _graphql: the query names experiments, runs and model versions anywhere inside
  // it; filter/graphql/ decides each and trims model versions from the answer.
  graphql: { how: 'fields' },
}

/** The answer for a row's filter name; undefined for a name the table lacks (fails closed). */
export function searchAnswer(filter: string | undefined): SearchAnswer | undefined {
  return filter !== undefined && Object.hasOwn(SEARCHES, filter) ? SEARCHES[filter] : undefined
}

export type FilteredAnswer = Extract<SearchAnswer, { how: 'filtered' }>
