/** Catalogue rows for runs: lifecycle, logging, metrics, artifact listing and presigned URLs. */
import type { Row } from '../row.js'
import { ajax, both, msg, msgList, on, queryList } from './build.js'

// Handlers that read `run_id or run_uuid` (e.g. _update_run, _log_metric) get the alias; the
// others read `request_message.run_id` only, so a request naming the run only as `run_uuid` has no
// id the gateway can check (MLflow's schema check accepts it, then the store fails on "").
const runAliased = on('run', msg('run_id', 'run_uuid'))
const runOnly = on('run', msg('run_id'))

export const ROWS: readonly Row[] = [
  // Creating a run writes into its experiment: EDIT on the experiment, not a create right.
  // `experiment_id` is not required by the schema; without it the store fails, so no default
  // experiment is involved.
  ...both(2, 'POST', '/mlflow/runs/create', {
    action: 'update',
    resource: on('experiment', msg('experiment_id')),
    body: 'json',
    source: 'handlers.py _create_run',
  }),
  ...both(2, 'POST', '/mlflow/runs/update', {
    action: 'update',
    resource: runAliased,
    body: 'json',
    source: 'handlers.py _update_run',
  }),
  ...both(2, 'POST', '/mlflow/runs/delete', {
    action: 'delete',
    resource: runOnly,
    body: 'json',
    source: 'handlers.py _delete_run',
  }),
  ...both(2, 'POST', '/mlflow/runs/restore', {
    action: 'delete',
    resource: runOnly,
    body: 'json',
    source: 'handlers.py _restore_run',
  }),
  ...both(2, 'POST', '/mlflow/runs/log-metric', {
    action: 'update',
    resource: runAliased,
    body: 'json',
    source: 'handlers.py _log_metric',
  }),
  ...both(2, 'POST', '/mlflow/runs/log-parameter', {
    action: 'update',
    resource: runAliased,
    body: 'json',
    source: 'handlers.py _log_param',
  }),
  ...both(2, 'POST', '/mlflow/runs/log-batch', {
    action: 'update',
    resource: runOnly,
    body: 'json',
    source: 'handlers.py _log_batch',
  }),
  ...both(2, 'POST', '/mlflow/runs/log-model', {
    action: 'update',
    resource: runOnly,
    body: 'json',
    source: 'handlers.py _log_model',
  }),
  // Also attaches datasets and logged models (`models[].model_id`) to the run; those are not
  // checked here.
  ...both(2, 'POST', '/mlflow/runs/log-inputs', {
    action: 'update',
    resource: runOnly,
    body: 'json',
    source: 'handlers.py _log_inputs',
  }),
  ...both(2, 'POST', '/mlflow/runs/outputs', {
    action: 'update',
    resource: runOnly,
    body: 'json',
    source: 'handlers.py _log_outputs',
  }),
  ...both(2, 'POST', '/mlflow/runs/set-tag', {
    action: 'update',
    resource: runAliased,
    body: 'json',
    source: 'handlers.py _set_tag',
  }),
  ...both(2, 'POST', '/mlflow/runs/delete-tag', {
    action: 'delete',
    resource: runOnly,
    body: 'json',
    source: 'handlers.py _delete_tag',
  }),
  ...both(2, 'GET', '/mlflow/runs/get', {
    action: 'read',
    resource: runAliased,
    body: 'json',
    source: 'handlers.py _get_run (get_run_impl)',
  }),
  // `experiment_ids` is optional in the schema; the store searches exactly those experiments.
  ...both(2, 'POST', '/mlflow/runs/search', {
    action: 'read',
    resource: on('experiment', msgList('experiment_ids')),
    body: 'json',
    filter: 'runs',
    source: 'handlers.py _search_runs (search_runs_impl)',
  }),
  ...both(2, 'GET', '/mlflow/metrics/get-history', {
    action: 'read',
    resource: runAliased,
    body: 'json',
    source: 'handlers.py _get_metric_history',
  }),
  // Served from the proto (GetMetricHistoryBulkInterval) at both prefixes; the ajax path is also a
  // Flask view (serve_get_metric_history_bulk_interval) that Werkzeug never reaches because the
  // proto rule was registered first. Both call the same handler.
  ...both(2, 'GET', '/mlflow/metrics/get-history-bulk-interval', {
    action: 'read',
    resource: on('run', msgList('run_ids')),
    body: 'json',
    source: 'handlers.py get_metric_history_bulk_interval_handler',
  }),
  // Flask-only view; reads `request.args.to_dict(flat=False)["run_id"]` (repeated, at most 100).
  ...ajax(2, 'GET', '/mlflow/metrics/get-history-bulk', {
    action: 'read',
    resource: on('run', queryList('run_id')),
    body: 'none',
    source:
      '__init__.py serve_get_metric_history_bulk -> handlers.py get_metric_history_bulk_handler',
  }),
  ...both(2, 'GET', '/mlflow/artifacts/list', {
    action: 'read',
    resource: runAliased,
    body: 'json',
    artifactPaths: { path: 'relative' },
    source: 'handlers.py _list_artifacts (list_artifacts_impl)',
  }),
  // Exactly one of `run_id` and `model_id` (a logged model) may be given. Only the run form can be
  // described by one row; a request naming `model_id` has no run id and is refused. The URL lets
  // the client write to storage directly, past the gateway.
  ...both(2, 'POST', '/mlflow/artifacts/presigned-upload-url', {
    action: 'update',
    resource: runOnly,
    body: 'json',
    artifactPaths: { path: 'relative' },
    source: 'handlers.py _create_presigned_upload_url',
  }),
  ...both(2, 'POST', '/mlflow/artifacts/presigned-download-url', {
    action: 'read',
    resource: runOnly,
    body: 'json',
    artifactPaths: { path: 'relative' },
    source: 'handlers.py _create_presigned_download_url',
  }),
  // Flask view reading `request.json` (JSON body only; no lowerCamelCase spelling). Creates a run
  // in `experiment_id`.
  ...ajax(2, 'POST', '/mlflow/runs/create-promptlab-run', {
    action: 'update',
    resource: on('experiment', msg('experiment_id')),
    body: 'json',
    source: '__init__.py serve_create_promptlab_run -> handlers.py create_promptlab_run_handler',
  }),
]
