/** Catalogue rows for the MCP server registry and the skill registry (native FastAPI routers). */
import type { Method, Row } from '../row.js'
import { both } from './build.js'

// Both registries are included under /api/3.0/mlflow and /ajax-api/3.0/mlflow
// (fastapi_app.py create_fastapi_app, get_mcp_server_api_route_prefixes and
// get_skill_registry_api_route_prefixes). MLflow's own auth gives them resource types of their own
// (`mcp_server`, `skill`); the catalogue has no such kinds, so every route is for gateway admins
// only until it does (docs/mlflow-routes.md, open questions).
//
// FastAPI tries these routes in the order below, and `{name:path}` also matches slashes: GET
// `.../mcp-servers/a/versions` is search_mcp_server_versions only because that route comes before
// get_mcp_server. A matcher must keep MLflow's order or refuse such names.

type Entry = readonly [Method, string, string]

const MCP_SERVERS: readonly Entry[] = [
  ['GET', '/mcp-servers', 'search_mcp_servers'],
  ['POST', '/mcp-servers', 'create_mcp_server'],
  ['GET', '/mcp-servers/endpoints', 'search_all_access_endpoints'],
  ['DELETE', '/mcp-servers/{name:path}', 'delete_mcp_server'],
  ['GET', '/mcp-servers/{name:path}', 'get_mcp_server'],
  ['PATCH', '/mcp-servers/{name:path}', 'update_mcp_server'],
  ['POST', '/mcp-servers/{name:path}/aliases', 'set_mcp_server_alias'],
  ['DELETE', '/mcp-servers/{name:path}/aliases/{alias:path}', 'delete_mcp_server_alias'],
  ['GET', '/mcp-servers/{name:path}/aliases/{alias:path}', 'get_version_by_alias'],
  ['GET', '/mcp-servers/{name:path}/endpoints', 'search_server_access_endpoints'],
  ['POST', '/mcp-servers/{name:path}/endpoints', 'create_mcp_access_endpoint'],
  ['DELETE', '/mcp-servers/{name:path}/endpoints/{endpoint_id}', 'delete_mcp_access_endpoint'],
  ['GET', '/mcp-servers/{name:path}/endpoints/{endpoint_id}', 'get_mcp_access_endpoint'],
  ['PATCH', '/mcp-servers/{name:path}/endpoints/{endpoint_id}', 'update_mcp_access_endpoint'],
  ['POST', '/mcp-servers/{name:path}/tags', 'set_mcp_server_tag'],
  ['DELETE', '/mcp-servers/{name:path}/tags/{key:path}', 'delete_mcp_server_tag'],
  ['GET', '/mcp-servers/{name:path}/versions', 'search_mcp_server_versions'],
  ['POST', '/mcp-servers/{name:path}/versions', 'create_mcp_server_version'],
  ['DELETE', '/mcp-servers/{name:path}/versions/{version:path}', 'delete_mcp_server_version'],
  ['GET', '/mcp-servers/{name:path}/versions/{version:path}', 'get_mcp_server_version'],
  ['PATCH', '/mcp-servers/{name:path}/versions/{version:path}', 'update_mcp_server_version'],
  ['POST', '/mcp-servers/{name:path}/versions/{version:path}/tags', 'set_mcp_server_version_tag'],
  [
    'DELETE',
    '/mcp-servers/{name:path}/versions/{version:path}/tags/{key:path}',
    'delete_mcp_server_version_tag',
  ],
]

const SKILLS: readonly Entry[] = [
  ['GET', '/skills', 'search_skills'],
  ['POST', '/skills', 'create_skill'],
  ['DELETE', '/skills/@{organization}/{name}', 'delete_organization_skill'],
  ['GET', '/skills/@{organization}/{name}', 'get_organization_skill'],
  ['PATCH', '/skills/@{organization}/{name}', 'update_organization_skill'],
  ['POST', '/skills/@{organization}/{name}/aliases', 'set_organization_skill_alias'],
  ['DELETE', '/skills/@{organization}/{name}/aliases/{alias}', 'delete_organization_skill_alias'],
  [
    'GET',
    '/skills/@{organization}/{name}/aliases/{alias}',
    'get_organization_skill_version_by_alias',
  ],
  ['POST', '/skills/@{organization}/{name}/tags', 'set_organization_skill_tag'],
  ['DELETE', '/skills/@{organization}/{name}/tags/{key:path}', 'delete_organization_skill_tag'],
  ['GET', '/skills/@{organization}/{name}/versions', 'search_organization_skill_versions'],
  ['POST', '/skills/@{organization}/{name}/versions', 'create_organization_skill_version'],
  [
    'DELETE',
    '/skills/@{organization}/{name}/versions/{version}',
    'delete_organization_skill_version',
  ],
  ['GET', '/skills/@{organization}/{name}/versions/{version}', 'get_organization_skill_version'],
  [
    'PATCH',
    '/skills/@{organization}/{name}/versions/{version}',
    'update_organization_skill_version',
  ],
  [
    'POST',
    '/skills/@{organization}/{name}/versions/{version}/tags',
    'set_organization_skill_version_tag',
  ],
  [
    'DELETE',
    '/skills/@{organization}/{name}/versions/{version}/tags/{key:path}',
    'delete_organization_skill_version_tag',
  ],
  ['POST', '/skills/bulk-register', 'bulk_register_skills'],
  ['DELETE', '/skills/{name}', 'delete_skill'],
  ['GET', '/skills/{name}', 'get_skill'],
  ['PATCH', '/skills/{name}', 'update_skill'],
  ['POST', '/skills/{name}/aliases', 'set_skill_alias'],
  ['DELETE', '/skills/{name}/aliases/{alias}', 'delete_skill_alias'],
  ['GET', '/skills/{name}/aliases/{alias}', 'get_skill_version_by_alias'],
  ['POST', '/skills/{name}/tags', 'set_skill_tag'],
  ['DELETE', '/skills/{name}/tags/{key:path}', 'delete_skill_tag'],
  ['GET', '/skills/{name}/versions', 'search_skill_versions'],
  ['POST', '/skills/{name}/versions', 'create_skill_version'],
  ['DELETE', '/skills/{name}/versions/{version}', 'delete_skill_version'],
  ['GET', '/skills/{name}/versions/{version}', 'get_skill_version'],
  ['PATCH', '/skills/{name}/versions/{version}', 'update_skill_version'],
  ['POST', '/skills/{name}/versions/{version}/tags', 'set_skill_version_tag'],
  ['DELETE', '/skills/{name}/versions/{version}/tags/{key:path}', 'delete_skill_version_tag'],
]

// Creating a skill version accepts JSON or a multipart/form-data upload of its content
// (skill_registry_api.py _parse_registration_request), so that body is passed through untouched.
const STREAMED = new Set(['create_skill_version', 'create_organization_skill_version'])

function rows(entries: readonly Entry[], module: string): Row[] {
  return entries.flatMap(([method, path, handler]) =>
    both(3, method, `/mlflow${path}`, {
      action: 'admin',
      body: STREAMED.has(handler)
        ? 'stream'
        : method === 'GET' || method === 'DELETE'
          ? 'none'
          : 'json',
      source: `${module} ${handler}`,
    }),
  )
}

export const ROWS: readonly Row[] = [
  ...rows(MCP_SERVERS, 'mcp_server_api.py'),
  ...rows(SKILLS, 'skill_registry_api.py'),
]
