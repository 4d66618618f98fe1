/** `mlflow-gate serve`: loads the config, starts the gateway and drains it on SIGTERM/SIGINT. */
import { configOrReport } from './config-or-report.js'
import { startGateway, type Gateway } from '../server/app.js'
import type { Command } from './index.js'

export const serveCommand: Command = {
  summary: 'run the gateway in front of an MLflow server',
  usage: 'Usage: mlflow-gate serve [--config FILE]',
  help: `Validates the config (exiting 1 with every problem listed if it is wrong), opens the
gateway's storage, and serves until SIGTERM or SIGINT, then lets in-flight requests finish.

Options:
  -c, --config FILE  the YAML config (default: built-in defaults plus environment)

Environment:
  MLFLOW_GATE_UPSTREAM_URL  overrides upstream.url
  MLFLOW_GATE_STORAGE_URL   overrides storage.url (keeps a database password out of the file)

Example:
  MLFLOW_GATE_UPSTREAM_URL=http://127.0.0.1:5000 mlflow-gate serve --config mlflow-gate.yaml
`,
  options: { config: { type: 'string', short: 'c' } },
  async run(values) {
    const config = configOrReport(values.config as string | undefined)
    if (!config) return 1
    const gateway = await startGateway(config)
    process.stderr.write(
      `mlflow-gate: listening on ${gateway.url}, forwarding to ${config.upstream.url}\n`,
    )
    await untilSignal(gateway)
    return 0
  },
}

/** Resolves once a SIGTERM/SIGINT has drained the gateway; a second signal exits at once. */
export function untilSignal(gateway: Gateway, beforeClose?: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.stderr.write(`mlflow-gate: ${signal} received, finishing in-flight requests\n`)
      process.once('SIGINT', () => process.exit(130))
      process.once('SIGTERM', () => process.exit(143))
      void gateway
        .close()
        .then(() => beforeClose?.())
        .finally(resolve)
    }
    process.once('SIGINT', () => stop('SIGINT'))
    process.once('SIGTERM', () => stop('SIGTERM'))
  })
}
