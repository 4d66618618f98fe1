/** Starts MLflow's own basic-auth app (`mlflow server --app-name basic-auth`) and gives a user READ on chosen experiments through its REST API. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startMlflowServer } from '../../dist/mlflow/server-process.js'

/**
 * For every MLflow this suite starts: no job runner. MLflow 3.18.0 otherwise starts a job runner
 * and several huey consumers per server (mlflow/server/__init__.py _run_server), which use CPU
 * while idle; searches never use them. Start-up gets a generous timeout: the box is shared.
 */
export const MLFLOW_SERVER_QUIET = {
  env: { MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false' },
  startTimeoutMs: 300_000,
}

export const BASIC_AUTH_ADMIN = { user: 'admin', password: 'bench-admin-password' }

/** `Authorization` header value for HTTP Basic. */
export const basicHeader = ({ user, password }) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`

/**
 * The auth app's ini file (mlflow/server/auth/config.py read_auth_config). NO_PERMISSIONS as the
 * default, so a user sees only what is granted (the shipped default, READ, shows everything).
 * MLflow 3.18.0 ships no admin password: the app refuses to start without `admin_password`.
 * `cacheTtlSeconds` > 0 turns on its opt-in credential cache (auth_cache_ttl_seconds, off by
 * default): without it every authenticate_request() call checks the scrypt hash again.
 */
function authIni({ authDbPath, cacheTtlSeconds }) {
  return [
    '[mlflow]',
    'default_permission = NO_PERMISSIONS',
    `database_uri = sqlite:///${authDbPath}`,
    `admin_username = ${BASIC_AUTH_ADMIN.user}`,
    `admin_password = ${BASIC_AUTH_ADMIN.password}`,
    'authorization_function = mlflow.server.auth:authenticate_request_basic_auth',
    `auth_cache_ttl_seconds = ${cacheTtlSeconds}`,
    '',
  ].join('\n')
}

/**
 * `mlflow server --app-name basic-auth` on an existing tracking store, with its own auth
 * database. Several instances may share one auth database; start them one after another (the
 * first creates its tables and the admin user).
 */
export async function startBasicAuthMlflow({
  dataDir,
  backendStoreUri,
  authDbPath,
  cacheTtlSeconds = 0,
  workers = 1,
}) {
  const iniPath = join(dataDir, 'basic_auth.ini')
  // The ini must exist before the server starts, so dataDir is created here already.
  mkdirSync(dataDir, { recursive: true })
  writeFileSync(iniPath, authIni({ authDbPath, cacheTtlSeconds }))
  return startMlflowServer({
    dataDir,
    backendStoreUri,
    workers,
    extraArgs: ['--app-name', 'basic-auth'],
    startTimeoutMs: MLFLOW_SERVER_QUIET.startTimeoutMs,
    env: {
      ...MLFLOW_SERVER_QUIET.env,
      MLFLOW_AUTH_CONFIG_PATH: iniPath,
      // Required by the auth app for its CSRF protection (auth/__init__.py get_flask_server_secret_key).
      MLFLOW_FLASK_SERVER_SECRET_KEY: 'mlflow-gate-bench',
    },
  })
}

async function adminCall(url, path, body) {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basicHeader(BASIC_AUTH_ADMIN) },
    body: JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`basic-auth ${path} answered ${res.status}: ${text.slice(0, 500)}`)
  return text
}

/**
 * Creates `user` and grants READ on each of `experimentIds`, `concurrency` calls at a time.
 * MLflow 3.18.0 no longer serves /api/2.0/mlflow/experiments/permissions/create (404); per-user
 * grants go through /api/3.0/mlflow/users/permissions/grant (auth/routes.py
 * GRANT_USER_PERMISSION, auth/__init__.py grant_user_permission).
 */
export async function createReader(url, { user, password }, experimentIds, concurrency = 4) {
  await adminCall(url, '/api/2.0/mlflow/users/create', { username: user, password })
  const queue = [...experimentIds]
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      await adminCall(url, '/api/3.0/mlflow/users/permissions/grant', {
        username: user,
        resource_type: 'experiment',
        resource_id: id,
        permission: 'READ',
      })
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}
