/** Turns a YAML file plus environment overrides into a validated, deep-frozen Config, or one error listing every problem. */
import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import { LineCounter, isMap, isScalar, parseDocument, type Document } from 'yaml'
import type { z } from 'zod'
import { configSchema, type Config } from './schema.js'

/** Environment variables that override a setting (secrets and deployment-specific values). */
export const ENV_OVERRIDES = {
  MLFLOW_GATE_UPSTREAM_URL: ['upstream', 'url'],
  MLFLOW_GATE_STORAGE_URL: ['storage', 'url'],
} as const satisfies Record<string, readonly string[]>

/** Every problem found in a config, each as "where: what". */
export class ConfigError extends Error {
  readonly problems: readonly string[]

  constructor(source: string, problems: string[]) {
    const n = problems.length
    super(
      `${source}: ${n} problem${n === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    )
    this.name = 'ConfigError'
    this.problems = problems
  }
}

export type LoadOptions = {
  /** Path of the YAML file; without it the defaults (plus env) are used. */
  file?: string | undefined
  env?: NodeJS.ProcessEnv
}

/** Reads, validates and freezes the config; throws ConfigError listing every problem at once. */
export function loadConfig({ file, env = process.env }: LoadOptions = {}): Config {
  const source = file ?? '(built-in defaults)'
  const text = file === undefined ? '' : readConfigFile(file)
  return parseConfig(text, { source, baseDir: file ? dirname(resolve(file)) : process.cwd(), env })
}

/** Validates config text; `baseDir` anchors relative paths such as the SQLite file. */
export function parseConfig(
  text: string,
  { source, baseDir, env }: { source: string; baseDir: string; env: NodeJS.ProcessEnv },
): Config {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true })
  if (doc.errors.length > 0) {
    throw new ConfigError(
      source,
      doc.errors.map((e) => `${at(source, lines, e.pos[0])}: ${e.message}`),
    )
  }
  const raw = doc.toJS() ?? {}
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(source, [`${source}: the top level must be a mapping of settings`])
  }
  const overridden = applyEnv(raw as Record<string, unknown>, env)
  const parsed = configSchema.safeParse(overridden.value)
  if (!parsed.success) {
    const where = (path: PropertyKey[]) =>
      locate(path, { source, doc, lines, fromEnv: overridden.from })
    throw new ConfigError(
      source,
      parsed.error.issues.flatMap((i) => describeIssue(i, where)),
    )
  }
  return deepFreeze(resolvePaths(parsed.data, baseDir))
}

function readConfigFile(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(err)
    throw new ConfigError(file, [`cannot read the config file: ${reason}`])
  }
}

function applyEnv(raw: Record<string, unknown>, env: NodeJS.ProcessEnv) {
  const value = structuredClone(raw)
  const from = new Map<string, string>()
  for (const [name, path] of Object.entries(ENV_OVERRIDES)) {
    const v = env[name]
    if (v === undefined || v === '') continue
    let node = value
    for (const key of path.slice(0, -1)) {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = {}
      node = node[key] as Record<string, unknown>
    }
    node[path.at(-1)!] = v
    from.set(path.join('.'), name)
  }
  return { value, from }
}

function describeIssue(issue: z.core.$ZodIssue, where: (path: PropertyKey[]) => string): string[] {
  if (issue.code === 'unrecognized_keys') {
    const hint = 'unknown setting (check the spelling; see config.schema.json)'
    return issue.keys.map((k) => `${where([...issue.path, k])}: ${hint}`)
  }
  return [`${where(issue.path)}: ${issue.message}`]
}

function locate(
  path: PropertyKey[],
  ctx: { source: string; doc: Document; lines: LineCounter; fromEnv: Map<string, string> },
): string {
  const dotted = path.map(String).join('.') || '(top level)'
  const env = ctx.fromEnv.get(dotted)
  if (env) return `${dotted} (from env ${env})`
  const offset = keyOffset(ctx.doc, path)
  return offset === undefined ? dotted : `${at(ctx.source, ctx.lines, offset)} ${dotted}`
}

/** Where the key of `path` starts in the YAML text (a problem points at the key, not its value). */
function keyOffset(doc: Document, path: PropertyKey[]): number | undefined {
  const parent = path.length === 0 ? doc.contents : doc.getIn(path.slice(0, -1), true)
  if (!isMap(parent)) return undefined
  const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === path.at(-1))
  return isScalar(pair?.key) ? pair.key.range?.[0] : undefined
}

function at(source: string, lines: LineCounter, offset: number): string {
  const { line, col } = lines.linePos(offset)
  return `${source}:${line}:${col}`
}

function resolvePaths(config: Config, baseDir: string): Config {
  const url = config.storage.url
  const m = /^sqlite:(.*)$/.exec(url)
  if (!m || m[1] === ':memory:' || isAbsolute(m[1]!)) return config
  return { ...config, storage: { ...config.storage, url: `sqlite:${resolve(baseDir, m[1]!)}` } }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}
