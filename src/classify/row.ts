/** The shape of one endpoint-catalogue row: an MLflow route, what it does, and where it names its resource. */

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/**
 * What a route does to its resource, mapped later to the permission it needs:
 * read < use < update (EDIT) < delete (EDIT) < manage; `create` is the separate right to create;
 * `admin` is for gateway admins only; `public` needs no identity at all (health, static UI files);
 * `authenticated` needs any signed-in user; `deny` is never forwarded (e.g. routes MLflow itself
 * only trusts for loopback callers).
 */
export type Action =
  | 'read'
  | 'use'
  | 'update'
  | 'delete'
  | 'manage'
  | 'create'
  | 'admin'
  | 'public'
  | 'authenticated'
  | 'deny'

/** The resources grants can name directly, and those resolved to one of them. */
export type ResourceKind =
  | 'experiment'
  | 'registered-model'
  // Resolved to their experiment by asking MLflow:
  | 'run'
  | 'trace'
  | 'logged-model'
  | 'scorer'
  // Resolved to their registered model (model versions and aliases carry the model name):
  | 'model-version'
  | 'prompt'
  // A path in the mlflow-artifacts store, resolved to the experiments whose artifact folders
  // contain it (authorize/artifact-owners.ts):
  | 'artifact'

/**
 * Where MLflow's handler (not its auth module) reads the id, in MLflow 3.18.0:
 * - `message`: the request message built by `_get_request_message` (mlflow/server/handlers.py):
 *   the query string for a GET with a non-empty query, otherwise the JSON body; the field in
 *   snake_case (its lowerCamelCase spelling is accepted by MLflow too and is checked by the
 *   classifier). `alias` is a fallback field the handler reads when `field` is empty
 *   (`run_id or run_uuid`).
 *   `field` may be a dotted path into nested messages
 *   (`trace.trace_info.trace_location.mlflow_experiment.experiment_id`); with `list`, every
 *   repeated step on the way collects (`locations.mlflow_experiment.experiment_id`).
 * - `query`: a Flask view reading `request.args` directly (e.g. get-artifact).
 * - `path`: a path parameter of the route template.
 * - `artifact-path`: the path after the mlflow-artifacts prefix, relative to the artifact store's
 *   root (`<experiment_id>/<run_id>/artifacts/...` for default locations); with `field`, that
 *   artifact path is read from the message field instead (the list route,
 *   `GET .../mlflow-artifacts/artifacts?path=...`, has no path parameter; without it, the root).
 * - `header`: a request header, matched case-insensitively (the OTLP route `POST /v1/traces` reads
 *   its experiment from `X-Mlflow-Experiment-Id`, mlflow/server/otel_api.py `export_traces`).
 */
export type IdSource =
  | {
      readonly in: 'message'
      readonly field: string
      readonly alias?: string
      readonly list?: true
    }
  | { readonly in: 'query'; readonly field: string; readonly alias?: string; readonly list?: true }
  | { readonly in: 'path'; readonly param: string }
  | { readonly in: 'artifact-path'; readonly field?: string }
  | { readonly in: 'header'; readonly name: string }

export type Row = {
  readonly method: Method
  /**
   * The full path template as MLflow serves it, `{name}` for a path parameter and `{name:path}`
   * for one that may contain slashes, e.g. `/api/2.0/mlflow/experiments/get` or
   * `/ajax-api/3.0/mlflow/traces/{trace_id}`. Every prefix variant is its own row.
   */
  readonly path: string
  readonly action: Action
  /** The resource acted on; absent for routes about no resource (server-info, health). */
  readonly resource?: {
    readonly kind: ResourceKind
    /** `name` for create rows (checked against the create right's name pattern). */
    readonly by: 'id' | 'name'
    readonly id: IdSource
  }
  /** `json`: the body is a JSON message read by the gateway; `stream`: passed through untouched. */
  readonly body: 'json' | 'stream' | 'none'
  /**
   * Query or message fields MLflow joins onto an artifact root after `validate_path_is_safe`
   * (`relative`), or reduces to a file name (`file-name`). The classifier refuses a value that
   * could traverse or decode differently (classify/artifact-path.ts) before MLflow sees it.
   */
  readonly artifactPaths?: Readonly<Record<string, 'relative' | 'file-name'>>
  /**
   * The answer is a stored file (an artifact download): forward/ adds headers so the file cannot
   * run script in the gateway's origin (forward/headers.ts `toDownloadHeaders`).
   */
  readonly download?: true
  /**
   * Resources the request names beside the one it acts on, which MLflow then reads on the caller's
   * behalf (a model version's `source`): each needs READ (authorize/references.ts).
   */
  readonly references?: 'model-version-source'
  /** Names the response filter a search/list route needs (applied by filter/ in a later step). */
  readonly filter?: string
  /** Where this behaviour comes from in MLflow 3.18.0, e.g. `handlers.py _get_experiment`. */
  readonly source: string
}
