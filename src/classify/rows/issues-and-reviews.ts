/** Catalogue rows for GenAI quality work: issues, issue detection, label schemas, review queues. */
import type { Row } from '../row.js'
import { ajax, both, msg, on, type Spec } from './build.js'

const experiment = on('experiment', msg('experiment_id'))

// Routes that name only an issue, a label schema or a review queue: objects of one experiment the
// catalogue has no resource kind for. Gateway admins only until it has; see
// docs/mlflow-routes.md, open questions.
const unscoped = (source: string, body: Spec['body']): Spec => ({
  action: 'admin',
  body,
  source: `handlers.py ${source}`,
})
const inExperiment = (action: Spec['action'], source: string, filter?: string): Spec => ({
  action,
  resource: experiment,
  body: 'json',
  ...(filter === undefined ? {} : { filter }),
  source: `handlers.py ${source}`,
})

export const ROWS: readonly Row[] = [
  // Issues (3.0 proto RPCs).
  ...both(3, 'POST', '/mlflow/issues', inExperiment('update', '_create_issue')),
  // `experiment_id` is optional for MLflow (all issues otherwise); a request without it has no id
  // to check and is refused.
  ...both(3, 'POST', '/mlflow/issues/search', inExperiment('read', '_search_issues', 'issues')),
  ...both(3, 'GET', '/mlflow/issues/{issue_id}', unscoped('_get_issue', 'none')),
  ...both(3, 'PATCH', '/mlflow/issues/{issue_id}', unscoped('_update_issue', 'json')),
  // UI-only: starts a run and an issue-detection job over `trace_ids` of `experiment_id`. It can
  // use a gateway secret (`secret_id`) or endpoint (`endpoint_name`) for the LLM calls; those are
  // not checked here.
  ...ajax(
    3,
    'POST',
    '/mlflow/issues/invoke',
    inExperiment('update', '_invoke_issue_detection_handler'),
  ),
  // UI-only: writes the experiment's issue-detection schedule state.
  ...ajax(
    3,
    'POST',
    '/mlflow/issues/schedule/state',
    inExperiment('update', '_sync_issue_detection_schedule_state_handler'),
  ),

  // Label schemas.
  ...both(
    3,
    'POST',
    '/mlflow/label-schemas/create',
    inExperiment('update', '_create_label_schema'),
  ),
  ...both(3, 'GET', '/mlflow/label-schemas/get', unscoped('_get_label_schema', 'json')),
  ...both(
    3,
    'GET',
    '/mlflow/label-schemas/get-by-name',
    inExperiment('read', '_get_label_schema_by_name'),
  ),
  ...both(
    3,
    'GET',
    '/mlflow/label-schemas/list',
    inExperiment('read', '_list_label_schemas', 'label-schemas'),
  ),
  ...both(3, 'PATCH', '/mlflow/label-schemas/update', unscoped('_update_label_schema', 'json')),
  ...both(3, 'DELETE', '/mlflow/label-schemas/delete', unscoped('_delete_label_schema', 'json')),

  // Review queues.
  ...both(
    3,
    'POST',
    '/mlflow/review-queues/create',
    inExperiment('update', '_create_review_queue'),
  ),
  ...both(
    3,
    'POST',
    '/mlflow/review-queues/get-or-create-user',
    inExperiment('update', '_get_or_create_user_queue'),
  ),
  ...both(3, 'GET', '/mlflow/review-queues/get', unscoped('_get_review_queue', 'json')),
  ...both(
    3,
    'GET',
    '/mlflow/review-queues/get-by-name',
    inExperiment('read', '_get_review_queue_by_name'),
  ),
  ...both(
    3,
    'GET',
    '/mlflow/review-queues/list',
    inExperiment('read', '_list_review_queues', 'review-queues'),
  ),
  ...both(3, 'POST', '/mlflow/review-queues/update', unscoped('_update_review_queue', 'json')),
  ...both(3, 'POST', '/mlflow/review-queues/delete', unscoped('_delete_review_queue', 'json')),
  ...both(
    3,
    'POST',
    '/mlflow/review-queues/items/add',
    unscoped('_add_items_to_review_queue', 'json'),
  ),
  ...both(
    3,
    'POST',
    '/mlflow/review-queues/items/remove',
    unscoped('_remove_items_from_review_queue', 'json'),
  ),
  ...both(
    3,
    'GET',
    '/mlflow/review-queues/items/list',
    unscoped('_list_review_queue_items', 'json'),
  ),
  ...both(
    3,
    'POST',
    '/mlflow/review-queues/items/set-status',
    unscoped('_set_review_queue_item_status', 'json'),
  ),
]
