/** Catalogue rows for experiments: MlflowService experiment RPCs and the UI's search-datasets. */
import type { Row } from '../row.js'
import { ajax, at, both, msg, msgList, named, on, type Spec } from './build.js'

const experiment = (field = 'experiment_id') => on('experiment', msg(field))

const MALFORMED: Spec = {
  action: 'deny',
  body: 'none',
  source: 'handlers.py get_service_endpoints (SearchDatasets has no handler: _not_implemented)',
}

export const ROWS: readonly Row[] = [
  // The handler reads `name` and creates the experiment; no id exists yet, so the create right's
  // name pattern decides.
  ...both(2, 'POST', '/mlflow/experiments/create', {
    action: 'create',
    resource: named('experiment', msg('name')),
    body: 'json',
    source: 'handlers.py _create_experiment',
  }),
  ...both(2, 'GET', '/mlflow/experiments/get', {
    action: 'read',
    resource: experiment(),
    body: 'json',
    source: 'handlers.py _get_experiment (get_experiment_impl)',
  }),
  // The handler looks the experiment up by `experiment_name`; the gateway must do the same to find
  // the id it checks.
  ...both(2, 'GET', '/mlflow/experiments/get-by-name', {
    action: 'read',
    resource: named('experiment', msg('experiment_name')),
    body: 'json',
    source: 'handlers.py _get_experiment_by_name',
  }),
  ...both(2, 'POST', '/mlflow/experiments/delete', {
    action: 'delete',
    resource: experiment(),
    body: 'json',
    source: 'handlers.py _delete_experiment',
  }),
  // Restoring undoes a delete, so it needs the same right.
  ...both(2, 'POST', '/mlflow/experiments/restore', {
    action: 'delete',
    resource: experiment(),
    body: 'json',
    source: 'handlers.py _restore_experiment',
  }),
  // Renames (`new_name`). Grants name experiments by id, so a rename changes no access.
  ...both(2, 'POST', '/mlflow/experiments/update', {
    action: 'update',
    resource: experiment(),
    body: 'json',
    source: 'handlers.py _update_experiment',
  }),
  ...both(2, 'POST', '/mlflow/experiments/set-experiment-tag', {
    action: 'update',
    resource: experiment(),
    body: 'json',
    source: 'handlers.py _set_experiment_tag',
  }),
  ...both(2, 'POST', '/mlflow/experiments/delete-experiment-tag', {
    action: 'delete',
    resource: experiment(),
    body: 'json',
    source: 'handlers.py _delete_experiment_tag',
  }),
  // The RPC is served for GET and POST; it takes no experiment id (filter string only), so the
  // response is filtered.
  ...both(2, 'GET', '/mlflow/experiments/search', {
    action: 'read',
    body: 'json',
    filter: 'experiments',
    source: 'handlers.py _search_experiments',
  }),
  ...both(2, 'POST', '/mlflow/experiments/search', {
    action: 'read',
    body: 'json',
    filter: 'experiments',
    source: 'handlers.py _search_experiments',
  }),
  // Flask view for the UI (mlflow/server/__init__.py serve_search_datasets); the SearchDatasets
  // message's `experiment_ids` (1 to 20, required by search_datasets_impl).
  ...ajax(2, 'POST', '/mlflow/experiments/search-datasets', {
    action: 'read',
    resource: on('experiment', msgList('experiment_ids')),
    body: 'json',
    filter: 'datasets',
    source: '__init__.py serve_search_datasets -> handlers.py _search_datasets_handler',
  }),
  // The proto path of SearchDatasets lacks its leading "/", so `_get_paths` registers
  // "/api/2.0mlflow/..." (sic); its handler is `_not_implemented` (404). Never forwarded.
  ...at('POST', '/api/2.0mlflow/experiments/search-datasets', MALFORMED),
  ...at('POST', '/ajax-api/2.0mlflow/experiments/search-datasets', MALFORMED),
]
