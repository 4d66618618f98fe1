/** Decides the experiments and runs a GraphQL request names, as the REST routes for them are decided. */
import { decide, type Target } from '../../authorize/decide.js'
import { deny, reason, type Decision } from '../../authorize/decision.js'
import type { AuthorizeDeps } from '../../authorize/index.js'
import type { Principal } from '../../identify/principal.js'
import { GatewayError } from '../../server/errors.js'
import type { Named } from './fields.js'

/**
 * Each uncached run costs one MLflow lookup; MLflow itself takes at most 100 runs in a metric
 * history request and 20 experiments in a dataset search, and 10 root fields per query.
 */
export const MAX_NAMED = 1_000
/** Lookups sent to MLflow at once while resolving. */
const CONCURRENCY = 8

/**
 * READ on every named resource, or the first denial. A run is decided on its experiment (asked
 * from MLflow through the shared resolver, cached); one that does not resolve is denied, as on
 * the REST routes. MLflow unreachable is an error (503), never an allow.
 */
export async function decideNamed(
  principal: Principal,
  named: readonly Named[],
  deps: AuthorizeDeps,
): Promise<Decision> {
  if (named.length > MAX_NAMED) {
    throw new GatewayError(
      'GW_BAD_REQUEST',
      `GraphQL: a query may name at most ${MAX_NAMED} experiments and runs`,
    )
  }
  const targets: Target[] = []
  for (let i = 0; i < named.length; i += CONCURRENCY) {
    const batch = named.slice(i, i + CONCURRENCY)
    const resolved = await Promise.all(batch.map((n) => toTarget(n, deps)))
    for (const [j, t] of resolved.entries()) {
      if (t) targets.push(t)
      else {
        const n = batch[j]!
        return deny(
          reason(
            'resource-unresolved',
            `the ${n.kind} '${n.id}' does not exist or cannot be resolved`,
          ),
        )
      }
    }
  }
  return decide(principal, 'read', targets, deps.policy, deps.owners)
}

async function toTarget(n: Named, { resolver }: AuthorizeDeps): Promise<Target | undefined> {
  const experimentId = n.kind === 'run' ? await resolver.experimentOf('run', n.id) : n.id
  const e = experimentId === undefined ? undefined : await resolver.experiment(experimentId)
  return e && { kind: 'experiment', ...e }
}
