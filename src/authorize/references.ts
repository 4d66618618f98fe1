/** Decides the resources a request names beside the one it acts on (a row's `references`): each needs READ. */
import type { Operation } from '../classify/index.js'
import type { Ids } from '../classify/ids.js'
import type { Principal } from '../identify/principal.js'
import { decide, type Target } from './decide.js'
import { allow, deny, reason, type Decision } from './decision.js'
import type { AuthorizeDeps } from './index.js'
import { toTargets } from './targets.js'
import { isWithin, readModelVersionSource } from './model-version-source.js'

export async function decideReferences(
  principal: Principal,
  op: Operation,
  deps: AuthorizeDeps,
): Promise<Decision> {
  const read = readModelVersionSource(op.message)
  if ('refused' in read) return deny(reason('source-outside-origin', read.refused))
  const { runs, loggedModels, registeredModels, location } = read.refs
  const targets: Target[] = []
  for (const ids of [
    { kind: 'run', by: 'id', values: runs },
    { kind: 'logged-model', by: 'id', values: loggedModels },
    { kind: 'registered-model', by: 'name', values: registeredModels },
  ] satisfies Ids[]) {
    if (ids.values.length === 0) continue
    const found = await toTargets(ids, op, deps)
    if (!found)
      return deny(
        reason(
          'resource-unresolved',
          `the ${ids.kind} this model version's source names does not exist`,
        ),
      )
    targets.push(...found)
  }
  if (location !== undefined && !(await insideOrigin(location, runs, loggedModels, deps))) {
    return deny(
      reason(
        'source-outside-origin',
        `a model version's source '${location}' must lie inside the artifacts of the run (run_id) or logged model (model_id) it names`,
      ),
    )
  }
  if (targets.length === 0) return allow()
  const d = decide(principal, 'read', targets, deps.policy, deps.owners)
  return d.allow
    ? d
    : deny(...d.reasons.map((r) => ({ ...r, message: `model version source: ${r.message}` })))
}

/** MLflow reads a plain location with the run's (or model's) rights: it must be inside its root. */
async function insideOrigin(
  location: string,
  runs: readonly string[],
  loggedModels: readonly string[],
  { resolver }: AuthorizeDeps,
): Promise<boolean> {
  const roots = [
    ...(await Promise.all(runs.map((id) => resolver.artifactRootOf('run', id)))),
    ...(await Promise.all(loggedModels.map((id) => resolver.artifactRootOf('logged-model', id)))),
  ]
  return roots.some((root) => root !== undefined && isWithin(location, root))
}
