/** Loads the config for a CLI command, printing every problem to stderr when it is invalid. */
import { ConfigError, loadConfig } from '../config/load.js'
import type { Config } from '../config/schema.js'

/** The config, or undefined after printing why it cannot be used (the command then exits 1). */
export function configOrReport(file: string | undefined): Config | undefined {
  try {
    return loadConfig({ file })
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    process.stderr.write(`${err.message}\n`)
    return undefined
  }
}
