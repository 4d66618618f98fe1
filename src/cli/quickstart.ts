/** `mlflow-gate quickstart` (what `npm start` runs): a real local MLflow with the gateway in front of it. */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadConfig } from '../config/load.js'
import { hashPassword } from '../identify/password.js'
import { startMlflowServer } from '../mlflow/server-process.js'
import { ensureMlflowVenv, PROJECT_ROOT } from '../mlflow/venv.js'
import { startGateway } from '../server/app.js'
import type { Command } from './index.js'
import { DEMO, PUBLIC_PATTERN, seedQuickstartDemo } from './quickstart-demo.js'
import { untilSignal } from './serve.js'

export const quickstartCommand: Command = {
  summary: 'start a local MLflow (SQLite, artifacts on disk) with the gateway in front of it',
  usage: 'Usage: mlflow-gate quickstart [--port PORT] [--data-dir DIR]',
  help: `Installs the pinned MLflow into .mlflow-venv/ if needed (a few minutes, once), starts
'mlflow server' on a free loopback port with its data in DIR, starts the gateway in front of
it, and prints what to open. Ctrl-C stops both. Data stays in DIR for the next run.
An empty MLflow store gets two demo experiments with a run each: ${DEMO.public}, which
anonymous visitors may read (like everything named ${PUBLIC_PATTERN}), and ${DEMO.private}.

Options:
  -p, --port PORT      the gateway's port (default 8080)
  -d, --data-dir DIR   where MLflow and the gateway keep their data (default .quickstart/)

Example:
  npm start                       # the same as: mlflow-gate quickstart
  mlflow-gate quickstart --port 9000
`,
  options: { port: { type: 'string', short: 'p' }, 'data-dir': { type: 'string', short: 'd' } },
  async run(values) {
    const port = Number(values.port ?? 8080)
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      process.stderr.write(
        `mlflow-gate quickstart: --port must be a TCP port, got '${values.port}'\n`,
      )
      return 2
    }
    const dataDir = (values['data-dir'] as string | undefined) ?? join(PROJECT_ROOT, '.quickstart')
    step('checking the MLflow install (.mlflow-venv/)')
    await ensureMlflowVenv()
    step(`starting MLflow with its data in ${dataDir}`)
    const mlflow = await startMlflowServer({ dataDir: join(dataDir, 'mlflow') })
    try {
      if (await seedQuickstartDemo(mlflow.url)) {
        step(`logged the demo experiments ${DEMO.public} and ${DEMO.private}`)
      }
      const { file, adminPassword } = await ensureQuickstartConfig(dataDir)
      const loaded = loadConfig({
        file,
        env: { ...process.env, MLFLOW_GATE_UPSTREAM_URL: mlflow.url },
      })
      const config = { ...loaded, listen: { ...loaded.listen, port } }
      const gateway = await startGateway(config, { drainMs: 2_000 }).catch(
        (err: NodeJS.ErrnoException) => {
          throw err.code === 'EADDRINUSE'
            ? new Error(`port ${port} is in use; choose another with: npm start -- --port 9000`)
            : err
        },
      )
      banner({ gatewayUrl: gateway.url, mlflowUrl: mlflow.url, dataDir, file, adminPassword })
      await untilSignal(gateway, () => mlflow.stop())
      return 0
    } catch (err) {
      await mlflow.stop()
      process.stderr.write(`mlflow-gate quickstart: ${(err as Error).message}\n`)
      return 1
    }
  },
}

/**
 * Writes the quickstart's config on first run: anonymous visitors may read what is named public-*
 * and change nothing; one admin with a random password, kept in admin-password (mode 0600).
 */
async function ensureQuickstartConfig(
  dataDir: string,
): Promise<{ file: string; adminPassword: string }> {
  const file = join(dataDir, 'mlflow-gate.yaml')
  const passwordFile = join(dataDir, 'admin-password')
  if (existsSync(file) && existsSync(passwordFile)) {
    return { file, adminPassword: readFileSync(passwordFile, 'utf8').trim() }
  }
  mkdirSync(dataDir, { recursive: true })
  const adminPassword = randomBytes(12).toString('base64url')
  writeFileSync(passwordFile, `${adminPassword}\n`, { mode: 0o600 })
  writeFileSync(file, quickstartYaml(await hashPassword(adminPassword)))
  return { file, adminPassword }
}

function quickstartYaml(adminHash: string): string {
  return `# yaml-language-server: $schema=../config.schema.json
# Written by 'mlflow-gate quickstart'. Edit it and restart; 'mlflow-gate check --config' validates it.
# upstream.url is set on each start to the MLflow the quickstart runs.
version: 1
storage:
  url: sqlite:gate/mlflow-gate.db
access:
  # Visitors without credentials browse what is named ${PUBLIC_PATTERN} and change nothing.
  anonymous: true
  users:
    - name: admin
      password_hash: "${adminHash}"
      admin: true
  grants:
    # To make more public: name experiments and models ${PUBLIC_PATTERN} (rename them in the UI as
    # admin), or add patterns or ids here, e.g. experiments: ["${PUBLIC_PATTERN}", "team-demo"],
    # experiment_ids: ["7"]. experiments: ["*"] makes everything public.
    - to: anonymous
      experiments: ["${PUBLIC_PATTERN}"]
      registered_models: ["${PUBLIC_PATTERN}"]
      permission: READ
  # Nobody but the admin may create experiments or models until you add rights here, e.g.
  # create:
  #   - to: group:ml-team
  #     experiments: ["team-*"]
`
}

function step(text: string): void {
  process.stderr.write(`mlflow-gate quickstart: ${text}\n`)
}

function banner(o: {
  gatewayUrl: string
  mlflowUrl: string
  dataDir: string
  file: string
  adminPassword: string
}): void {
  process.stdout.write(`
  mlflow-gate is running.

    Open the MLflow UI:      ${o.gatewayUrl}/   (anonymous: ${PUBLIC_PATTERN} only, read-only)
    Point the MLflow client: export MLFLOW_TRACKING_URI=${o.gatewayUrl}
    As the admin:            export MLFLOW_TRACKING_USERNAME=admin MLFLOW_TRACKING_PASSWORD=${o.adminPassword}
    Gateway health:          ${o.gatewayUrl}/readyz
    MLflow itself (direct):  ${o.mlflowUrl}   (loopback only; use the gateway)
    Access rules:            ${o.file}
    Data:                    ${o.dataDir}

  Anonymous visitors can read the experiments and models named ${PUBLIC_PATTERN} (such as
  ${DEMO.public}) and change nothing; ${DEMO.private} and everything else needs credentials (the
  MLflow client as above; browsers stay anonymous until the sign-in page arrives). The admin can
  do everything. To make more public, rename it to ${PUBLIC_PATTERN} or add a grant in the access
  rules file and restart. Each request is written to stdout as one JSON audit line.

  Press Ctrl-C to stop the gateway and MLflow.
`)
}
