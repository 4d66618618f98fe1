/** The command table of the `mlflow-gate` CLI: parses argv, prints help, runs one command. */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { checkCommand } from './check.js'
import { explainCommand } from './explain.js'
import { hashPasswordCommand } from './hash-password.js'
import { quickstartCommand } from './quickstart.js'
import { schemaCommand } from './schema.js'
import { serveCommand } from './serve.js'
import { VERSION } from './version.js'

export type Command = {
  readonly summary: string
  readonly usage: string
  /** Help text after the usage line: what it does, its options, an example. */
  readonly help: string
  readonly options: NonNullable<ParseArgsConfig['options']>
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<number>
}

const COMMANDS: Record<string, Command> = {
  serve: serveCommand,
  check: checkCommand,
  quickstart: quickstartCommand,
  schema: schemaCommand,
  explain: explainCommand,
  'hash-password': hashPasswordCommand,
}

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length))
  const list = Object.entries(COMMANDS)
    .map(([name, cmd]) => `  ${name.padEnd(width)}  ${cmd.summary}`)
    .join('\n')
  return `mlflow-gate ${VERSION}: an access gateway for self-hosted MLflow

Usage: mlflow-gate <command> [options]

Commands:
${list}

Options:
  -h, --help     show help (also: mlflow-gate <command> --help)
  -v, --version  print the version

Run 'mlflow-gate quickstart' to try it with a local MLflow, or
'mlflow-gate serve --config mlflow-gate.yaml' in front of your own MLflow.
`
}

/** Runs the CLI and returns the process exit code (0 ok, 1 failure, 2 usage error). */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(mainHelp())
    return name === undefined ? 2 : 0
  }
  if (name === '-v' || name === '--version' || name === 'version') {
    process.stdout.write(`${VERSION}\n`)
    return 0
  }
  const command = COMMANDS[name]
  if (!command) {
    process.stderr.write(`mlflow-gate: unknown command '${name}'\n\n${mainHelp()}`)
    return 2
  }
  let parsed
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    })
  } catch (err) {
    process.stderr.write(`mlflow-gate ${name}: ${(err as Error).message}\n\n${command.usage}\n`)
    return 2
  }
  if (parsed.values.help) {
    process.stdout.write(`${command.usage}\n\n${command.summary}\n\n${command.help}`)
    return 0
  }
  return command.run(
    parsed.values as Record<string, string | boolean | undefined>,
    parsed.positionals,
  )
}
