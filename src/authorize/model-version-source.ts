/** Reads what a new model version's `source` points at, so the caller must be able to read it first. */
import { fieldValues, type Message } from '../classify/ids.js'

/**
 * Why this matters: once a version exists, `model-versions/get-artifact` serves its source's files
 * to anyone who may read the registered model ("model-version READ is sufficient", handlers.py
 * get_model_version_artifact_handler). Without this check, EDIT on one model would read any run's
 * files by registering them. MLflow 3.18's own auth asks for READ on `run_id`, `model_id` and a
 * `models:/` source (auth/__init__.py validate_can_create_model_version, MLflow PR #24293); MLflow
 * 2.x asks for nothing and accepts `runs:/<any run>` with no `run_id` at all.
 */
export type SourceRefs = {
  readonly runs: readonly string[]
  readonly loggedModels: readonly string[]
  readonly registeredModels: readonly string[]
  /**
   * A plain location (an artifact URI, a path): it must lie inside the artifact root of the run
   * or logged model named beside it, which the gateway checks against what MLflow reports.
   */
  readonly location?: string
}

export type ReadSource = { readonly refs: SourceRefs } | { readonly refused: string }

/** mlflow/prompt/constants.py `_PROMPT_SOURCE_PLACEHOLDERS`: a prompt version's source names no files. */
const PROMPT_PLACEHOLDERS = new Set(['dummy-source', 'prompt-template'])

const NOTHING: SourceRefs = { runs: [], loggedModels: [], registeredModels: [] }

export function readModelVersionSource(message: Message): ReadSource {
  const [source = ''] = fieldValues(message, 'source', false)
  const runIds = fieldValues(message, 'run_id', false).filter((v) => v !== '')
  const modelIds = fieldValues(message, 'model_id', false).filter((v) => v !== '')
  const named = { runs: runIds, loggedModels: modelIds }
  if (isPromptRequest(message) && PROMPT_PLACEHOLDERS.has(source)) return { refs: NOTHING }
  const scheme = schemeOf(source)
  if (scheme === 'runs' || scheme === 'models') {
    const parts = uriParts(source)
    if (!parts) return { refused: `'${source}' is not a ${scheme}:/ URI MLflow can read` }
    if (scheme === 'runs')
      return { refs: { ...named, runs: [...runIds, parts[0]!], registeredModels: [] } }
    const model = modelsUri(parts)
    return model.kind === 'logged-model'
      ? { refs: { ...named, loggedModels: [...modelIds, model.id], registeredModels: [] } }
      : { refs: { ...named, registeredModels: [model.name] } }
  }
  if (runIds.length === 0 && modelIds.length === 0) {
    return {
      refused: `a model version's source '${source}' must be a runs:/ or models:/ URI, or lie inside the artifacts of the run (run_id) or logged model (model_id) it comes from`,
    }
  }
  return { refs: { ...named, registeredModels: [], location: source } }
}

/**
 * MLflow reads the tag the way ModelVersion._is_prompt does: tags collapse by key, the last value
 * wins, and only a true value makes a prompt (handlers.py _is_prompt_request).
 */
function isPromptRequest(message: Message): boolean {
  const tags = message.tags
  if (!Array.isArray(tags)) return false
  let value = 'false'
  for (const t of tags) {
    const tag = t as { key?: unknown; value?: unknown }
    if (tag?.key === 'mlflow.prompt.is_prompt') value = String(tag.value ?? '')
  }
  return value.toLowerCase() === 'true'
}

function schemeOf(uri: string): string {
  return /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase() ?? ''
}

/**
 * The path segments of a `runs:/` or `models:/` URI, or undefined when MLflow would refuse it:
 * a host part (`runs://x/...`, refused by handlers.py since 3.x; 2.x would read another registry),
 * a query or fragment (which Python's urlparse keeps apart from the path), or no first segment.
 */
function uriParts(uri: string): string[] | undefined {
  const rest = uri.slice(uri.indexOf(':') + 1)
  if (!rest.startsWith('/') || rest.startsWith('//') || /[?#;]/.test(rest)) return undefined
  const parts = rest.slice(1).split('/')
  return parts[0] ? parts : undefined
}

/** mlflow/store/artifact/utils/models.py `_parse_model_uri`. */
function modelsUri(
  parts: string[],
): { kind: 'logged-model'; id: string } | { kind: 'registered-model'; name: string } {
  if (parts.length >= 2) return { kind: 'registered-model', name: parts[0]! }
  const at = parts[0]!.lastIndexOf('@')
  if (at > 0) return { kind: 'registered-model', name: parts[0]!.slice(0, at) }
  return { kind: 'logged-model', id: parts[0]! }
}

/**
 * Whether `location` lies inside `root`: same scheme and authority (case-insensitive), and the
 * root's path segments, each percent-decoded until it no longer changes, begin the location's
 * (handlers.py `_is_uri_within_root`). A `.` or `..` segment, a backslash, a query, fragment or
 * `;params` is never inside: they are what traversal reports hid behind (security.md F15).
 */
export function isWithin(location: string, root: string): boolean {
  const a = normalized(location)
  const b = normalized(root)
  if (!a || !b) return false
  if (a.scheme !== b.scheme || a.authority !== b.authority) return false
  if (a.parts.length < b.parts.length) return false
  return b.parts.every((p, i) => a.parts[i] === p)
}

function normalized(uri: string) {
  if (/[?#;\\]/.test(uri)) return undefined
  const local = uri.startsWith('/') ? `file://${uri}` : uri
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(?:\/\/([^/]*))?(.*)$/.exec(local)
  if (!m) return undefined
  const parts = m[3]!
    .split('/')
    .filter((p) => p !== '')
    .map(decodeFully)
  if (parts.some((p) => p === undefined || p === '.' || p === '..' || p.includes('/')))
    return undefined
  return {
    scheme: m[1]!.toLowerCase(),
    authority: (m[2] ?? '').toLowerCase(),
    parts: parts as string[],
  }
}

function decodeFully(part: string): string | undefined {
  let value = part
  for (let i = 0; i < 10; i++) {
    let next: string
    try {
      next = decodeURIComponent(value)
    } catch {
      return undefined
    }
    if (next === value) return value
    value = next
  }
  return undefined
}
