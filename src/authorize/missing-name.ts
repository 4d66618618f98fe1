/** A read by experiment name that is denied answers as MLflow answers a name that does not exist. */
import type { Operation } from '../classify/index.js'
import { principalName, type Principal } from '../identify/principal.js'
import { deny, reason, type Decision } from './decision.js'

/**
 * `experiments/get-by-name` for a name the caller may not read, existing or not, is answered like
 * a missing name (404 RESOURCE_DOES_NOT_EXIST, as MLflow's own auth does for a missing name in
 * auth/__init__.py _get_permission_from_experiment_name): one answer for both, so it tells
 * nothing about private names (security.md 2.14). A 403 here broke the MLflow UI: its experiment
 * name check (create and rename dialogs) accepts a name only on RESOURCE_DOES_NOT_EXIST, so
 * nobody but an admin could create or rename an experiment there, and a caller without the right
 * saw "Could not validate experiment name" instead of the create's PERMISSION_DENIED.
 * See docs/decisions/0008-denied-name-lookups-answer-not-found.md.
 */
export function asMissingName(op: Operation, principal: Principal, decision: Decision): Decision {
  const byName = op.ids?.by === 'name' && op.ids.kind === 'experiment'
  if (decision.allow || !byName || op.row?.action !== 'read') return decision
  const name = op.ids!.values[0] ?? ''
  return deny(
    ...decision.reasons,
    reason('not-found', `no experiment named '${name}' that ${principalName(principal)} may read`),
  )
}
