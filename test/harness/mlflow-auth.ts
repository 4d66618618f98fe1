/** A database written by MLflow's own basic-auth app: starts it, seeds users and permissions with its client, stops it. */
import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { startMlflowServer, type MlflowServer } from '../../src/mlflow/server-process.js'
import { MLFLOW_2X, MLFLOW_VENV, PROJECT_ROOT } from '../../src/mlflow/venv.js'

const run = promisify(execFile)
export const AUTH_ADMIN = { name: 'admin', password: 'admin-password-1' }
/** The passwords seed_mlflow_auth.py gives its users (MLflow 3.18 wants 12 characters or more). */
export const AUTH_PASSWORDS = {
  admin: AUTH_ADMIN.password,
  alice: 'alice-password-1',
  bob: 'bob-password-12',
  carol: 'carol-password-1',
} as const

export type MlflowVersion = 'current' | '2.x'
const venvOf = (v: MlflowVersion) => (v === 'current' ? MLFLOW_VENV : MLFLOW_2X.venv)
const SLOW_START = 240_000

export type SeededAuth = {
  /** Holds mlflow.db (the tracking store the auth app wrote experiments to) and basic_auth.db. */
  readonly dataDir: string
  /** What import-mlflow-auth --from takes: the file, or the PostgreSQL URL given. */
  readonly authDb: string
  readonly experiments: { 'team-a': string; secret: string; open: string }
  /** A pbkdf2:sha256 hash of alice's password made by the venv's Werkzeug. */
  readonly pbkdf2Alice: string
}

/** Runs a script from test/python with a venv's Python and parses the JSON it prints last. */
export async function venvPython<T>(
  version: MlflowVersion,
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<T> {
  try {
    const { stdout } = await run(
      `${venvOf(version)}/bin/python`,
      [`${PROJECT_ROOT}test/python/${script}`, ...args],
      {
        env: { ...process.env, ...env },
        timeout: 240_000,
      },
    )
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as T
  } catch (err) {
    const e = err as { stderr?: string; message: string }
    throw new Error(`${script} failed: ${e.message}\n${e.stderr ?? ''}`)
  }
}

/**
 * `mlflow server --app-name basic-auth` with its ini (MLFLOW_AUTH_CONFIG_PATH: database_uri and the
 * first admin), seeded by test/python/seed_mlflow_auth.py, then stopped so the database is final.
 */
export async function seedMlflowAuth(
  version: MlflowVersion,
  databaseUri?: string,
): Promise<SeededAuth> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mlflow-gate-auth-'))
  const authFile = join(dataDir, 'basic_auth.db')
  const ini = join(dataDir, 'basic_auth.ini')
  writeFileSync(
    ini,
    [
      '[mlflow]',
      'default_permission = READ',
      `database_uri = ${databaseUri ?? `sqlite:///${authFile}`}`,
      `admin_username = ${AUTH_ADMIN.name}`,
      `admin_password = ${AUTH_ADMIN.password}`,
      'authorization_function = mlflow.server.auth:authenticate_request_basic_auth',
      '',
    ].join('\n'),
  )
  const server = await startAuthServer(version, dataDir, ini)
  try {
    const seeded = await venvPython<{
      experiments: SeededAuth['experiments']
      pbkdf2_alice: string
    }>(version, 'seed_mlflow_auth.py', [server.url, version === 'current' ? 'roles' : 'classic'], {
      MLFLOW_TRACKING_USERNAME: AUTH_ADMIN.name,
      MLFLOW_TRACKING_PASSWORD: AUTH_ADMIN.password,
    })
    return {
      dataDir,
      authDb: databaseUri ?? authFile,
      experiments: seeded.experiments,
      pbkdf2Alice: seeded.pbkdf2_alice,
    }
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- MLflow log ---\n${server.logTail(60)}`)
  } finally {
    await server.stop()
  }
}

function startAuthServer(
  version: MlflowVersion,
  dataDir: string,
  ini: string,
): Promise<MlflowServer> {
  return startMlflowServer({
    dataDir,
    bin: `${venvOf(version)}/bin/mlflow`,
    extraArgs: ['--app-name', 'basic-auth'],
    env: { MLFLOW_AUTH_CONFIG_PATH: ini, MLFLOW_FLASK_SERVER_SECRET_KEY: 'test-secret-key' },
    startTimeoutMs: SLOW_START,
  })
}

/** A plain tracking server (no auth) on the seeded store, for the gateway to stand in front of. */
export function startPlainServer(version: MlflowVersion, dataDir: string): Promise<MlflowServer> {
  return startMlflowServer({
    dataDir,
    bin: `${venvOf(version)}/bin/mlflow`,
    startTimeoutMs: SLOW_START,
  })
}
