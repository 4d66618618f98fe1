/** Catalogue rows for artifact transfer: Flask artifact views and the mlflow-artifacts proxy. */
import type { Row } from '../row.js'
import { ajax, artifactPath, at, both, on, param, query, type Spec } from './build.js'

// The proxy's artifact paths are relative to the artifact store's root. Which experiment owns
// one is not in its first segment (an experiment created with `artifact_location:
// mlflow-artifacts:/team/x` keeps its runs under `team/x/<run_id>/artifacts`, and with workspaces
// enabled locations start `workspaces/<name>/`): authorize/ maps it to the experiments whose
// artifact folders contain it, learnt from MLflow. Paths in none (the root, the skill upload
// namespace `skills/...`) are for admins only.
const proxied = on('artifact', artifactPath())

const mlflowArtifacts = (method: Row['method'], path: string, spec: Spec) =>
  both(2, method, `/mlflow-artifacts${path}`, spec)

export const ROWS: readonly Row[] = [
  // Flask views (mlflow/server/__init__.py) reading `request.args` directly:
  // `run_id or run_uuid` and `path`.
  ...at('GET', '/get-artifact', {
    action: 'read',
    resource: on('run', query('run_id', 'run_uuid')),
    body: 'stream',
    artifactPaths: { path: 'relative' },
    download: true,
    source: '__init__.py serve_artifacts -> handlers.py get_artifact_handler',
  }),
  // `name`, `version`, `path` from the query. With `presigned=true` it answers with a presigned
  // URL; for a `runs:/` source it reads the source run's artifact root without checking the run
  // ("model-version READ is sufficient", per the handler).
  ...at('GET', '/model-versions/get-artifact', {
    action: 'read',
    resource: on('model-version', query('name')),
    body: 'stream',
    artifactPaths: { path: 'relative' },
    download: true,
    source:
      '__init__.py serve_model_version_artifact -> handlers.py get_model_version_artifact_handler',
  }),
  // Raw body of at most 10 MB. 3.18.0 writes to `run_id or run_uuid` (the same run it reads), so
  // the split between auth (`run_id`) and handler (`run_uuid`) described for older versions is
  // gone.
  ...ajax(2, 'POST', '/mlflow/upload-artifact', {
    action: 'update',
    resource: on('run', query('run_id', 'run_uuid')),
    body: 'stream',
    artifactPaths: { path: 'relative' },
    source: '__init__.py serve_upload_artifact -> handlers.py upload_artifact_handler',
  }),
  // Logged model artifact download for the UI; `artifact_file_path` from the query.
  ...ajax(2, 'GET', '/mlflow/logged-models/{model_id}/artifacts/files', {
    action: 'read',
    resource: on('logged-model', param('model_id')),
    body: 'stream',
    artifactPaths: { artifact_file_path: 'relative' },
    download: true,
    source:
      '__init__.py serve_get_logged_model_artifact -> handlers.py get_logged_model_artifact_handler',
  }),

  // mlflow-artifacts proxy (MlflowArtifactsService). GET and PUT of a file are served by the
  // native FastAPI router under uvicorn (artifact_router.py download_artifact / upload_artifact,
  // matched before the Flask mount); gunicorn and waitress fall back to the Flask handlers
  // `_download_artifact` / `_upload_artifact`, which read the same path.
  ...mlflowArtifacts('GET', '/artifacts/{artifact_path:path}', {
    action: 'read',
    resource: proxied,
    body: 'stream',
    download: true,
    source: 'artifact_router.py download_artifact (Flask: handlers.py _download_artifact)',
  }),
  ...mlflowArtifacts('PUT', '/artifacts/{artifact_path:path}', {
    action: 'update',
    resource: proxied,
    body: 'stream',
    source: 'artifact_router.py upload_artifact (Flask: handlers.py _upload_artifact)',
  }),
  // The handler parses a DeleteArtifact message but only uses the path parameter.
  ...mlflowArtifacts('DELETE', '/artifacts/{artifact_path:path}', {
    action: 'delete',
    resource: proxied,
    body: 'json',
    source: 'handlers.py _delete_artifact_mlflow_artifacts',
  }),
  // The listed directory is the message's `path` (query string for a GET with one).
  ...mlflowArtifacts('GET', '/artifacts', {
    action: 'read',
    resource: on('artifact', artifactPath('path')),
    body: 'json',
    source: 'handlers.py _list_artifacts_mlflow_artifacts',
  }),
  // Multipart uploads: the directory is the path parameter; the message's `path` is reduced to a
  // file name (_get_multipart_upload_file_name), so it cannot leave that directory.
  ...mlflowArtifacts('POST', '/mpu/create/{artifact_path:path}', {
    action: 'update',
    resource: proxied,
    body: 'json',
    artifactPaths: { path: 'file-name' },
    source: 'handlers.py _create_multipart_upload_artifact',
  }),
  ...mlflowArtifacts('POST', '/mpu/complete/{artifact_path:path}', {
    action: 'update',
    resource: proxied,
    body: 'json',
    artifactPaths: { path: 'file-name' },
    source: 'handlers.py _complete_multipart_upload_artifact',
  }),
  ...mlflowArtifacts('POST', '/mpu/abort/{artifact_path:path}', {
    action: 'update',
    resource: proxied,
    body: 'json',
    artifactPaths: { path: 'file-name' },
    source: 'handlers.py _abort_multipart_upload_artifact',
  }),
  // Answers with a presigned download URL for the file (the download itself bypasses the gateway).
  ...mlflowArtifacts('GET', '/presigned/{artifact_path:path}', {
    action: 'read',
    resource: proxied,
    body: 'none',
    source: 'handlers.py _get_presigned_download_url',
  }),
]
