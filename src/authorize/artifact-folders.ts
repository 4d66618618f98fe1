/** Where each experiment's artifacts live in the mlflow-artifacts store, learnt from MLflow's experiment list. */
import { GatewayError } from '../server/errors.js'

/** An experiment's artifact folder as segments of a path from the store's root. */
export type Folder = { readonly experimentId: string; readonly segments: readonly string[] }

/**
 * The path inside the mlflow-artifacts store that an artifact URI stands for, or undefined when
 * the URI is not served from that store. Mirrors handlers.py
 * `_is_servable_proxied_run_artifact_root` and `_get_proxied_run_artifact_destination_path`:
 * `mlflow-artifacts:[//host]/path` is its path; an `http(s)` URL is the part after
 * `/api/2.0/mlflow-artifacts/artifacts/`. Segments are normalised as the local store does
 * (`os.path.normpath` in local_artifact_repo.py): empty and `.` dropped, `..` resolved.
 */
export function proxiedFolder(uri: string): string[] | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(uri)
  if (!m) return undefined
  const scheme = m[1]!.toLowerCase()
  // urllib.parse.urlsplit: the fragment, then the query are cut off; `//` starts a netloc.
  let rest = m[2]!.split('#')[0]!.split('?')[0]!
  if (rest.startsWith('//')) {
    const end = rest.indexOf('/', 2)
    rest = end === -1 ? '' : rest.slice(end)
  }
  let path: string
  if (scheme === 'mlflow-artifacts') {
    path = rest
  } else if (scheme === 'http' || scheme === 'https') {
    // urlparse splits `;params` off the last segment for http(s).
    const anchor = '/api/2.0/mlflow-artifacts/artifacts/'
    const parts = rest.replace(/;[^/]*$/, '').split(anchor)
    if (parts.length < 2) return undefined
    path = parts[1]!
  } else {
    return undefined
  }
  return normalise(path.split('/'))
}

function normalise(raw: readonly string[]): string[] | undefined {
  const out: string[] = []
  for (const s of raw) {
    if (s === '' || s === '.') continue
    if (s === '..') {
      if (out.length === 0) return undefined
      out.pop()
    } else out.push(s)
  }
  return out
}

/**
 * Every experiment's folder, looked up by path prefix. Keys are lowercased: on a case-insensitive
 * disk `Team/x` and `team/x` are one folder, so both experiments count as containing it.
 */
export class FolderIndex {
  readonly #byPrefix = new Map<string, Folder[]>()

  constructor(folders: Iterable<Folder>) {
    for (const f of folders) {
      const key = f.segments.join('/').toLowerCase()
      const list = this.#byPrefix.get(key)
      if (list) list.push(f)
      else this.#byPrefix.set(key, [f])
    }
  }

  /** Folders containing `segments` (the root's included), outermost first. */
  containing(segments: readonly string[]): Folder[][] {
    const levels: Folder[][] = []
    let key = ''
    for (let i = 0; i <= segments.length; i++) {
      if (i > 0)
        key = i === 1 ? segments[0]!.toLowerCase() : `${key}/${segments[i - 1]!.toLowerCase()}`
      const hit = this.#byPrefix.get(key)
      if (hit) levels.push(hit)
    }
    return levels
  }
}

export type FolderIndexSource = {
  /** The index, fetched again when older than `ttlMs`; `fresh` forces a refetch (throttled). */
  get(fresh?: boolean): Promise<FolderIndex>
  /** After an experiment was created: the next request fetches the index again. */
  forget(): void
}

export type FolderIndexOptions = {
  ttlMs?: number
  /** A refetch forced by an unmapped path happens at most this often. */
  minRefreshMs?: number
  /** Experiments asked for per page, and at most how many pages (then the gateway cannot decide). */
  pageSize?: number
  maxPages?: number
  now?: () => number
}

type Fetch = (path: string) => Promise<any>

/**
 * Keeps the index of every experiment's artifact folder, paging through `experiments/search`
 * (all lifecycle stages: a deleted experiment's artifacts stay until `mlflow gc`). One fetch is
 * shared by the requests that wait for it.
 */
export function createFolderIndexSource(
  fetchJson: Fetch,
  options: FolderIndexOptions = {},
): FolderIndexSource {
  const {
    ttlMs = 60_000,
    minRefreshMs = 2_000,
    pageSize = 1000,
    maxPages = 1000,
    now = Date.now,
  } = options
  let current: { index: FolderIndex; at: number } | undefined
  let pending: Promise<FolderIndex> | undefined

  const refetch = (): Promise<FolderIndex> => {
    pending ??= fetchAll(fetchJson, pageSize, maxPages)
      .then((index) => {
        current = { index, at: now() }
        return index
      })
      .finally(() => {
        pending = undefined
      })
    return pending
  }

  return {
    async get(fresh = false) {
      if (pending) return pending
      const age = current ? now() - current.at : Infinity
      if (age >= ttlMs || (fresh && age >= minRefreshMs)) return refetch()
      return current!.index
    },
    forget() {
      current = undefined
    },
  }
}

async function fetchAll(
  fetchJson: Fetch,
  pageSize: number,
  maxPages: number,
): Promise<FolderIndex> {
  const folders: Folder[] = []
  let token: string | undefined
  for (let page = 0; page < maxPages; page++) {
    const q = `max_results=${pageSize}&view_type=ALL${token ? `&page_token=${encodeURIComponent(token)}` : ''}`
    const json = await fetchJson(`/api/2.0/mlflow/experiments/search?${q}`)
    if (json === undefined) {
      throw new GatewayError('GW_CANNOT_DECIDE', 'MLflow refused to list experiments')
    }
    for (const e of json.experiments ?? []) {
      if (typeof e?.experiment_id !== 'string' || typeof e?.artifact_location !== 'string') continue
      const segments = proxiedFolder(e.artifact_location)
      if (segments) folders.push({ experimentId: e.experiment_id, segments })
    }
    token =
      typeof json.next_page_token === 'string' && json.next_page_token
        ? json.next_page_token
        : undefined
    if (!token) return new FolderIndex(folders)
  }
  throw new GatewayError(
    'GW_CANNOT_DECIDE',
    `more than ${maxPages * pageSize} experiments: too many to map artifact paths`,
  )
}
