/**
 * MLflow's auth API answered by the gateway: the real auth clients (MLflow 3.18.0's and 2.22.5's
 * `get_app_client("basic-auth")`) give the same outcomes through the gateway as against MLflow's
 * own basic-auth servers, and what the gateway adds (never forwarding, the UI's
 * users/current, config-owned users and grants, tokens, audit) holds over plain HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureMlflowVenv, MLFLOW_2X } from '../../src/mlflow/venv.js'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { BASIC_AUTH_ADMIN, useMlflow } from '../harness/mlflow.js'
import { runPython } from '../harness/python.js'
import { USERS } from '../harness/users.js'
import { EXPECTED_2X, EXPECTED_3X, type Outcomes } from './mlflow-auth-compat.expected.js'

// MLflow 2.22.5 (its own venv, with the basic-auth app's packages) for the 2.x client and server.
beforeAll(() => ensureMlflowVenv({ other: MLFLOW_2X }), 600_000)

/** Three MLflow servers start for this file; the auth routes need no jobs, so none run. */
const QUIET = { env: { MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false' }, startTimeoutMs: 240_000 }
const upstream = useMlflow(QUIET)
/** MLflow's own auth app; NO_PERMISSIONS by default so, as in the gateway, only grants give access. */
const real3 = useMlflow({ ...QUIET, basicAuth: { defaultPermission: 'NO_PERMISSIONS' } })
const real2 = useMlflow({
  ...QUIET,
  bin: `${MLFLOW_2X.venv}/bin/mlflow`,
  basicAuth: { defaultPermission: 'NO_PERMISSIONS' },
})

const gateways: TestGateway[] = []
afterAll(async () => {
  await Promise.all(gateways.map((g) => g.close()))
})

/** A gateway of its own (users live in its in-memory store) in front of the shared MLflow. */
async function gateway(access: Record<string, unknown> = {}): Promise<TestGateway> {
  const g = await startTestGateway(upstream().url, {
    access: { users: [{ name: 'admin', password_hash: USERS.admin.hash, admin: true }], ...access },
  })
  gateways.push(g)
  return g
}

/** The scenarios run about 80 client calls each, on a loaded machine; MLflow checks scrypt on every one. */
const SCENARIO_MS = 600_000

const asAdmin = (uri: string, password: string) => ({
  MLFLOW_TRACKING_URI: uri,
  MLFLOW_TRACKING_USERNAME: 'admin',
  MLFLOW_TRACKING_PASSWORD: password,
  // A refused request is the outcome; the client must not retry it.
  MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0',
})

describe('MLflow 3.18.0 auth client through the gateway', () => {
  it(
    "gives the outcomes MLflow's own basic-auth server gives, grants felt at once",
    async () => {
      const g = await gateway()
      const run = (uri: string, password: string) =>
        runPython<Outcomes>('auth_client.py', [], asAdmin(uri, password), SCENARIO_MS)
      const viaGateway = await run(g.url, USERS.admin.password)
      const viaMlflow = await run(real3().url, BASIC_AUTH_ADMIN.password)
      expect(viaMlflow).toEqual(EXPECTED_3X)
      expect(viaGateway).toEqual(EXPECTED_3X)
    },
    2 * SCENARIO_MS,
  )
})

describe('MLflow 2.22.5 auth client (per-resource permission routes) through the gateway', () => {
  it(
    "gives the outcomes MLflow 2.22.5's own basic-auth server gives",
    async () => {
      const g = await gateway()
      const run = (uri: string, password: string) =>
        runPython<Outcomes>(
          'auth_client_2x.py',
          [],
          asAdmin(uri, password),
          SCENARIO_MS,
          `${MLFLOW_2X.venv}/bin/python`,
        )
      const viaGateway = await run(g.url, USERS.admin.password)
      const viaMlflow = await run(real2().url, BASIC_AUTH_ADMIN.password)
      expect(viaMlflow).toEqual(EXPECTED_2X)
      expect(viaGateway).toEqual(EXPECTED_2X)
    },
    2 * SCENARIO_MS,
  )
})
