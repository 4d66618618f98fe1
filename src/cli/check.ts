/** `mlflow-gate check`: validates a config file and exits 0 (valid) or 1 (every problem listed). */
import { configOrReport } from './config-or-report.js'
import type { Command } from './index.js'

export const checkCommand: Command = {
  summary: 'validate a config file and exit 0 (valid) or 1 (listing every problem)',
  usage: 'Usage: mlflow-gate check [--config FILE]',
  help: `Reads the config exactly as 'serve' would (file, then environment overrides such as
MLFLOW_GATE_UPSTREAM_URL) and reports every problem at once, with line and column.
Nothing is started and nothing is contacted.

Options:
  -c, --config FILE  the YAML config (default: built-in defaults plus environment)

Example:
  mlflow-gate check --config mlflow-gate.yaml
`,
  options: { config: { type: 'string', short: 'c' } },
  async run(values) {
    const config = configOrReport(values.config as string | undefined)
    if (!config) return 1
    const { users, grants, create } = config.access
    process.stdout.write(
      `${values.config ?? '(defaults)'}: OK (upstream ${config.upstream.url}, listening on ${config.listen.host}:${config.listen.port}; ` +
        `${users.length} users, ${grants.length} grants, ${create.length} create rights, anonymous ${config.access.anonymous ? 'on' : 'off'})\n`,
    )
    return 0
  },
}
