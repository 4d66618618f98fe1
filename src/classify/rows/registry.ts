/** Catalogue rows for the model registry: registered models and prompts, versions, aliases. */
import type { Row } from '../row.js'
import { both, msg, named, on, type Spec } from './build.js'

// A registered model's id is its name; every registry handler reads `name` from the message.
// Prompts have no routes of their own in 3.18.0: they are registered models tagged
// `mlflow.prompt.is_prompt=true` (handlers.py _is_prompt_request / _is_prompt), so these rows
// cover them too.
const model = on('registered-model', msg('name'))
const version = on('model-version', msg('name'))

const rm = (action: Spec['action'], source: string, resource = model): Spec => ({
  action,
  resource,
  body: 'json',
  source: `handlers.py ${source}`,
})

export const ROWS: readonly Row[] = [
  // Creates a registered model, or a prompt when its tags say so.
  ...both(2, 'POST', '/mlflow/registered-models/create', {
    action: 'create',
    resource: named('registered-model', msg('name')),
    body: 'json',
    source: 'handlers.py _create_registered_model',
  }),
  ...both(2, 'GET', '/mlflow/registered-models/get', rm('read', '_get_registered_model')),
  ...both(2, 'PATCH', '/mlflow/registered-models/update', rm('update', '_update_registered_model')),
  // Grants name registered models by name, so renaming changes who can reach the model: manage.
  ...both(2, 'POST', '/mlflow/registered-models/rename', rm('manage', '_rename_registered_model')),
  ...both(
    2,
    'DELETE',
    '/mlflow/registered-models/delete',
    rm('delete', '_delete_registered_model'),
  ),
  ...both(2, 'GET', '/mlflow/registered-models/search', {
    action: 'read',
    body: 'json',
    filter: 'registered-models',
    source: 'handlers.py _search_registered_models',
  }),
  ...both(
    2,
    'GET',
    '/mlflow/registered-models/get-latest-versions',
    rm('read', '_get_latest_versions'),
  ),
  ...both(
    2,
    'POST',
    '/mlflow/registered-models/get-latest-versions',
    rm('read', '_get_latest_versions'),
  ),
  // Setting `mlflow.prompt.is_prompt` turns a model into a prompt; other tags are plain updates.
  ...both(
    2,
    'POST',
    '/mlflow/registered-models/set-tag',
    rm('update', '_set_registered_model_tag'),
  ),
  ...both(
    2,
    'DELETE',
    '/mlflow/registered-models/delete-tag',
    rm('delete', '_delete_registered_model_tag'),
  ),
  ...both(
    2,
    'POST',
    '/mlflow/registered-models/alias',
    rm('update', '_set_registered_model_alias'),
  ),
  ...both(
    2,
    'DELETE',
    '/mlflow/registered-models/alias',
    rm('delete', '_delete_registered_model_alias'),
  ),
  ...both(2, 'GET', '/mlflow/registered-models/alias', rm('read', '_get_model_version_by_alias')),
  // A new version writes into its registered model. `source`, `run_id` and `model_id` name the
  // run or logged model it comes from; the handler validates them but they are not checked here.
  // Its `source` (with `run_id`, `model_id`) names the files `model-versions/get-artifact` later
  // serves to anyone who may read the model: the caller must be able to read them now.
  ...both(2, 'POST', '/mlflow/model-versions/create', {
    ...rm('update', '_create_model_version'),
    references: 'model-version-source',
  }),
  ...both(2, 'GET', '/mlflow/model-versions/get', rm('read', '_get_model_version', version)),
  ...both(
    2,
    'PATCH',
    '/mlflow/model-versions/update',
    rm('update', '_update_model_version', version),
  ),
  ...both(
    2,
    'POST',
    '/mlflow/model-versions/transition-stage',
    rm('update', '_transition_stage', version),
  ),
  ...both(
    2,
    'DELETE',
    '/mlflow/model-versions/delete',
    rm('delete', '_delete_model_version', version),
  ),
  // No schema: `name` and `version` are read without validation.
  ...both(
    2,
    'GET',
    '/mlflow/model-versions/get-download-uri',
    rm('read', '_get_model_version_download_uri', version),
  ),
  ...both(2, 'GET', '/mlflow/model-versions/search', {
    action: 'read',
    body: 'json',
    filter: 'model-versions',
    source: 'handlers.py _search_model_versions (search_model_versions_impl)',
  }),
  ...both(
    2,
    'POST',
    '/mlflow/model-versions/set-tag',
    rm('update', '_set_model_version_tag', version),
  ),
  ...both(
    2,
    'DELETE',
    '/mlflow/model-versions/delete-tag',
    rm('delete', '_delete_model_version_tag', version),
  ),
]
