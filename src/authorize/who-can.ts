/** Who can access one experiment, and where each access comes from: decided by decide() itself, explained by the grants that name it. */
import { ANONYMOUS, type Principal } from '../identify/principal.js'
import { covers, decide, type Target } from './decide.js'
import type { Action } from '../classify/row.js'
import type { Permission } from './permissions.js'
import { NO_OWNERS, type Owners } from './owners.js'
import { appliesTo, type CompiledGrant, type Policy } from './policy.js'

/** How a grant reaches a principal. */
export type Via = 'user' | 'group' | 'authenticated' | 'anonymous'
/** How a grant names the experiment: its id, its exact name, or a glob that matches the name. */
export type Match = 'id' | 'name' | 'pattern'

export type GrantSource = {
  readonly grant: CompiledGrant
  readonly via: Via
  readonly match: Match
}

export type AccessRow = {
  /** `anonymous`, `authenticated` (any signed-in user), or a user's name. */
  readonly principal: string
  readonly kind: 'anonymous' | 'authenticated' | 'user'
  /** The highest level decide() allows; undefined for none. */
  readonly permission: Permission | undefined
  readonly admin: boolean
  /** Recorded as the experiment's creator (MANAGE unless a deny grant says otherwise). */
  readonly owner: boolean
  readonly disabled: boolean
  /** Allowing grants that apply to this principal and name the experiment. */
  readonly grants: readonly GrantSource[]
  /** Deny grants that apply to this principal and name the experiment. */
  readonly denies: readonly GrantSource[]
}

export type ExperimentAccess = {
  readonly experiment: { readonly id: string; readonly name: string }
  readonly anonymousServed: boolean
  /** Every grant that names the experiment, whoever it is for. */
  readonly covering: readonly GrantSource[]
  /** anonymous, authenticated, then each user with access of their own (or a deny), by name. */
  readonly rows: readonly AccessRow[]
  /** Users with nothing of their own: what they get is the `authenticated` row. */
  readonly others: readonly string[]
}

/** The action each level is tested with (permissions.ts REQUIRED, read the other way). */
const LEVELS: readonly [Permission, Action][] = [
  ['READ', 'read'],
  ['USE', 'use'],
  ['EDIT', 'update'],
  ['MANAGE', 'manage'],
]

/**
 * Each level is decided by decide(), the function every request goes through, so the page can
 * never disagree with what the gateway does; the grants listed beside it only say why.
 */
export function whoCanAccess(
  experiment: { id: string; name: string },
  policy: Policy,
  owners: Owners = NO_OWNERS,
): ExperimentAccess {
  const target: Target = { kind: 'experiment', ...experiment }
  const covering = policy.grants
    .filter((g) => covers(g, target))
    .map((g) => ({ grant: g, via: viaOf(g.to), match: matchOf(g) }))
  const owner = owners.ownerOf('experiment', experiment.id)
  const rowFor = (principal: Principal, kind: AccessRow['kind'], name: string): AccessRow => {
    const user = principal.kind === 'user' ? principal : undefined
    const applying = covering.filter((s) => appliesTo(s.grant.to, principal))
    const disabled = kind === 'user' && policy.users.get(name.toLowerCase())?.disabled === true
    const served = principal.kind === 'user' || policy.anonymousEnabled
    return {
      principal: name,
      kind,
      permission: disabled || !served ? undefined : highest(principal, target, policy, owners),
      admin: user?.admin === true,
      owner: kind === 'user' && owner === name.toLowerCase(),
      disabled,
      grants: applying.filter((s) => !s.grant.deny),
      denies: applying.filter((s) => s.grant.deny),
    }
  }
  const anyone: Principal = { kind: 'user', name: '', groups: [], admin: false, via: 'session' }
  const rows = [
    rowFor(ANONYMOUS, 'anonymous', 'anonymous'),
    rowFor(anyone, 'authenticated', 'authenticated'),
  ]
  const others: string[] = []
  const users = [...policy.users.values()].sort((a, b) => a.name.localeCompare(b.name))
  for (const u of users) {
    const p: Principal = {
      kind: 'user',
      name: u.name,
      groups: u.groups,
      admin: u.admin,
      via: 'session',
    }
    const row = rowFor(p, 'user', u.name)
    const ownAccess =
      row.admin ||
      row.owner ||
      row.denies.length > 0 ||
      row.grants.some((s) => s.via === 'user' || s.via === 'group')
    if (ownAccess) rows.push(row)
    else others.push(u.name)
  }
  return {
    experiment,
    anonymousServed: policy.anonymousEnabled,
    covering,
    rows,
    others,
  }
}

function highest(
  principal: Principal,
  target: Target,
  policy: Policy,
  owners: Owners,
): Permission | undefined {
  let best: Permission | undefined
  // Levels are downward closed (a deny of one level also denies those above it), so stop at the
  // first refusal.
  for (const [level, action] of LEVELS) {
    if (!decide(principal, action, [target], policy, owners).allow) break
    best = level
  }
  return best
}

function viaOf(to: string): Via {
  if (to === 'anonymous' || to === 'authenticated') return to
  return to.startsWith('group:') ? 'group' : 'user'
}

function matchOf(g: CompiledGrant): Match {
  if (g.resource === 'experiment-id') return 'id'
  return /[*?]/.test(g.pattern) ? 'pattern' : 'name'
}
