/** Opens the access store for a CLI command: from --storage, else the config's storage.url. */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Config } from '../config/schema.js'
import { accessStore, type AccessStore } from '../storage/access/index.js'
import { openStore, type Store } from '../storage/open.js'
import { configOrReport } from './config-or-report.js'
import type { OptionValues } from './index.js'
import { failure, reportStoreError } from './output.js'

/** The options every access command takes. */
export const STORE_OPTIONS = {
  config: { type: 'string', short: 'c' },
  storage: { type: 'string' },
  json: { type: 'boolean' },
} as const

export const STORE_OPTIONS_HELP = `  -c, --config FILE  the YAML config whose storage.url names the store (default: built-in
                     defaults plus environment, e.g. MLFLOW_GATE_STORAGE_URL)
      --storage URL  the store itself instead: sqlite:PATH or postgres://...
      --json         print JSON for scripts instead of a table`

export type CliContext = {
  readonly access: AccessStore
  readonly store: Store
  /** The config when one was read (not with --storage). */
  readonly config?: Config
  readonly json: boolean
}

/** The store URL from the options, or undefined after printing why there is none (exit 1). */
export function storageUrl(command: string, values: OptionValues): string | undefined {
  const given = values.storage as string | undefined
  if (given !== undefined) {
    if (!/^(sqlite:|postgres:\/\/|postgresql:\/\/)/.test(given)) {
      failure(command, `--storage '${given}' must start with sqlite: or postgres://`)
      return undefined
    }
    return given
  }
  return configOrReport(values.config as string | undefined)?.storage.url
}

/**
 * Runs `fn` with the store open (migrated to the current schema, as `serve` would), closes it
 * afterwards, and turns the store's refusals into exit code 1 with their message.
 */
export async function withStore(
  command: string,
  values: OptionValues,
  fn: (ctx: CliContext) => Promise<number>,
  config?: Config,
): Promise<number> {
  const url =
    config && values.storage === undefined ? config.storage.url : storageUrl(command, values)
  if (url === undefined) return 1
  warnIfNewFile(url)
  const store = await openOrReport(command, url)
  if (!store) return 1
  try {
    return await fn({ access: accessStore(store), store, config, json: values.json === true })
  } catch (err) {
    return reportStoreError(command, err)
  } finally {
    await store.close()
  }
}

/** A mistyped path would otherwise silently give an empty store. */
function warnIfNewFile(url: string): void {
  if (!url.startsWith('sqlite:') || url === 'sqlite::memory:') return
  const path = resolve(url.slice('sqlite:'.length))
  if (!existsSync(path))
    process.stderr.write(`mlflow-gate: note: creating a new store at ${path}\n`)
}

/** The store, or undefined after saying why it cannot be opened (unreachable, failed migration). */
export async function openOrReport(
  command: string,
  url: string,
  options: { migrate?: boolean } = {},
): Promise<Store | undefined> {
  try {
    return await openStore(url, options)
  } catch (err) {
    failure(command, `cannot open the store at ${redact(url)}: ${(err as Error).message}`)
    return undefined
  }
}

/** The URL without its password, for output. */
export function redact(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+:)[^@]*@/, '$1***@')
}
