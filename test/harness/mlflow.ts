/** Vitest fixture: a real `mlflow server` per test file, its log printed when a test fails. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll } from 'vitest'
import {
  startMlflowServer,
  type MlflowServer,
  type MlflowServerOptions,
} from '../../src/mlflow/server-process.js'

/** The admin a basic-auth MLflow is started with (MLflow 3.x wants 12 characters or more). */
export const BASIC_AUTH_ADMIN = { username: 'admin', password: 'admin-password-123' } as const

export type UseMlflowOptions = Pick<
  MlflowServerOptions,
  'workers' | 'bin' | 'env' | 'startTimeoutMs' | 'extraArgs'
> & {
  /**
   * Runs MLflow's own auth app (`--app-name basic-auth`) with BASIC_AUTH_ADMIN, its users in a
   * SQLite file, and this `default_permission` (mlflow/server/auth/basic_auth.ini), to compare the
   * gateway's auth API with it.
   */
  basicAuth?: { defaultPermission: 'READ' | 'NO_PERMISSIONS' }
}

/** The ini MLflow's auth app reads from MLFLOW_AUTH_CONFIG_PATH (mlflow/server/auth/config.py). */
function basicAuthEnv(dir: string, defaultPermission: string): Record<string, string> {
  const ini = join(dir, 'basic_auth.ini')
  writeFileSync(
    ini,
    [
      '[mlflow]',
      `default_permission = ${defaultPermission}`,
      `database_uri = sqlite:///${join(dir, 'basic_auth.db')}`,
      `admin_username = ${BASIC_AUTH_ADMIN.username}`,
      `admin_password = ${BASIC_AUTH_ADMIN.password}`,
      'authorization_function = mlflow.server.auth:authenticate_request_basic_auth',
      '',
    ].join('\n'),
  )
  return { MLFLOW_AUTH_CONFIG_PATH: ini, MLFLOW_FLASK_SERVER_SECRET_KEY: 'mlflow-gate-tests' }
}

/**
 * Starts MLflow (SQLite store, --serve-artifacts, temp folders) before the file's tests and stops
 * it by process group afterwards, whatever happened. Use the returned getter inside tests.
 */
export function useMlflow(options: UseMlflowOptions = {}): () => MlflowServer {
  let server: MlflowServer | undefined
  let dir: string | undefined
  let printed = false
  beforeAll(
    async () => {
      dir = mkdtempSync(join(tmpdir(), 'mlflow-gate-test-'))
      const { basicAuth, env, ...rest } = options
      server = await startMlflowServer({
        dataDir: dir,
        ...rest,
        env: {
          // MLflow 3.18 otherwise starts a job runner and three huey consumers per server: most
          // of a test server's start-up CPU, for jobs no test runs (the bench does the same).
          MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false',
          ...env,
          ...(basicAuth && basicAuthEnv(dir, basicAuth.defaultPermission)),
        },
        ...(basicAuth && { extraArgs: [...(rest.extraArgs ?? []), '--app-name', 'basic-auth'] }),
      })
    },
    (options.startTimeoutMs ?? 90_000) + 30_000,
  )
  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail' && server && !printed) {
      printed = true
      process.stderr.write(
        `\n--- MLflow log (${server.logFile}), last lines ---\n${server.logTail(60)}\n---\n`,
      )
    }
  })
  afterAll(async () => {
    await server?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })
  return () => {
    if (!server) throw new Error('MLflow is not running (beforeAll failed?)')
    return server
  }
}

/**
 * Calls MLflow's REST API directly, bypassing the gateway: to seed a test's world and to check
 * what MLflow really holds. GET without a body, POST with one; anything but 200 fails the test.
 */
export async function callMlflow<T>(server: MlflowServer, path: string, body?: object): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body && JSON.stringify(body),
  })
  const text = await res.text()
  if (res.status !== 200) throw new Error(`MLflow ${path} answered ${res.status}: ${text}`)
  return JSON.parse(text) as T
}
