/** The experiments a caller may read, as a short list of ids when there is one: lets a search ask MLflow for just those. */
import type { Principal } from '../identify/principal.js'
import type { Owners } from './owners.js'
import { grantsFor, type Policy } from './policy.js'

/** Beyond this many ids the list is not worth sending; the search filters as it reads instead. */
export const MAX_READABLE_IDS = 1000

/** The most name patterns looked up for one search (one MLflow request each); more, and the search filters as it reads. */
export const MAX_PATTERN_LOOKUPS = 8

/**
 * The ids of every experiment whose name may match a grant's name pattern (a superset is fine),
 * or undefined when they cannot be listed (too many, or a pattern that cannot be asked safely).
 */
export type IdsNamed = (pattern: string) => Promise<readonly string[] | undefined>

/**
 * Every experiment id the caller may read (possibly none), or undefined when that is no short
 * list: a `*` grant, a name pattern `idsNamed` cannot list, or more than MAX_READABLE_IDS. A superset is fine:
 * deny grants are left to the per-item decision that still follows, so this list only ever
 * narrows what MLflow is asked, never what is shown.
 */
export async function readableExperimentIds(
  principal: Principal,
  policy: Policy,
  owners: Owners,
  idsNamed: IdsNamed,
): Promise<readonly string[] | undefined> {
  if (principal.kind === 'user' && principal.admin) return undefined
  const ids = new Set<string>()
  const patterns: string[] = []
  for (const g of grantsFor(policy, principal)) {
    if (g.deny) continue
    // Every permission includes READ.
    if (g.resource === 'experiment') patterns.push(g.pattern)
    for (const id of g.experimentIds) ids.add(id)
  }
  if (principal.kind === 'user')
    for (const id of owners.ownedBy('experiment', principal.name.toLowerCase())) ids.add(id)
  const unique = [...new Set(patterns)]
  if (unique.some((p) => /^\**$/.test(p)) || unique.length > MAX_PATTERN_LOOKUPS) return undefined
  for (const pattern of unique) {
    const named = await idsNamed(pattern)
    if (!named) return undefined
    for (const id of named) ids.add(id)
    if (ids.size > MAX_READABLE_IDS) return undefined
  }
  // MLflow's SQL store numbers experiments; anything else is not put into a filter string.
  if (ids.size > MAX_READABLE_IDS || [...ids].some((id) => !/^\d+$/.test(id))) return undefined
  return [...ids]
}
