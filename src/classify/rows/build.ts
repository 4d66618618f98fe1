/** Small builders the catalogue files use to write rows compactly; every result is a plain Row. */
import type { IdSource, Method, ResourceKind, Row } from '../row.js'

/** A row without its method and path: what the route does and where it names its resource. */
export type Spec = Omit<Row, 'method' | 'path'>
export type Resource = NonNullable<Row['resource']>

/** One row at an exact path, for routes served at a single path (FastAPI routers, Flask views). */
export function at(method: Method, path: string, spec: Spec): Row[] {
  return [{ method, path, ...spec }]
}

/** `/api/<version>.0<path>` only. */
export function api(version: 2 | 3, method: Method, path: string, spec: Spec): Row[] {
  return at(method, `/api/${version}.0${path}`, spec)
}

/** `/ajax-api/<version>.0<path>` only (routes MLflow registers with `_get_ajax_path`). */
export function ajax(version: 2 | 3, method: Method, path: string, spec: Spec): Row[] {
  return at(method, `/ajax-api/${version}.0${path}`, spec)
}

/**
 * Both prefixes, as `handlers.get_service_endpoints` registers every proto RPC through
 * `_get_paths` (mlflow/server/handlers.py): `/api/<major>.0<path>` and `/ajax-api/<major>.0<path>`,
 * where `<major>` is the RPC's `since.major`. Native FastAPI routers that MLflow includes under
 * both prefixes (MCP servers, skills) use it too.
 */
export function both(version: 2 | 3, method: Method, path: string, spec: Spec): Row[] {
  return [...api(version, method, path, spec), ...ajax(version, method, path, spec)]
}

// Id sources (see IdSource in ../row.ts).

/** A field of the request message (`_get_request_message`), with the handler's fallback field. */
export function msg(field: string, alias?: string): IdSource {
  return alias === undefined ? { in: 'message', field } : { in: 'message', field, alias }
}
/** A repeated field of the request message: every id in it is checked. */
export function msgList(field: string): IdSource {
  return { in: 'message', field, list: true }
}
/** A `request.args` field read directly by a Flask view. */
export function query(field: string, alias?: string): IdSource {
  return alias === undefined ? { in: 'query', field } : { in: 'query', field, alias }
}
export function queryList(field: string): IdSource {
  return { in: 'query', field, list: true }
}
/** A path parameter of the route template. */
export function param(name: string): IdSource {
  return { in: 'path', param: name }
}
/** The mlflow-artifacts path: from the route's `{artifact_path:path}`, or from a message field. */
export function artifactPath(field?: string): IdSource {
  return field === undefined ? { in: 'artifact-path' } : { in: 'artifact-path', field }
}
export function header(name: string): IdSource {
  return { in: 'header', name }
}

// Resources.

/** An existing resource named by its id (a registered model's id is its name). */
export function on(kind: ResourceKind, id: IdSource): Resource {
  return { kind, by: 'id', id }
}
/** A resource named by its name: create rows, and lookups by name such as get-by-name. */
export function named(kind: ResourceKind, id: IdSource): Resource {
  return { kind, by: 'name', id }
}
