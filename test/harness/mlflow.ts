/** Vitest fixture: a real `mlflow server` per test file, its log printed when a test fails. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { startMlflowServer, type MlflowServer } from '../../src/mlflow/server-process.js'

/**
 * Starts MLflow (SQLite store, --serve-artifacts, temp folders) before the file's tests and stops
 * it by process group afterwards, whatever happened. Use the returned getter inside tests.
 */
export function useMlflow(
  options: { workers?: number; extraArgs?: string[] } = {},
): () => MlflowServer {
  let server: MlflowServer | undefined
  let dir: string | undefined
  let printed = false
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mlflow-gate-test-'))
    server = await startMlflowServer({ dataDir: dir, ...options })
  })
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
