/** Maps an mlflow-artifacts path to the experiments that must allow a request on it, or to nothing. */
import {
  proxiedFolder,
  type Folder,
  type FolderIndex,
  type FolderIndexSource,
} from './artifact-folders.js'
import { TtlCache } from './ttl-cache.js'

/** What lives in an experiment's artifact folder (mlflow/store/tracking/sqlalchemy_store.py). */
export type Resident = 'run' | 'logged-model' | 'trace'

/** The experiment a run, logged model or trace belongs to, and the store folder its URI names. */
export type ResidentInfo = { readonly experimentId: string; readonly folder?: readonly string[] }

export type ResidentLookup = (kind: Resident, id: string) => Promise<ResidentInfo | undefined>

/**
 * The experiments that must allow a request on `segments`, or undefined when the path lies in no
 * experiment's folder or names nothing that lives there. The rule:
 *
 * 1. Every experiment whose folder *strictly* contains the path must allow: their folders hold it.
 * 2. In the innermost folder (matched with its exact spelling), the rest must follow MLflow's
 *    layout: `<run_id>/artifacts/...` (`create_run`), `models/<model_id>/artifacts/...`
 *    (`create_logged_model`), `traces/<trace_id>/artifacts/...` (the trace's
 *    `mlflow.artifactLocation` tag), or one of the folders above them. A run, model or trace
 *    must exist, belong to an experiment with that folder, and have its artifact URI at exactly
 *    that place; then its experiment must allow. The folder itself, `models` and `traces` are
 *    shared by every experiment with that folder, so all of them must allow.
 */
export async function ownersOfPath(
  segments: readonly string[],
  index: FolderIndex,
  lookup: ResidentLookup,
): Promise<string[] | undefined> {
  const levels = index.containing(segments)
  const innermost = levels.at(-1)
  if (!innermost) return undefined
  const here = innermost.filter((f) => startsWith(segments, f.segments))
  if (here.length === 0) return undefined
  const outer = levels.slice(0, -1).flat()
  const inside = await ownersInside(segments, here[0]!.segments.length, here, lookup)
  if (!inside) return undefined
  const shared = inside === 'shared' ? innermost.map((f) => f.experimentId) : [inside]
  return [...new Set([...outer.map((f) => f.experimentId), ...shared])]
}

/** The owner of what `segments` names below the folder (its length `at`), 'shared', or undefined. */
async function ownersInside(
  segments: readonly string[],
  at: number,
  here: readonly Folder[],
  lookup: ResidentLookup,
): Promise<string | 'shared' | undefined> {
  const rest = segments.slice(at)
  const [first, second, third] = rest
  if (first === undefined) return 'shared'
  const [kind, id, below]: [Resident, string | undefined, string | undefined] =
    first === 'models'
      ? ['logged-model', second, third]
      : first === 'traces'
        ? ['trace', second, third]
        : ['run', first, second]
  if (id === undefined) return 'shared'
  // Only `artifacts` lives in a run's, model's or trace's folder.
  if (below !== undefined && below !== 'artifacts') return undefined
  const info = await lookup(kind, id)
  if (!info || !here.some((f) => f.experimentId === info.experimentId)) return undefined
  const expected = [...segments.slice(0, at), ...(kind === 'run' ? [] : [first]), id, 'artifacts']
  // A trace without a proxied location tag is judged by its experiment alone.
  const folderOk = info.folder ? sameSegments(info.folder, expected) : kind === 'trace'
  return folderOk ? info.experimentId : undefined
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => s === path[i])
}

function sameSegments(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && startsWith(a, b)
}

/** How each resident is read from MLflow (handlers.py _get_run, _get_logged_model, _get_trace_info_v3). */
const LOOKUPS: Record<Resident, (id: string) => { path: string; pick: (j: any) => unknown[] }> = {
  run: (id) => ({
    path: `/api/2.0/mlflow/runs/get?run_id=${encodeURIComponent(id)}`,
    pick: (j) => [j?.run?.info?.experiment_id, j?.run?.info?.artifact_uri],
  }),
  'logged-model': (id) => ({
    path: `/api/2.0/mlflow/logged-models/${encodeURIComponent(id)}`,
    pick: (j) => [j?.model?.info?.experiment_id, j?.model?.info?.artifact_uri],
  }),
  trace: (id) => ({
    path: `/api/3.0/mlflow/traces/${encodeURIComponent(id)}`,
    pick: (j) => [
      j?.trace?.trace_info?.trace_location?.mlflow_experiment?.experiment_id,
      j?.trace?.trace_info?.tags?.['mlflow.artifactLocation'],
    ],
  }),
}

export type ArtifactOwners = {
  /** The experiments that must allow a request on this store path; undefined: it maps to nothing. */
  experimentsOf(path: string): Promise<readonly string[] | undefined>
  /** An experiment was created: its folder is not in the index yet. */
  forgetFolders(): void
}

/**
 * Wires the rule to MLflow: the folder index (refetched once, throttled, when a path maps to
 * nothing, since a new experiment may be why) and cached lookups of runs, models and traces
 * (they never move between experiments and their artifact URIs never change).
 */
export function createArtifactOwners(
  folders: FolderIndexSource,
  fetchJson: (path: string) => Promise<any>,
  options: { ttlMs?: number; maxEntries?: number } = {},
): ArtifactOwners {
  const cache = new TtlCache<ResidentInfo>(options.ttlMs ?? 600_000, options.maxEntries ?? 50_000)
  const lookup: ResidentLookup = async (kind, id) => {
    const key = `${kind}:${id}`
    const hit = cache.get(key)
    if (hit) return hit
    const how = LOOKUPS[kind](id)
    const [experimentId, uri] = how.pick(await fetchJson(how.path))
    if (typeof experimentId !== 'string') return undefined
    const folder = typeof uri === 'string' ? proxiedFolder(uri) : undefined
    const info = folder ? { experimentId, folder } : { experimentId }
    cache.set(key, info)
    return info
  }
  return {
    async experimentsOf(path) {
      const segments = path === '' ? [] : path.split('/')
      const index = await folders.get()
      const owners = await ownersOfPath(segments, index, lookup)
      if (owners) return owners
      const fresh = await folders.get(true)
      return fresh === index ? undefined : ownersOfPath(segments, fresh, lookup)
    },
    forgetFolders: () => folders.forget(),
  }
}
