/** authorize: turns the classified operation into targets grants can name, then asks decide(). */
import type { Operation } from '../classify/index.js'
import type { Ids } from '../classify/ids.js'
import { searchAnswer, type SearchAnswer } from '../filter/searches.js'
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
  return asMissingName(op, principal, decide(principal, row.action, targets, policy, deps.owners))
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

/** Maps the ids a request names to the experiments and registered models grants speak of. */
async function toTargets(
  ids: Ids,
  op: Operation,
  { resolver }: AuthorizeDeps,
): Promise<Target[] | undefined> {
  const targets: Target[] = []
  for (const value of ids.values) {
    if (ids.kind === 'artifact') {
      const found = await artifactTargets(value, resolver)
      if (!found) return undefined
      targets.push(...found)
      continue
    }
    const t = await toTarget(ids, value, op, resolver)
    if (!t) return undefined
    targets.push(t)
  }
  return targets
}

/** Every experiment whose folder holds the path must allow (authorize/artifact-owners.ts). */
async function artifactTargets(path: string, resolver: Resolver): Promise<Target[] | undefined> {
  const ids = await resolver.experimentsOfArtifactPath(path)
  if (!ids || ids.length === 0) return undefined
  const targets: Target[] = []
  for (const id of ids) {
    const e = await resolver.experiment(id)
    if (!e) return undefined
    targets.push({ kind: 'experiment', ...e })
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
