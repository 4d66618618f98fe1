/** Catalogue rows for the web UI's files and the server's liveness and version routes. */
import type { Row } from '../row.js'
import { at } from './build.js'

export const ROWS: readonly Row[] = [
  // index.html of the single-page UI (mlflow/server/__init__.py serve); the UI uses hash routes,
  // so every page loads from here.
  ...at('GET', '/', { action: 'public', body: 'none', source: '__init__.py serve' }),
  // The UI bundle, cached for 28 days (send_from_directory max_age=2419200).
  ...at('GET', '/static-files/{path:path}', {
    action: 'public',
    body: 'none',
    source: '__init__.py serve_static_file',
  }),
  // Flask's own static route for `static_folder="js/build"`: the same files again, under
  // `/<basename of static_folder>` = /build (flask.Flask static_url_path default). MLflow never
  // links to it, but it is served.
  ...at('GET', '/build/{filename:path}', {
    action: 'public',
    body: 'none',
    source: '__init__.py app = Flask(__name__, static_folder="js/build"): Flask endpoint static',
  }),
  // Answered by the native FastAPI route under uvicorn so probes never wait for a Flask worker
  // (server_info_api.py health); gunicorn and waitress serve the Flask view __init__.py health.
  ...at('GET', '/health', {
    action: 'public',
    body: 'none',
    source: 'server_info_api.py health (Flask: __init__.py health)',
  }),
  // The MLflow version string. MLflow's basic-auth plugin requires a login for it; the gateway
  // treats it as public.
  ...at('GET', '/version', { action: 'public', body: 'none', source: '__init__.py version' }),
]
