/** decide(): the pure, synchronous decision for a caller, an action and the resolved resources. */
import type { Action } from '../classify/row.js'
import { principalName, type Principal } from '../identify/principal.js'
import { allow, deny, reason, type Decision, type Reason } from './decision.js'
import { rank, REQUIRED, satisfies, type Permission } from './permissions.js'
import { NO_OWNERS, type Owners } from './owners.js'
import { appliesTo, grantsFor, type CompiledGrant, type CreateKind, type Policy } from './policy.js'

/** A resource the request acts on, resolved to what grants can name. */
export type Target =
  | { readonly kind: 'experiment'; readonly id: string; readonly name: string }
  | { readonly kind: 'registered-model'; readonly name: string }
  | {
      readonly kind: 'create'
      readonly what: CreateKind
      readonly name: string
      /** The `artifact_location` a new experiment asks for, when it asks for one. */
      readonly artifactLocation?: string
    }
  /** Every experiment or registered model (what an unfiltered search can return). */
  | { readonly kind: 'all'; readonly of: 'experiment' | 'registered-model' }

export function describeTarget(t: Target): string {
  if (t.kind === 'experiment') return `experiment ${t.id} ('${t.name}')`
  if (t.kind === 'registered-model') return `registered model '${t.name}'`
  if (t.kind === 'all') return t.of === 'experiment' ? 'all experiments' : 'all registered models'
  return `new ${t.what} '${t.name}'`
}

/**
 * Decides without I/O: everything it needs (the resolved targets, the compiled policy) is passed
 * in, so it is table-tested and benchmarked on its own. Every target must pass.
 */
export function decide(
  principal: Principal,
  action: Action,
  targets: readonly Target[],
  policy: Policy,
  owners: Owners = NO_OWNERS,
): Decision {
  const who = principalName(principal)
  if (action === 'public') return allow(reason('public-route', 'this route is public'))
  if (action === 'deny')
    return deny(reason('route-denied', 'the gateway never forwards this route'))
  // A read-only token limits even an admin: it is what the token's holder chose to hand out.
  if (principal.kind === 'user' && principal.readOnly && action !== 'read')
    return deny(reason('read-only-token', `${who} used a read-only API token; it only reads`))
  if (principal.kind === 'user' && principal.admin)
    return allow(reason('admin', `${who} is an admin`))
  if (action === 'admin')
    return deny(reason('admin-only', 'only gateway admins may use this route'))
  if (action === 'authenticated') {
    return principal.kind === 'user'
      ? allow(reason('authenticated', `${who} is signed in`))
      : deny(reason('unauthenticated', 'sign in to use this route'))
  }
  const reasons: Reason[] = []
  for (const target of targets) {
    const d =
      target.kind === 'create'
        ? mayCreate(principal, target, policy)
        : mayAct(principal, action, target, policy, owners)
    if (!d.allow) return d
    reasons.push(...d.reasons)
  }
  return allow(...reasons)
}

function mayAct(
  principal: Principal,
  action: Action,
  target: Target,
  policy: Policy,
  owners: Owners,
): Decision {
  const needed = REQUIRED[action]
  if (!needed || target.kind === 'create') {
    throw new TypeError(`action '${action}' on ${describeTarget(target)} is not a resource action`)
  }
  const who = principalName(principal)
  const what = describeTarget(target)
  const matching = grantsFor(policy, principal).filter((g) => covers(g, target))
  const denying = matching.find((g) => g.deny && rank(g.permission) <= rank(needed))
  if (denying) {
    return deny(
      reason(
        'grant-denies',
        `${denying.origin} denies ${denying.permission} on ${what} to ${denying.to}`,
      ),
    )
  }
  if (principal.kind === 'user' && ownedBy(target, owners) === principal.name.toLowerCase()) {
    return allow(
      reason('owner', `${who} created ${what} through the gateway and holds MANAGE on it`),
    )
  }
  const allowing = matching.find((g) => !g.deny && satisfies(g.permission, needed))
  if (allowing) {
    return allow(
      reason(
        'grant-allows',
        `${allowing.origin} gives ${allowing.to} ${allowing.permission} on ${what}`,
      ),
    )
  }
  return deny(reason('no-grant', `${who} needs ${needed} on ${what}, and no grant gives it`))
}

function ownedBy(t: Target, owners: Owners): string | undefined {
  if (t.kind === 'experiment') return owners.ownerOf('experiment', t.id)
  return t.kind === 'registered-model' ? owners.ownerOf('registered-model', t.name) : undefined
}

const EVERYTHING = '^.*$'

/** Whether a grant names the target (by id, name or glob); exported for "who can access" pages. */
export function covers(g: CompiledGrant, t: Target): boolean {
  switch (t.kind) {
    case 'experiment':
      return g.experimentIds.has(t.id) || g.experimentNames.some((r) => r.test(t.name))
    case 'registered-model':
      return g.modelNames.some((r) => r.test(t.name))
    case 'all': {
      // "All" is granted only by a `*` grant, and touched by any deny of that kind: a partial
      // deny means the caller may not read everything.
      const names = t.of === 'experiment' ? g.experimentNames : g.modelNames
      const ids = t.of === 'experiment' ? g.experimentIds.size : 0
      return g.deny ? names.length + ids > 0 : names.some((r) => r.source === EVERYTHING)
    }
    default:
      return false
  }
}

function mayCreate(
  principal: Principal,
  target: Target & { kind: 'create' },
  policy: Policy,
): Decision {
  const right = policy.createRights.find(
    (c) => appliesTo(c.to, principal) && c.names[target.what].some((r) => r.test(target.name)),
  )
  // MLflow writes and later serves the experiment's files wherever it says, with the server's
  // own access (security.md F15: SSRF via `artifact_location: http://...` on 2.x; a location inside
  // another experiment's folder overlaps it, docs/decisions/0007).
  if (right && target.artifactLocation !== undefined && !policy.customArtifactLocations) {
    return deny(
      reason(
        'custom-artifact-location',
        `only admins may choose where a new experiment's artifacts are kept ('${target.artifactLocation}'); leave artifact_location empty, or set access.custom_artifact_locations`,
      ),
    )
  }
  return right
    ? allow(
        reason(
          'create-right',
          `${right.origin} lets ${right.to} create ${target.what} '${target.name}'`,
        ),
      )
    : deny(
        reason(
          'no-create-right',
          `${principalName(principal)} may not create ${target.what} '${target.name}'`,
        ),
      )
}

export type { Permission }
