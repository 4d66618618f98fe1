/** Policy: the access config compiled once into matchers that decisions read without I/O. */
import type { AccessConfig } from '../config/access-schema.js'
import type { Principal } from '../identify/principal.js'
import type { Permission } from './permissions.js'

export type UserRecord = {
  readonly name: string
  readonly passwordHash: string
  readonly admin: boolean
  readonly groups: readonly string[]
}

export type CompiledGrant = {
  /** Where it came from, for reasons and `explain` (e.g. `access.grants[2]`). */
  readonly origin: string
  readonly to: string
  readonly permission: Permission
  readonly deny: boolean
  readonly experimentIds: ReadonlySet<string>
  readonly experimentNames: readonly RegExp[]
  readonly modelNames: readonly RegExp[]
}

export type CreateKind = 'experiment' | 'registered-model' | 'prompt'

export type CompiledCreateRight = {
  readonly origin: string
  readonly to: string
  readonly names: Readonly<Record<CreateKind, readonly RegExp[]>>
}

export type Policy = {
  readonly anonymousEnabled: boolean
  /** Users by lower-cased name (names compare case-insensitively). */
  readonly users: ReadonlyMap<string, UserRecord>
  readonly grants: readonly CompiledGrant[]
  /** The same grants indexed by their normalised `to`, so a decision scans only the caller's. */
  readonly grantsByPrincipal: ReadonlyMap<string, readonly CompiledGrant[]>
  readonly createRights: readonly CompiledCreateRight[]
}

/** Glob to an anchored RegExp: `*` any run of characters, `?` one; everything else literal. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${body}$`, 's')
}

const globs = (list: readonly string[] | undefined) => (list ?? []).map(globToRegExp)

export function compilePolicy(access: AccessConfig): Policy {
  const grants = compileGrants(access)
  const grantsByPrincipal = new Map<string, CompiledGrant[]>()
  for (const g of grants) {
    const key = normaliseTo(g.to)
    grantsByPrincipal.set(key, [...(grantsByPrincipal.get(key) ?? []), g])
  }
  return {
    anonymousEnabled: access.anonymous,
    users: new Map(
      access.users.map((u) => [
        u.name.toLowerCase(),
        { name: u.name, passwordHash: u.password_hash, admin: u.admin, groups: u.groups },
      ]),
    ),
    grants,
    grantsByPrincipal,
    createRights: access.create.map((c, i) => ({
      origin: `access.create[${i}]`,
      to: c.to,
      names: {
        experiment: globs(c.experiments),
        'registered-model': globs(c.registered_models),
        prompt: globs(c.prompts),
      },
    })),
  }
}

function compileGrants(access: AccessConfig): CompiledGrant[] {
  return access.grants.map((g, i) => ({
    origin: `access.grants[${i}]`,
    to: g.to,
    permission: g.permission,
    deny: g.deny,
    experimentIds: new Set(g.experiment_ids ?? []),
    experimentNames: globs(g.experiments),
    modelNames: globs(g.registered_models),
  }))
}

/** User names compare case-insensitively; group names exactly. */
function normaliseTo(to: string): string {
  return to.startsWith('user:') ? to.toLowerCase() : to
}

/** The keys of every grant that applies to the caller, in the order `appliesTo` explains. */
function keysFor(principal: Principal): string[] {
  if (principal.kind === 'anonymous') return ['anonymous']
  return [
    'anonymous',
    'authenticated',
    `user:${principal.name.toLowerCase()}`,
    ...principal.groups.map((g) => `group:${g}`),
  ]
}

/** The grants that apply to the caller (the same set as filtering all grants with appliesTo). */
export function grantsFor(policy: Policy, principal: Principal): CompiledGrant[] {
  return keysFor(principal).flatMap((k) => policy.grantsByPrincipal.get(k) ?? [])
}

/**
 * Whether a grant's `to` covers the caller. `anonymous` means everyone, signed in or not (a
 * signed-in user never has less than a visitor); `authenticated` means every signed-in user.
 */
export function appliesTo(to: string, principal: Principal): boolean {
  if (to === 'anonymous') return true
  if (principal.kind === 'anonymous') return false
  if (to === 'authenticated') return true
  if (to.startsWith('user:')) return to.slice(5).toLowerCase() === principal.name.toLowerCase()
  return to.startsWith('group:') && principal.groups.includes(to.slice(6))
}
