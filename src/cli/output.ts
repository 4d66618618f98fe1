/** Output for the access commands: aligned tables for people, JSON for scripts, one error shape. */
import { GatewayError } from '../server/errors.js'

/** Columns padded to their widest cell; the header in capitals; `-` for empty cells. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = [headers.map((h) => h.toUpperCase()), ...rows.map((r) => r.map((c) => c || '-'))]
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)))
  return cells
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n')
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}

/** Prints `mlflow-gate <command>: <message>` to stderr and returns exit code 1. */
export function failure(command: string, message: string): number {
  process.stderr.write(`mlflow-gate ${command}: ${message}\n`)
  return 1
}

/** A usage mistake: the message and the usage line on stderr, exit code 2. */
export function usageError(command: string, message: string, usage: string): number {
  process.stderr.write(`mlflow-gate ${command}: ${message}\n\n${usage}\n`)
  return 2
}

/**
 * The store's refusals (no such user, already exists, invalid name) are expected outcomes of a
 * command, so they are printed plainly; anything else is a bug or an outage and is rethrown.
 */
export function reportStoreError(command: string, err: unknown): number {
  if (err instanceof GatewayError) return failure(command, err.message)
  throw err
}

export const yesNo = (b: boolean) => (b ? 'yes' : 'no')
