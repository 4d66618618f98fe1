/** The experiments a caller may read, as a list of ids, when grants name them only by id: lets a search ask MLflow for just those. */
import type { Principal } from '../identify/principal.js'
import type { Owners } from './owners.js'
import { grantsFor, type Policy } from './policy.js'

/** Beyond this many ids the list is not worth sending; the search filters as it reads instead. */
export const MAX_READABLE_IDS = 1000

/**
 * Every experiment id the caller may read, or undefined when that is no short list: a grant by
 * name pattern applies (the names matching it are MLflow's to know), there are more than
 * MAX_READABLE_IDS, or none. A superset is fine: deny grants are left to the per-item decision
 * that still follows, so this list only ever narrows what MLflow is asked, never what is shown.
 */
export function readableExperimentIds(
  principal: Principal,
  policy: Policy,
  owners: Owners,
): readonly string[] | undefined {
  if (principal.kind === 'user' && principal.admin) return undefined
  const ids = new Set<string>()
  for (const g of grantsFor(policy, principal)) {
    if (g.deny) continue
    // Every permission includes READ; a pattern's matches cannot be listed here.
    if (g.experimentNames.length > 0) return undefined
    for (const id of g.experimentIds) ids.add(id)
  }
  if (principal.kind === 'user')
    for (const id of owners.ownedBy('experiment', principal.name.toLowerCase())) ids.add(id)
  // MLflow's SQL store numbers experiments; anything else is not put into a filter string.
  if (ids.size === 0 || ids.size > MAX_READABLE_IDS || [...ids].some((id) => !/^\d+$/.test(id)))
    return undefined
  return [...ids]
}
