/** Decides which items of a list the caller may read, looking up experiments that items name only by id. */
import { decide, type Target } from '../authorize/decide.js'
import type { AuthorizeDeps } from '../authorize/index.js'
import type { Principal } from '../identify/principal.js'
import { GatewayError } from '../server/errors.js'
import type { Keep } from './search.js'
import type { Item, ItemOf } from './searches.js'

/**
 * The most distinct experiments one request may look up by id (each uncached one is a request to
 * MLflow); a list spanning more is refused rather than answered slowly or unfiltered.
 */
export const MAX_EXPERIMENT_LOOKUPS = 1000
/** Lookups in flight at once, so one list does not take every upstream connection. */
const LOOKUP_CONCURRENCY = 8

/** A Keep for one request: experiments looked up once, every item decided as a READ. */
export function readableBy(principal: Principal, itemOf: ItemOf, deps: AuthorizeDeps): Keep<Item> {
  const experiments = new Map<string, Target | undefined>()
  const mayRead = (t: Target | undefined) =>
    t !== undefined && decide(principal, 'read', [t], deps.policy, deps.owners).allow
  return async (page) => {
    const refs = page.map(itemOf)
    const missing = new Set<string>()
    for (const r of refs)
      if (r?.kind === 'experiment-id' && !experiments.has(r.id)) missing.add(r.id)
    if (experiments.size + missing.size > MAX_EXPERIMENT_LOOKUPS) {
      throw new GatewayError(
        'GW_SEARCH_TOO_LARGE',
        `this list spans more than ${MAX_EXPERIMENT_LOOKUPS} experiments, too many to check: name the experiments (experiment_ids)`,
      )
    }
    await lookUp([...missing], experiments, deps)
    return refs.map((r) => mayRead(r?.kind === 'experiment-id' ? experiments.get(r.id) : r))
  }
}

/** An experiment MLflow does not know (deleted for good) stays undefined: unreadable. */
async function lookUp(
  ids: readonly string[],
  into: Map<string, Target | undefined>,
  { resolver }: AuthorizeDeps,
): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!
      const e = await resolver.experiment(id)
      into.set(id, e && { kind: 'experiment', ...e })
    }
  }
  await Promise.all(Array.from({ length: Math.min(LOOKUP_CONCURRENCY, ids.length) }, worker))
}
