/** Catalogue rows for logged models (MLflow 3 model entities that live in an experiment). */
import type { Row } from '../row.js'
import { both, msg, msgList, on, param } from './build.js'

// Every route but create and search names the model in the path. finalize and params also
// require a `model_id` in the body (schema `_assert_required`) but act on the path's model_id, so
// the path decides and the body's copy is ignored by MLflow.
const model = on('logged-model', param('model_id'))

export const ROWS: readonly Row[] = [
  // `source_run_id` links the model to a run; it is stored, not checked.
  ...both(2, 'POST', '/mlflow/logged-models', {
    action: 'update',
    resource: on('experiment', msg('experiment_id')),
    body: 'json',
    source: 'handlers.py _create_logged_model',
  }),
  ...both(2, 'POST', '/mlflow/logged-models/search', {
    action: 'read',
    resource: on('experiment', msgList('experiment_ids')),
    body: 'json',
    filter: 'logged-models',
    source: 'handlers.py _search_logged_models',
  }),
  // Reads only `allow_deleted` from request.args.
  ...both(2, 'GET', '/mlflow/logged-models/{model_id}', {
    action: 'read',
    resource: model,
    body: 'none',
    source: 'handlers.py _get_logged_model',
  }),
  ...both(2, 'PATCH', '/mlflow/logged-models/{model_id}', {
    action: 'update',
    resource: model,
    body: 'json',
    source: 'handlers.py _finalize_logged_model',
  }),
  ...both(2, 'DELETE', '/mlflow/logged-models/{model_id}', {
    action: 'delete',
    resource: model,
    body: 'none',
    source: 'handlers.py _delete_logged_model',
  }),
  ...both(2, 'PATCH', '/mlflow/logged-models/{model_id}/tags', {
    action: 'update',
    resource: model,
    body: 'json',
    source: 'handlers.py _set_logged_model_tags',
  }),
  ...both(2, 'DELETE', '/mlflow/logged-models/{model_id}/tags/{tag_key}', {
    action: 'delete',
    resource: model,
    body: 'none',
    source: 'handlers.py _delete_logged_model_tag',
  }),
  ...both(2, 'GET', '/mlflow/logged-models/{model_id}/artifacts/directories', {
    action: 'read',
    resource: model,
    body: 'json',
    artifactPaths: { artifact_directory_path: 'relative' },
    source: 'handlers.py _list_logged_model_artifacts',
  }),
  ...both(2, 'POST', '/mlflow/logged-models/{model_id}/params', {
    action: 'update',
    resource: model,
    body: 'json',
    source: 'handlers.py _log_logged_model_params',
  }),
]
