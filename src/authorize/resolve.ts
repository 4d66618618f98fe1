/** Resolves ids MLflow hands out (runs, traces, logged models) to the experiment grants name, by asking MLflow. */
import type { Upstream } from '../forward/upstream.js'
import { GatewayError } from '../server/errors.js'
import { createFolderIndexSource } from './artifact-folders.js'
import { createArtifactOwners } from './artifact-owners.js'
import { TtlCache } from './ttl-cache.js'

export type Experiment = { readonly id: string; readonly name: string }

export type Resolver = {
  /** undefined when MLflow says the experiment does not exist. */
  experiment(id: string): Promise<Experiment | undefined>
  experimentByName(name: string): Promise<Experiment | undefined>
  /** Whether MLflow has a registered model (or prompt) by this name; asked afresh every time. */
  registeredModelExists(name: string): Promise<boolean>
  /** The experiment a run, trace or logged model belongs to; undefined when it does not exist. */
  experimentOf(kind: 'run' | 'trace' | 'logged-model', id: string): Promise<string | undefined>
  /**
   * Where a run's or logged model's artifacts live (`artifact_uri`, `artifact_location`), as
   * MLflow reports it; undefined when it does not exist.
   */
  artifactRootOf(kind: 'run' | 'logged-model', id: string): Promise<string | undefined>
  /** Called after a rename, delete or restore went through, so no stale name can grant access. */
  forgetExperiment(id: string): void
  /**
   * The experiments that must allow a request on an mlflow-artifacts store path (relative to the
   * store's root); undefined when it lies in no experiment's folder (authorize/artifact-owners.ts).
   */
  experimentsOfArtifactPath(path: string): Promise<readonly string[] | undefined>
  /** Called after an experiment was created: its artifact folder is new. */
  forgetArtifactFolders(): void
}

export type ResolverOptions = {
  /** How long an experiment's name is trusted; renames through the gateway also clear it. */
  nameTtlMs?: number
  /** Runs, traces and logged models never move between experiments, so this can be long. */
  ownerTtlMs?: number
  maxEntries?: number
}

/** How each indirect id is looked up (mlflow/server/handlers.py: _get_run, _get_trace_info_v3 at GET /api/3.0/mlflow/traces/{trace_id}, _get_logged_model). */
const OWNER_LOOKUP = {
  run: (id: string) => ({
    path: `/api/2.0/mlflow/runs/get?run_id=${encodeURIComponent(id)}`,
    pick: (j: any) => owner(j?.run?.info?.experiment_id, j?.run?.info?.artifact_uri),
  }),
  trace: (id: string) => ({
    path: `/api/3.0/mlflow/traces/${encodeURIComponent(id)}`,
    pick: (j: any) =>
      owner(j?.trace?.trace_info?.trace_location?.mlflow_experiment?.experiment_id, undefined),
  }),
  'logged-model': (id: string) => ({
    path: `/api/2.0/mlflow/logged-models/${encodeURIComponent(id)}`,
    pick: (j: any) => owner(j?.model?.info?.experiment_id, j?.model?.info?.artifact_uri),
  }),
} as const

/** What the gateway keeps of a run, trace or logged model: neither ever changes once created. */
type Owner = { readonly experimentId: string; readonly root: string | undefined }

function owner(experimentId: unknown, root: unknown): Owner | undefined {
  if (typeof experimentId !== 'string') return undefined
  return { experimentId, root: typeof root === 'string' ? root : undefined }
}

export function createResolver(upstream: Upstream, options: ResolverOptions = {}): Resolver {
  const { nameTtlMs = 30_000, ownerTtlMs = 600_000, maxEntries = 50_000 } = options
  const experiments = new TtlCache<Experiment>(nameTtlMs, maxEntries)
  const owners = new TtlCache<Owner>(ownerTtlMs, maxEntries)
  const fetchJson = (path: string) => askMlflow(upstream, path)
  const artifacts = createArtifactOwners(createFolderIndexSource(fetchJson), fetchJson, {
    ttlMs: ownerTtlMs,
    maxEntries,
  })

  async function ownerOf(kind: keyof typeof OWNER_LOOKUP, id: string) {
    const key = `${kind}:${id}`
    const cached = owners.get(key)
    if (cached) return cached
    const lookup = OWNER_LOOKUP[kind](id)
    const found = lookup.pick(await askMlflow(upstream, lookup.path))
    if (found) owners.set(key, found)
    return found
  }

  async function experimentFrom(path: string): Promise<Experiment | undefined> {
    const json = await askMlflow(upstream, path)
    const e = json?.experiment
    if (typeof e?.experiment_id !== 'string' || typeof e?.name !== 'string') return undefined
    const found = { id: e.experiment_id, name: e.name }
    experiments.set(found.id, found)
    return found
  }

  return {
    async experiment(id) {
      return (
        experiments.get(id) ??
        experimentFrom(`/api/2.0/mlflow/experiments/get?experiment_id=${encodeURIComponent(id)}`)
      )
    },
    experimentByName(name) {
      return experimentFrom(
        `/api/2.0/mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`,
      )
    },
    async registeredModelExists(name) {
      const json = await askMlflow(
        upstream,
        `/api/2.0/mlflow/registered-models/get?name=${encodeURIComponent(name)}`,
      )
      return json?.registered_model?.name === name
    },
    async experimentOf(kind, id) {
      return (await ownerOf(kind, id))?.experimentId
    },
    async artifactRootOf(kind, id) {
      return (await ownerOf(kind, id))?.root
    },
    forgetExperiment(id) {
      experiments.delete(id)
    },
    experimentsOfArtifactPath: (path) => artifacts.experimentsOf(path),
    forgetArtifactFolders: () => artifacts.forgetFolders(),
  }
}

/**
 * GET a JSON document from MLflow. A 404 or RESOURCE_DOES_NOT_EXIST means "no such resource"
 * (undefined); anything else that is not a 200 means the gateway cannot decide, which is an
 * error (503), never an allow.
 */
export async function askMlflow(upstream: Upstream, path: string): Promise<any> {
  let res
  try {
    res = await upstream.pool.request({
      method: 'GET',
      path: upstream.basePath + path,
      headers: { host: upstream.hostHeader, accept: 'application/json' },
    })
  } catch (err) {
    const code = (err as { code?: string }).code ?? (err as Error).name
    throw new GatewayError(
      'GW_CANNOT_DECIDE',
      `could not ask MLflow at ${upstream.origin} about ${path.split('?')[0]} (${code})`,
      { cause: err },
    )
  }
  const text = await res.body.text()
  if (res.statusCode === 200) {
    try {
      return JSON.parse(text)
    } catch (err) {
      throw new GatewayError(
        'GW_CANNOT_DECIDE',
        `MLflow sent malformed JSON for ${path.split('?')[0]}`,
        {
          cause: err,
        },
      )
    }
  }
  // MLflow answers 400 INVALID_PARAMETER_VALUE for an id it cannot parse: no such resource either.
  if (
    res.statusCode === 404 ||
    res.statusCode === 400 ||
    text.includes('RESOURCE_DOES_NOT_EXIST')
  ) {
    return undefined
  }
  throw new GatewayError(
    'GW_CANNOT_DECIDE',
    `MLflow answered ${res.statusCode} while the gateway looked up ${path.split('?')[0]}`,
  )
}
