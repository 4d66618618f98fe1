/** Catalogue rows for the AI Gateway: configuration RPCs, UI discovery views, invocations. */
import type { Method, Row } from '../row.js'
import { ajax, at, both, type Spec } from './build.js'

// Secrets, endpoints, model definitions, bindings, budgets and guardrails are server-wide gateway
// configuration (secrets hold provider API keys): gateway admins only. All are 3.0 proto RPCs read
// with `_get_request_message`, and all answer FEATURE_DISABLED-like errors unless the AI gateway is
// enabled (handlers.py _disable_if_gateway_disabled).
const config = (method: Method, path: string, handler: string): Row[] =>
  both(3, method, `/mlflow/gateway${path}`, {
    action: 'admin',
    body: 'json',
    source: `handlers.py ${handler}`,
  })

// Invocation routes of the native FastAPI gateway router (gateway_api.py). They name the gateway
// endpoint in the path (`endpoint_name`) or in the JSON body's `model`
// (_extract_endpoint_name_from_model); the catalogue has no gateway-endpoint resource kind, so
// `use` is decided without a resource.
// Bodies are JSON, or zstd-compressed JSON when `Content-Encoding: zstd` (_get_request_body).
const invoke = (path: string, handler: string): Row[] =>
  at('POST', `/gateway${path}`, {
    action: 'use',
    body: 'json',
    source: `gateway_api.py ${handler}`,
  })

const ENDPOINT_LIST: Spec = {
  action: 'read',
  body: 'json',
  filter: 'gateway-endpoints',
  source: 'handlers.py _list_gateway_endpoints',
}

export const ROWS: readonly Row[] = [
  ...config('POST', '/secrets/create', '_create_gateway_secret'),
  ...config('GET', '/secrets/get', '_get_gateway_secret_info'),
  ...config('POST', '/secrets/update', '_update_gateway_secret'),
  ...config('DELETE', '/secrets/delete', '_delete_gateway_secret'),
  ...config('GET', '/secrets/list', '_list_gateway_secrets'),
  ...config('POST', '/endpoints/create', '_create_gateway_endpoint'),
  ...config('GET', '/endpoints/get', '_get_gateway_endpoint'),
  ...config('POST', '/endpoints/update', '_update_gateway_endpoint'),
  ...config('DELETE', '/endpoints/delete', '_delete_gateway_endpoint'),
  // Listing is what a user needs to pick an endpoint to invoke; the filter decides what they see.
  ...both(3, 'GET', '/mlflow/gateway/endpoints/list', ENDPOINT_LIST),
  ...config('POST', '/endpoints/models/attach', '_attach_model_to_gateway_endpoint'),
  ...config('POST', '/endpoints/models/detach', '_detach_model_from_gateway_endpoint'),
  ...config('POST', '/endpoints/bindings/create', '_create_gateway_endpoint_binding'),
  ...config('DELETE', '/endpoints/bindings/delete', '_delete_gateway_endpoint_binding'),
  ...config('GET', '/endpoints/bindings/list', '_list_gateway_endpoint_bindings'),
  ...config('POST', '/endpoints/set-tag', '_set_gateway_endpoint_tag'),
  ...config('DELETE', '/endpoints/delete-tag', '_delete_gateway_endpoint_tag'),
  ...config('POST', '/model-definitions/create', '_create_gateway_model_definition'),
  ...config('GET', '/model-definitions/get', '_get_gateway_model_definition'),
  ...config('GET', '/model-definitions/list', '_list_gateway_model_definitions'),
  ...config('POST', '/model-definitions/update', '_update_gateway_model_definition'),
  ...config('DELETE', '/model-definitions/delete', '_delete_gateway_model_definition'),
  ...config('POST', '/budgets/create', '_create_budget_policy'),
  ...config('GET', '/budgets/get', '_get_budget_policy'),
  ...config('POST', '/budgets/update', '_update_budget_policy'),
  ...config('DELETE', '/budgets/delete', '_delete_budget_policy'),
  ...config('GET', '/budgets/list', '_list_budget_policies'),
  ...config('GET', '/budgets/windows', '_list_budget_windows'),
  ...config('POST', '/guardrails/create', '_create_gateway_guardrail'),
  ...config('GET', '/guardrails/get', '_get_gateway_guardrail'),
  ...config('DELETE', '/guardrails/delete', '_delete_gateway_guardrail'),
  ...config('GET', '/guardrails/list', '_list_gateway_guardrails'),
  ...config('POST', '/guardrails/add-to-endpoint', '_add_guardrail_to_endpoint'),
  ...config('DELETE', '/guardrails/remove-from-endpoint', '_remove_guardrail_from_endpoint'),
  ...config('GET', '/guardrails/list-for-endpoint', '_list_endpoint_guardrail_configs'),
  ...config('PATCH', '/guardrails/update-config', '_update_endpoint_guardrail_config'),

  // UI discovery views (handlers.get_gateway_endpoints, ajax 3.0 only). Provider and model
  // catalogues are static; provider-config also says whether the server has the provider's key in
  // its environment. secrets/config reveals whether secrets use the default KEK passphrase.
  ...ajax(3, 'GET', '/mlflow/gateway/supported-providers', {
    action: 'authenticated',
    body: 'none',
    source: 'handlers.py _list_supported_providers',
  }),
  ...ajax(3, 'GET', '/mlflow/gateway/supported-models', {
    action: 'authenticated',
    body: 'none',
    source: 'handlers.py _list_supported_models',
  }),
  ...ajax(3, 'GET', '/mlflow/gateway/provider-config', {
    action: 'authenticated',
    body: 'none',
    source: 'handlers.py _get_provider_config',
  }),
  ...ajax(3, 'GET', '/mlflow/gateway/secrets/config', {
    action: 'admin',
    body: 'none',
    source: 'handlers.py _get_secrets_config',
  }),

  // Legacy deployments-server proxy for the prompt lab (Flask view). GET may only ask for
  // `api/2.0/endpoints`; POST only `gateway/<name>/invocations` (_validate_gateway_path). GET
  // reads `request.args`, POST `request.json`.
  ...ajax(2, 'GET', '/mlflow/gateway-proxy', {
    action: 'read',
    body: 'none',
    filter: 'gateway-proxy-endpoints',
    source: '__init__.py serve_gateway_proxy -> handlers.py gateway_proxy_handler',
  }),
  ...ajax(2, 'POST', '/mlflow/gateway-proxy', {
    action: 'use',
    body: 'json',
    source: '__init__.py serve_gateway_proxy -> handlers.py gateway_proxy_handler',
  }),

  // Native FastAPI gateway router, mounted at /gateway (not under /api).
  ...invoke('/{endpoint_name}/mlflow/invocations', 'invocations'),
  ...invoke('/mlflow/v1/chat/completions', 'chat_completions'),
  ...at('GET', '/gateway/mlflow/v1/models', {
    ...ENDPOINT_LIST,
    body: 'none',
    filter: 'gateway-models',
    source: 'gateway_api.py list_models',
  }),
  ...invoke('/openai/v1/chat/completions', 'openai_passthrough_chat'),
  ...invoke('/openai/v1/embeddings', 'openai_passthrough_embeddings'),
  ...invoke('/openai/v1/responses', 'openai_passthrough_responses'),
  ...invoke('/openai/v1/responses/compact', 'openai_passthrough_responses_compact'),
  ...invoke('/anthropic/v1/messages', 'anthropic_passthrough_messages'),
  ...invoke(
    '/gemini/v1beta/models/{endpoint_name}:generateContent',
    'gemini_passthrough_generate_content',
  ),
  ...invoke(
    '/gemini/v1beta/models/{endpoint_name}:streamGenerateContent',
    'gemini_passthrough_stream_generate_content',
  ),
  ...invoke('/typesafe/v1/systemone', 'typesafe_passthrough_system_one'),
  // The raw proxy sends the body to any path the caller names on the provider's API, with the
  // endpoint's stored credentials ("the caller controls the upstream path"): that is the provider
  // account, not the endpoint, so it is for gateway admins only.
  ...at('POST', '/gateway/proxy/{endpoint_name}/{path:path}', {
    action: 'admin',
    body: 'json',
    source: 'gateway_api.py raw_proxy',
  }),
]
