/** The gateway's database schema as Kysely sees it (one set of tables for SQLite and PostgreSQL). */
import type { Generated } from 'kysely'

/**
 * Booleans are stored as 0/1 integers and times as ISO-8601 strings in both dialects, so one set
 * of migrations and queries serves SQLite and PostgreSQL alike.
 */
type Flag = number

/** Who wrote a row: the config file (`apply`), the admin API or UI, or `import-mlflow-auth`. */
export type Origin = 'config' | 'api' | 'import'

/** Whom a grant or create right is for; `user`/`group` rows point at their user or group. */
export type PrincipalType = 'anonymous' | 'authenticated' | 'user' | 'group'

export type GrantResource = 'experiment' | 'experiment-id' | 'registered-model'
export type CreateKindColumn = 'experiment' | 'registered-model' | 'prompt'
export type PermissionColumn = 'READ' | 'USE' | 'EDIT' | 'MANAGE'

export type Database = {
  gate_meta: { key: string; value: string }
  /** The creator of an experiment (key: its id) or registered model (key: its name) holds MANAGE. */
  resource_owners: { kind: OwnedKind; resource_key: string; owner: string; created_at: string }
  /** One row; every change to users, groups, grants or tokens increments it (see access/revision.ts). */
  access_revision: { id: number; revision: number }
  users: {
    id: Generated<number>
    /** As first written; `name_key` (lower case) is what is unique and looked up. */
    name: string
    name_key: string
    /** Werkzeug format (`scrypt:` / `pbkdf2:sha256:`); null for users who cannot use a password. */
    password_hash: string | null
    admin: Flag
    disabled: Flag
    origin: Origin
    /** The hash the config file gave at the last apply, so a password changed since is kept. */
    config_password_hash: string | null
    created_at: string
    updated_at: string
  }
  groups: { id: Generated<number>; name: string; origin: Origin; created_at: string }
  group_members: { group_id: number; user_id: number; origin: Origin }
  grants: {
    id: Generated<number>
    principal_type: PrincipalType
    user_id: number | null
    group_id: number | null
    /** `experiment` and `registered-model` hold a name or glob; `experiment-id` an id. */
    resource: GrantResource
    pattern: string
    permission: PermissionColumn
    deny: Flag
    origin: Origin
    /** Where it came from for people, e.g. `access.grants[2]`; null for API grants. */
    source: string | null
    created_at: string
  }
  create_rights: {
    id: Generated<number>
    principal_type: PrincipalType
    user_id: number | null
    group_id: number | null
    kind: CreateKindColumn
    pattern: string
    origin: Origin
    source: string | null
    created_at: string
  }
  api_tokens: {
    /** The public part of the token, also its key. */
    id: string
    user_id: number
    name: string
    /** SHA-256 of the secret part: tokens are long random strings, so a fast hash is enough. */
    secret_hash: string
    read_only: Flag
    expires_at: string | null
    created_at: string
    last_used_at: string | null
  }
  sessions: {
    /** SHA-256 of the session id in the cookie; the id itself is never stored. */
    id_hash: string
    user_id: number
    created_at: string
    last_seen_at: string
    /** The absolute end, fixed at sign-in; the idle end is `last_seen_at` + the idle lifetime. */
    expires_at: string
    client: string
    user_agent: string | null
  }
  audit_events: {
    id: Generated<number>
    at: string
    request_id: string
    principal: string | null
    method: string
    path: string
    route: string | null
    resource: string | null
    client: string
    /** 1 allowed, 0 denied, null when no decision was reached (an error). */
    allow: Flag | null
    status: number
    /** The decision's reasons as JSON. */
    reasons: string
    error: string | null
  }
}

export type OwnedKind = 'experiment' | 'registered-model'
