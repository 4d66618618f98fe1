/** The command table of the `mlflow-gate` CLI: parses argv, prints help, runs one command. */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { applyCommand } from './apply.js'
import { checkCommand } from './check.js'
import { explainCommand } from './explain.js'
import { createRightGroup } from './create-right.js'
import { grantGroup } from './grant.js'
import { groupGroup } from './group.js'
import { hashPasswordCommand } from './hash-password.js'
import { importMlflowAuthCommand } from './import-mlflow-auth.js'
import { migrateCommand } from './migrate.js'
import { planCommand } from './plan.js'
import { quickstartCommand } from './quickstart.js'
import { schemaCommand } from './schema.js'
import { serveCommand } from './serve.js'
import { tokenGroup } from './token.js'
import { userGroup } from './user.js'
import { VERSION } from './version.js'

/** What parseArgs gives: strings, booleans, and arrays for `multiple: true` options. */
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>

export type Command = {
  readonly summary: string
  readonly usage: string
  /** Help text after the usage line: what it does, its options, an example. */
  readonly help: string
  readonly options: NonNullable<ParseArgsConfig['options']>
  run(values: OptionValues, positionals: string[]): Promise<number>
}

/** Commands under one name (`user add`, `group member add`); a group may hold groups. */
export type CommandGroup = {
  readonly summary: string
  readonly commands: Readonly<Record<string, Command | CommandGroup>>
}

type Entry = Command | CommandGroup
const isGroup = (e: Entry): e is CommandGroup => 'commands' in e

const COMMANDS: Record<string, Entry> = {
  serve: serveCommand,
  check: checkCommand,
  quickstart: quickstartCommand,
  schema: schemaCommand,
  explain: explainCommand,
  'hash-password': hashPasswordCommand,
  migrate: migrateCommand,
  plan: planCommand,
  apply: applyCommand,
  user: userGroup,
  group: groupGroup,
  grant: grantGroup,
  'create-right': createRightGroup,
  token: tokenGroup,
  'import-mlflow-auth': importMlflowAuthCommand,
}

function listing(commands: Readonly<Record<string, Entry>>): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length))
  return Object.entries(commands)
    .map(([name, cmd]) => `  ${name.padEnd(width)}  ${cmd.summary}`)
    .join('\n')
}

function mainHelp(): string {
  return `mlflow-gate ${VERSION}: an access gateway for self-hosted MLflow

Usage: mlflow-gate <command> [options]

Commands:
${listing(COMMANDS)}

Options:
  -h, --help     show help (also: mlflow-gate <command> --help)
  -v, --version  print the version

Run 'mlflow-gate quickstart' to try it with a local MLflow, or
'mlflow-gate serve --config mlflow-gate.yaml' in front of your own MLflow.
`
}

function groupHelp(path: string, group: CommandGroup): string {
  return `Usage: mlflow-gate ${path} <command> [options]

${group.summary}

Commands:
${listing(group.commands)}

Run 'mlflow-gate ${path} <command> --help' for a command's options and an example.
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
  let entry: Entry | undefined = COMMANDS[name]
  if (!entry) {
    process.stderr.write(`mlflow-gate: unknown command '${name}'\n\n${mainHelp()}`)
    return 2
  }
  let path = name
  let args = rest
  while (isGroup(entry)) {
    const [sub, ...after] = args
    if (sub === undefined || sub === '-h' || sub === '--help' || sub === 'help') {
      const out = sub === undefined ? process.stderr : process.stdout
      out.write(groupHelp(path, entry))
      return sub === undefined ? 2 : 0
    }
    const next: Entry | undefined = entry.commands[sub]
    if (!next) {
      process.stderr.write(
        `mlflow-gate ${path}: unknown command '${sub}'\n\n${groupHelp(path, entry)}`,
      )
      return 2
    }
    entry = next
    path = `${path} ${sub}`
    args = after
  }
  return runCommand(path, entry, args)
}

async function runCommand(path: string, command: Command, args: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    })
  } catch (err) {
    process.stderr.write(`mlflow-gate ${path}: ${(err as Error).message}\n\n${command.usage}\n`)
    return 2
  }
  if (parsed.values.help) {
    process.stdout.write(`${command.usage}\n\n${command.summary}\n\n${command.help}`)
    return 0
  }
  return command.run(parsed.values as OptionValues, parsed.positionals)
}
