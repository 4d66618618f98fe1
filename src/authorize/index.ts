/** authorize: turns the classified operation into targets grants can name, then asks decide(). */
import type { Operation } from '../classify/index.js'
import type { Ids } from '../classify/ids.js'
import { FILTERED } from '../filter/index.js'
import { principalName, type Principal } from '../identify/principal.js'
import { decide, type Target } from './decide.js'
import { allow, deny, reason, type Decision } from './decision.js'
import { asMissingName } from './missing-name.js'
import type { Owners } from './owners.js'
import type { Policy } from './policy.js'
import type { Resolver } from './resolve.js'

export type AuthorizeDeps = {
  readonly policy: Policy
  readonly resolver: Resolver
  readonly owners: Owners
}

/**
 * Search and list routes that name no resource return whatever matches. Those filter/ answers
 * (FILTERED) are allowed to everyone and trimmed to what the caller may read; the others are
 * allowed only to callers who may read every resource they can return, of the kinds listed here.
 */
const FILTER_REACHES: Record<string, readonly ('experiment' | 'registered-model')[]> = {
  runs: ['experiment'],
  'logged-models': ['experiment'],
  traces: ['experiment'],
  scorers: ['experiment'],
  datasets: ['experiment'],
  'prompt-optimization-jobs': ['experiment'],
  graphql: ['experiment', 'registered-model'],
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
  if (!op.ids && row.filter && FILTERED.has(row.filter)) {
    return allow(
      reason('filtered', `the answer is limited to what ${principalName(principal)} may read`),
    )
  }
  if (!op.ids) {
    const reaches = row.filter ? FILTER_REACHES[row.filter] : undefined
    if (!reaches)
      return deny(
        reason(
          'admin-only',
          `${row.action} on ${row.path} has no resource to grant; only admins may use it`,
        ),
      )
    return decide(
      principal,
      row.action,
      reaches.map((of) => ({ kind: 'all', of }) as const),
      policy,
    )
  }
  const targets = await toTargets(op.ids, op, deps)
  if (!targets) {
    const unresolved = deny(
      reason(
        'resource-unresolved',
        `the ${op.ids.kind} named by this request does not exist or cannot be resolved`,
      ),
    )
    return asMissingName(op, principal, unresolved)
  }
  return asMissingName(op, principal, decide(principal, row.action, targets, policy, deps.owners))
}

/** Maps the ids a request names to the experiments and registered models grants speak of. */
async function toTargets(
  ids: Ids,
  op: Operation,
  { resolver }: AuthorizeDeps,
): Promise<Target[] | undefined> {
  const targets: Target[] = []
  for (const value of ids.values) {
    const t = await toTarget(ids, value, op, resolver)
    if (!t) return undefined
    targets.push(t)
  }
  return targets
}

async function toTarget(
  ids: Ids,
  value: string,
  op: Operation,
  resolver: Resolver,
): Promise<Target | undefined> {
  if (ids.by === 'name' && op.row?.action === 'create') {
    if (ids.kind === 'experiment') return { kind: 'create', what: 'experiment', name: value }
    return { kind: 'create', what: isPromptCreate(op) ? 'prompt' : 'registered-model', name: value }
  }
  switch (ids.kind) {
    case 'experiment': {
      const e =
        ids.by === 'name'
          ? await resolver.experimentByName(value)
          : await resolver.experiment(value)
      return e && { kind: 'experiment', ...e }
    }
    case 'run':
    case 'trace':
    case 'logged-model': {
      const experimentId = await resolver.experimentOf(ids.kind, value)
      const e = experimentId === undefined ? undefined : await resolver.experiment(experimentId)
      return e && { kind: 'experiment', ...e }
    }
    // A registered model's id is its name; model versions and prompts carry the model's name.
    case 'registered-model':
    case 'model-version':
    case 'prompt':
      return { kind: 'registered-model', name: value }
    default:
      // Scorers (and any kind added later) cannot be resolved yet: fail closed.
      return undefined
  }
}

/** MLflow marks a prompt as a registered model tagged `mlflow.prompt.is_prompt` (mlflow/prompt/constants.py). */
function isPromptCreate(op: Operation): boolean {
  const tags = op.message.tags
  return (
    Array.isArray(tags) &&
    tags.some((t) => (t as { key?: unknown })?.key === 'mlflow.prompt.is_prompt')
  )
}
