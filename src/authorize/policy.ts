/** Policy: the access state (from the store, or from config alone) compiled into matchers that decisions read without I/O. */
import type { AccessConfig } from '../config/access-schema.js'
import { desiredAccess } from '../config/desired.js'
import type { AccessSnapshot } from '../storage/access/snapshot.js'
import type { GrantResource } from '../storage/database.js'
import type { Principal } from '../identify/principal.js'
import type { Permission } from './permissions.js'

export type UserRecord = {
  readonly name: string
  /** Null for a user who cannot sign in with a password (tokens or SSO only). */
  readonly passwordHash: string | null
  readonly admin: boolean
  readonly disabled: boolean
  readonly groups: readonly string[]
}

export type TokenRecord = {
  readonly id: string
  /** The owner's lower-cased name, a key of `Policy.users`. */
  readonly user: string
  readonly secretHash: string
  readonly readOnly: boolean
  /** Milliseconds since the epoch, or undefined for a token that does not expire. */
  readonly expiresAt: number | undefined
}

export type CompiledGrant = {
  /** Where it came from, for reasons and `explain` (e.g. `access.grants[2]` or `grant #12`). */
  readonly origin: string
  /** The stored grant it was compiled from, so pages can say how it matches and link to it. */
  readonly id: number
  readonly resource: GrantResource
  readonly pattern: string
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

/** What the config file says beside grants (`access.anonymous`, `access.custom_artifact_locations`). */
export type PolicySettings = {
  readonly anonymousEnabled: boolean
  /** Non-admins may give a new experiment its own `artifact_location`. */
  readonly customArtifactLocations: boolean
}

export function settingsOf(access: AccessConfig): PolicySettings {
  return {
    anonymousEnabled: access.anonymous,
    customArtifactLocations: access.custom_artifact_locations,
  }
}

/** The access state compiled for decisions without I/O; rebuilt whole when the store changes. */
export type Policy = PolicySettings & {
  /** The store revision it was compiled from (0 for a policy compiled from config alone). */
  readonly revision: number
  /** Users by lower-cased name (names compare case-insensitively). */
  readonly users: ReadonlyMap<string, UserRecord>
  /** API tokens by their public id. */
  readonly tokens: ReadonlyMap<string, TokenRecord>
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

/** Compiles a store snapshot. */
export function compileSnapshot(snapshot: AccessSnapshot, settings: PolicySettings): Policy {
  const grants: CompiledGrant[] = snapshot.grants.map((g) => ({
    origin: g.source ?? `grant #${g.id}`,
    id: g.id,
    resource: g.resource,
    pattern: g.pattern,
    to: g.to,
    permission: g.permission,
    deny: g.deny,
    experimentIds: new Set(g.resource === 'experiment-id' ? [g.pattern] : []),
    experimentNames: g.resource === 'experiment' ? [globToRegExp(g.pattern)] : [],
    modelNames: g.resource === 'registered-model' ? [globToRegExp(g.pattern)] : [],
  }))
  const grantsByPrincipal = new Map<string, CompiledGrant[]>()
  for (const g of grants) {
    const key = normaliseTo(g.to)
    grantsByPrincipal.set(key, [...(grantsByPrincipal.get(key) ?? []), g])
  }
  return {
    revision: snapshot.revision,
    ...settings,
    users: new Map(snapshot.users.map((u) => [u.name.toLowerCase(), u])),
    tokens: new Map(
      snapshot.tokens.map((t) => [
        t.id,
        {
          id: t.id,
          user: t.user.toLowerCase(),
          secretHash: t.secretHash,
          readOnly: t.readOnly,
          expiresAt: t.expiresAt === null ? undefined : Date.parse(t.expiresAt),
        },
      ]),
    ),
    grants,
    grantsByPrincipal,
    createRights: snapshot.createRights.map((c) => ({
      origin: c.source ?? `create right #${c.id}`,
      to: c.to,
      names: {
        experiment: c.kind === 'experiment' ? [globToRegExp(c.pattern)] : [],
        'registered-model': c.kind === 'registered-model' ? [globToRegExp(c.pattern)] : [],
        prompt: c.kind === 'prompt' ? [globToRegExp(c.pattern)] : [],
      },
    })),
  }
}

/**
 * Compiles the config's `access` section as if it had been applied to an empty store: for
 * `explain`, tests and benchmarks that have no store.
 */
export function compilePolicy(access: AccessConfig): Policy {
  const desired = desiredAccess(access)
  return compileSnapshot(
    {
      revision: 0,
      users: desired.users.map((u) => ({ ...u, disabled: false })),
      grants: desired.grants.map((g, i) => ({ id: i + 1, ...g })),
      createRights: desired.createRights.map((c, i) => ({ id: i + 1, ...c })),
      tokens: [],
    },
    settingsOf(access),
  )
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
