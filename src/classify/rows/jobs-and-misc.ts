/** Catalogue rows for jobs, workspaces, assistant, demo data, telemetry, server-info, GraphQL. */
import type { Row } from '../row.js'
import { ajax, at, both, type Spec } from './build.js'

const adminNone = (source: string): Spec => ({ action: 'admin', body: 'none', source })

// The MLflow Assistant (assistant/api.py, native FastAPI) trusts loopback callers
// (_require_localhost); behind the gateway every caller is loopback, so nothing is forwarded.
const assistant = (method: Row['method'], path: string, handler: string): Row[] =>
  ajax(3, method, `/mlflow/assistant${path}`, {
    action: 'deny',
    body: method === 'GET' ? 'none' : 'json',
    source: `assistant/api.py ${handler}`,
  })

export const ROWS: readonly Row[] = [
  // Jobs, native FastAPI router (job_api.py). `POST /` runs any registered job function with
  // caller-chosen params, and job params/results can carry other users' inputs; the catalogue has
  // no job resource kind, so all of it is for gateway admins.
  ...at('POST', '/ajax-api/3.0/jobs/', {
    action: 'admin',
    body: 'json',
    source: 'job_api.py submit_job',
  }),
  ...at('GET', '/ajax-api/3.0/jobs/{job_id}', adminNone('job_api.py get_job')),
  ...at('PATCH', '/ajax-api/3.0/jobs/cancel/{job_id}', adminNone('job_api.py cancel_job')),
  ...at('POST', '/ajax-api/3.0/jobs/search', {
    action: 'admin',
    body: 'json',
    source: 'job_api.py search_jobs',
  }),
  // The same two job operations as Flask views (handlers.get_job_endpoints), polled by the UI
  // after scorer/evaluation/issue-detection invocations.
  ...ajax(3, 'GET', '/mlflow/jobs/{job_id}', adminNone('handlers.py _get_job')),
  ...ajax(3, 'PATCH', '/mlflow/jobs/cancel/{job_id}', adminNone('handlers.py _cancel_job')),

  // Workspaces (3.0 RPCs; FEATURE_DISABLED unless MLFLOW_ENABLE_WORKSPACES). Reading them is what
  // the UI's workspace picker needs; creating, changing and deleting them is administration.
  ...both(3, 'GET', '/mlflow/workspaces', {
    action: 'authenticated',
    body: 'json',
    filter: 'workspaces',
    source: 'handlers.py _list_workspaces_handler',
  }),
  ...both(3, 'POST', '/mlflow/workspaces', {
    action: 'admin',
    body: 'json',
    source: 'handlers.py _create_workspace_handler',
  }),
  ...both(3, 'GET', '/mlflow/workspaces/{workspace_name}', {
    action: 'authenticated',
    body: 'none',
    source: 'handlers.py _get_workspace_handler',
  }),
  ...both(3, 'PATCH', '/mlflow/workspaces/{workspace_name}', {
    action: 'admin',
    body: 'json',
    source: 'handlers.py _update_workspace_handler',
  }),
  // `mode` (restrict or cascade) comes from request.args.
  ...both(
    3,
    'DELETE',
    '/mlflow/workspaces/{workspace_name}',
    adminNone('handlers.py _delete_workspace_handler'),
  ),

  ...assistant('POST', '/message', 'send_message'),
  ...assistant('GET', '/sessions/{session_id}/stream', 'stream_response'),
  ...assistant('PATCH', '/sessions/{session_id}', 'patch_session'),
  ...assistant('POST', '/sessions/{session_id}/permission', 'resolve_permission'),
  ...assistant('POST', '/sessions/{session_id}/tool-result', 'resolve_client_tool_result'),
  ...assistant('GET', '/providers/{provider}/health', 'provider_health_check'),
  ...assistant('GET', '/providers', 'get_providers'),
  ...assistant('GET', '/providers/{provider}/models', 'list_provider_models'),
  ...assistant('GET', '/config', 'get_config'),
  ...assistant('PUT', '/config', 'update_config'),
  ...assistant('POST', '/skills/install', 'install_skills_endpoint'),

  // Demo data: generate writes a demo experiment with traces, prompts and more; delete
  // hard-deletes it. Server-wide, so gateway admins only.
  ...ajax(3, 'POST', '/mlflow/demo/generate', {
    action: 'admin',
    body: 'json',
    source: 'handlers.py _generate_demo',
  }),
  ...ajax(3, 'POST', '/mlflow/demo/delete', adminNone('handlers.py _delete_demo')),

  // UI telemetry: GET returns the UI's telemetry settings, POST relays UI events to MLflow's
  // telemetry service (request.json["records"]). Not about any resource. GET is public like the
  // UI shell it configures: MLflow's auth groups it with HOME and SERVER_VERSION as carrying no
  // tenant data (auth/__init__.py, UI_TELEMETRY), and every page's telemetry worker asks for it, so
  // a 401 challenge here would hit every anonymous visitor.
  ...ajax(3, 'GET', '/mlflow/ui-telemetry', {
    action: 'public',
    body: 'none',
    source: '__init__.py serve_get_ui_telemetry -> handlers.py get_ui_telemetry_handler',
  }),
  ...ajax(3, 'POST', '/mlflow/ui-telemetry', {
    action: 'authenticated',
    body: 'json',
    source: '__init__.py serve_post_ui_telemetry -> handlers.py post_ui_telemetry_handler',
  }),

  // Served by the native FastAPI route under uvicorn (server_info_api.py get_server_info, before
  // the Flask mount; Flask's handlers._get_server_info serves it under gunicorn/waitress). MLflow
  // documents its payload as free of secrets and tenant data (build_server_info_payload).
  ...both(3, 'GET', '/mlflow/server-info', {
    action: 'public',
    body: 'none',
    source: 'server_info_api.py get_server_info (Flask: handlers.py _get_server_info)',
  }),

  // GraphQL reads experiments, runs, metric histories, artifacts and model versions by ids inside
  // the query (and its "mutations" are searches too). One row cannot name those resources, so the
  // request is decided field by field: the `graphql` filter (filter/graphql/).
  // The handler reads only the JSON body, for GET too (_get_request_json; the query string is
  // ignored and a GET without a body is a 500). The gateway refuses bodies on GET, so a GET can
  // never carry a query through it: the route is not forwarded.
  ...at('GET', '/graphql', {
    action: 'deny',
    body: 'none',
    source: 'handlers.py _graphql (reads a JSON body, which GET may not carry through the gateway)',
  }),
  ...at('POST', '/graphql', {
    action: 'read',
    body: 'json',
    filter: 'graphql',
    source: 'handlers.py _graphql',
  }),
]
