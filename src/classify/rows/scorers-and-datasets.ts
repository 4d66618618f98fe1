/** Catalogue rows for GenAI evaluation: scorers, online scoring, datasets, prompt optimization. */
import type { Row } from '../row.js'
import { ajax, both, msg, msgList, on, type Spec } from './build.js'

const experiment = on('experiment', msg('experiment_id'))

// Routes that name only an object the catalogue has no resource kind for (an evaluation dataset,
// a prompt optimization job) and whose experiment MLflow would have to be asked for. Until such a
// kind exists they are for gateway admins only; see docs/mlflow-routes.md, open questions.
const unscoped = (source: string, body: Spec['body']): Spec => ({
  action: 'admin',
  body,
  source: `handlers.py ${source}`,
})

export const ROWS: readonly Row[] = [
  // Scorers are keyed by (experiment_id, name): the experiment is named directly.
  // `serialized_scorer` is validated (_validate_serialized_scorer_payload): decorator scorers
  // with code are refused unless MLFLOW_SERVER_ENABLE_CUSTOM_SCORERS is set.
  ...both(3, 'POST', '/mlflow/scorers/register', {
    action: 'update',
    resource: experiment,
    body: 'json',
    source: 'handlers.py _register_scorer',
  }),
  // One `experiment_id`, or `experiment_ids`, or neither (every experiment of the workspace): no
  // single id covers all three forms, so the response is filtered instead.
  ...both(3, 'GET', '/mlflow/scorers/list', {
    action: 'read',
    body: 'json',
    filter: 'scorers',
    source: 'handlers.py _list_scorers',
  }),
  ...both(3, 'GET', '/mlflow/scorers/versions', {
    action: 'read',
    resource: experiment,
    body: 'json',
    filter: 'scorer-versions',
    source: 'handlers.py _list_scorer_versions',
  }),
  ...both(3, 'GET', '/mlflow/scorers/get', {
    action: 'read',
    resource: experiment,
    body: 'json',
    source: 'handlers.py _get_scorer',
  }),
  ...both(3, 'DELETE', '/mlflow/scorers/delete', {
    action: 'delete',
    resource: experiment,
    body: 'json',
    source: 'handlers.py _delete_scorer',
  }),
  // Internal online-scoring routes (handlers.get_internal_online_scoring_endpoints), not proto
  // RPCs, registered at both prefixes. `_get_validated_flask_request_json`: query string for a GET
  // with one, else the JSON body; no lowerCamelCase spelling.
  ...both(3, 'GET', '/mlflow/scorers/online-configs', {
    action: 'read',
    resource: on('scorer', msgList('scorer_ids')),
    body: 'json',
    source: 'handlers.py _get_online_scoring_configs',
  }),
  // Changes which traces of the experiment get scored automatically, and how often.
  ...both(3, 'PUT', '/mlflow/scorers/online-config', {
    action: 'update',
    resource: experiment,
    body: 'json',
    source: 'handlers.py _upsert_online_scoring_config',
  }),
  // UI-only: submits jobs that run the scorer on `trace_ids` (checked to be in `experiment_id` by
  // _validate_trace_ids_in_experiment) and may log assessments. `request.json`.
  ...ajax(3, 'POST', '/mlflow/scorer/invoke', {
    action: 'update',
    resource: experiment,
    body: 'json',
    source: 'handlers.py _invoke_scorer_handler',
  }),
  // UI-only: creates an evaluation run in `experiment_id` and submits a job evaluating its traces.
  ...ajax(3, 'POST', '/mlflow/genai/evaluate/invoke', {
    action: 'update',
    resource: experiment,
    body: 'json',
    source: 'handlers.py _invoke_genai_evaluate_handler',
  }),

  // Evaluation datasets. A dataset is linked to any number of experiments; routes that name only
  // the dataset are admin-only (see `unscoped`).
  // `experiment_ids` is optional; a dataset linked to no experiment cannot be created by others.
  ...both(3, 'POST', '/mlflow/datasets/create', {
    action: 'update',
    resource: on('experiment', msgList('experiment_ids')),
    body: 'json',
    source: 'handlers.py _create_dataset_handler',
  }),
  ...both(3, 'GET', '/mlflow/datasets/search', {
    action: 'read',
    resource: on('experiment', msgList('experiment_ids')),
    body: 'json',
    filter: 'datasets',
    source: 'handlers.py _search_evaluation_datasets_handler',
  }),
  ...both(3, 'POST', '/mlflow/datasets/search', {
    action: 'read',
    resource: on('experiment', msgList('experiment_ids')),
    body: 'json',
    filter: 'datasets',
    source: 'handlers.py _search_evaluation_datasets_handler',
  }),
  ...both(3, 'GET', '/mlflow/datasets/{dataset_id}', unscoped('_get_dataset_handler', 'none')),
  ...both(
    3,
    'DELETE',
    '/mlflow/datasets/{dataset_id}',
    unscoped('_delete_dataset_handler', 'none'),
  ),
  ...both(
    3,
    'PATCH',
    '/mlflow/datasets/{dataset_id}/tags',
    unscoped('_set_dataset_tags_handler', 'json'),
  ),
  ...both(
    3,
    'DELETE',
    '/mlflow/datasets/{dataset_id}/tags/{key}',
    unscoped('_delete_dataset_tag_handler', 'none'),
  ),
  ...both(
    3,
    'GET',
    '/mlflow/datasets/{dataset_id}/records',
    unscoped('_get_dataset_records_handler', 'json'),
  ),
  ...both(
    3,
    'POST',
    '/mlflow/datasets/{dataset_id}/records',
    unscoped('_upsert_dataset_records_handler', 'json'),
  ),
  ...both(
    3,
    'DELETE',
    '/mlflow/datasets/{dataset_id}/records',
    unscoped('_delete_dataset_records_handler', 'json'),
  ),
  ...both(
    3,
    'GET',
    '/mlflow/datasets/{dataset_id}/experiment-ids',
    unscoped('_get_dataset_experiment_ids_handler', 'none'),
  ),
  ...both(
    3,
    'POST',
    '/mlflow/datasets/{dataset_id}/add-experiments',
    unscoped('_add_dataset_to_experiments_handler', 'json'),
  ),
  ...both(
    3,
    'POST',
    '/mlflow/datasets/{dataset_id}/remove-experiments',
    unscoped('_remove_dataset_from_experiments_handler', 'json'),
  ),

  // Prompt optimization jobs. Create makes a run in `experiment_id` and submits a job that reads
  // `source_prompt_uri` and the dataset in `config` (neither checked here).
  ...both(3, 'POST', '/mlflow/prompt-optimization/jobs', {
    action: 'update',
    resource: experiment,
    body: 'json',
    source: 'handlers.py _create_prompt_optimization_job',
  }),
  ...both(3, 'GET', '/mlflow/prompt-optimization/jobs/search', {
    action: 'read',
    resource: experiment,
    body: 'json',
    filter: 'prompt-optimization-jobs',
    source: 'handlers.py _search_prompt_optimization_jobs',
  }),
  ...both(3, 'POST', '/mlflow/prompt-optimization/jobs/search', {
    action: 'read',
    resource: experiment,
    body: 'json',
    filter: 'prompt-optimization-jobs',
    source: 'handlers.py _search_prompt_optimization_jobs',
  }),
  ...both(
    3,
    'GET',
    '/mlflow/prompt-optimization/jobs/{job_id}',
    unscoped('_get_prompt_optimization_job', 'none'),
  ),
  ...both(
    3,
    'DELETE',
    '/mlflow/prompt-optimization/jobs/{job_id}',
    unscoped('_delete_prompt_optimization_job', 'none'),
  ),
  ...both(
    3,
    'POST',
    '/mlflow/prompt-optimization/jobs/{job_id}/cancel',
    unscoped('_cancel_prompt_optimization_job', 'none'),
  ),
]
