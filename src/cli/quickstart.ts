/** `mlflow-gate quickstart` (what `npm start` runs): a real local MLflow with the gateway in front of it. */
import { join } from 'node:path'
import { parseConfig } from '../config/load.js'
import { startMlflowServer } from '../mlflow/server-process.js'
import { ensureMlflowVenv, PROJECT_ROOT } from '../mlflow/venv.js'
import { startGateway } from '../server/app.js'
import type { Command } from './index.js'
import { untilSignal } from './serve.js'

export const quickstartCommand: Command = {
  summary: 'start a local MLflow (SQLite, artifacts on disk) with the gateway in front of it',
  usage: 'Usage: mlflow-gate quickstart [--port PORT] [--data-dir DIR]',
  help: `Installs the pinned MLflow into .mlflow-venv/ if needed (a few minutes, once), starts
'mlflow server' on a free loopback port with its data in DIR, starts the gateway in front of
it, and prints what to open. Ctrl-C stops both. Data stays in DIR for the next run.

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
      const config = parseConfig(
        `listen: { port: ${port} }\nupstream: { url: "${mlflow.url}" }\nstorage: { url: "sqlite:gate/mlflow-gate.db" }\n`,
        { source: 'quickstart', baseDir: dataDir, env: {} },
      )
      const gateway = await startGateway(config, { drainMs: 2_000 }).catch(
        (err: NodeJS.ErrnoException) => {
          throw err.code === 'EADDRINUSE'
            ? new Error(`port ${port} is in use; choose another with: npm start -- --port 9000`)
            : err
        },
      )
      banner(gateway.url, mlflow.url, dataDir)
      await untilSignal(gateway, () => mlflow.stop())
      return 0
    } catch (err) {
      await mlflow.stop()
      process.stderr.write(`mlflow-gate quickstart: ${(err as Error).message}\n`)
      return 1
    }
  },
}

function step(text: string): void {
  process.stderr.write(`mlflow-gate quickstart: ${text}\n`)
}

function banner(gatewayUrl: string, mlflowUrl: string, dataDir: string): void {
  process.stdout.write(`
  mlflow-gate is running.

    Open the MLflow UI:      ${gatewayUrl}/
    Point the MLflow client: export MLFLOW_TRACKING_URI=${gatewayUrl}
    Gateway health:          ${gatewayUrl}/readyz
    MLflow itself (direct):  ${mlflowUrl}   (loopback only; use the gateway)
    Data:                    ${dataDir}

  NOTE: access control is not enabled in this version. Every request is forwarded to MLflow
  as-is, so everyone who can reach ${gatewayUrl} can read and change everything.
  Each request is written to stdout as one JSON audit line.

  Press Ctrl-C to stop the gateway and MLflow.
`)
}
