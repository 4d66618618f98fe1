/** authorize: turns the classified operation into targets grants can name, then asks decide(). */
import type { Operation } from '../classify/index.js'
import type { Ids } from '../classify/ids.js'
import { searchAnswer, type SearchAnswer } from '../filter/searches.js'
import { principalName, type Principal } from '../identify/principal.js'
import { decide } from './decide.js'
import { allow, deny, reason, type Decision } from './decision.js'
import { asExistingName } from './existing-name.js'
import { asMissingName } from './missing-name.js'
import { decideReferences } from './references.js'
import { toTargets } from './targets.js'
import type { Owners } from './owners.js'
import type { Policy } from './policy.js'
import type { Resolver } from './resolve.js'

export type AuthorizeDeps = {
  readonly policy: Policy
  readonly resolver: Resolver
  readonly owners: Owners
}

export async function authorize(
  principal: Principal,
  op: Operation,
  deps: AuthorizeDeps,
): Promise<Decision> {
  const { policy } = deps
  const row = op.row
  if (!row)
    return deny(
      reason(
        'unknown-endpoint',
        `${op.method} ${op.path} is not an MLflow route the gateway knows`,
      ),
    )
  if (principal.kind === 'anonymous' && !policy.anonymousEnabled && row.action !== 'public') {
    return deny(
      reason('unauthenticated', 'sign in first: this gateway does not serve anonymous visitors'),
    )
  }
  const isAdmin = principal.kind === 'user' && principal.admin
  // Admins need no lookups, and neither do actions decided without a resource.
  if (isAdmin || !['read', 'use', 'update', 'delete', 'manage', 'create'].includes(row.action)) {
    return decide(principal, row.action, [], policy)
  }
  if (!op.ids) {
    const search = searchAnswer(row.filter)
    if (search?.how === 'filtered') return decideFiltered(principal, op, search, deps)
    // GraphQL: the query's own experiments, runs and model versions are decided field by field
    // in filter/graphql/ before MLflow sees it, and model versions trimmed from the answer.
    if (search?.how === 'fields')
      return allow(
        reason('filtered', `the answer is limited to what ${principalName(principal)} may read`),
      )
    return deny(
      reason(
        'admin-only',
        `${row.action} on ${row.path} has no resource to grant; only admins may use it`,
      ),
    )
  }
  const targets = await toTargets(op.ids, op, deps)
  if (!targets) return asMissingName(op, principal, deny(unresolved(op.ids)))
  const decided = decide(principal, row.action, targets, policy, deps.owners)
  const d = await asExistingName(op, principal, asMissingName(op, principal, decided), deps)
  if (!d.allow || !row.references) return d
  const referenced = await decideReferences(principal, op, deps)
  return referenced.allow ? allow(...d.reasons, ...referenced.reasons) : referenced
}

function unresolved(ids: Ids) {
  if (ids.kind === 'artifact') {
    const path = ids.values[0] || '(the root)'
    return reason(
      'resource-unresolved',
      `artifact path '${path}' is not in an experiment's artifact folder, or names no run, model or trace there; only admins may use it`,
    )
  }
  return reason(
    'resource-unresolved',
    `the ${ids.kind} named by this request does not exist or cannot be resolved`,
  )
}

/**
 * Searches the filter answers (src/filter/searches.ts) are allowed to every caller and trimmed to
 * what they may read; experiments the request names itself are decided first, like any request.
 */
async function decideFiltered(
  principal: Principal,
  op: Operation,
  search: Extract<SearchAnswer, { how: 'filtered' }>,
  deps: AuthorizeDeps,
): Promise<Decision> {
  const filtered = reason(
    'filtered',
    `the answer is limited to what ${principalName(principal)} may read`,
  )
  const named = search.names?.(op.message) ?? []
  if (named.length === 0) return allow(filtered)
  const ids: Ids = { kind: 'experiment', by: 'id', values: [...new Set(named)] }
  const targets = await toTargets(ids, op, deps)
  if (!targets)
    return deny(reason('resource-unresolved', 'an experiment this request names does not exist'))
  const d = decide(principal, 'read', targets, deps.policy, deps.owners)
  return d.allow ? allow(filtered, ...d.reasons) : d
}
