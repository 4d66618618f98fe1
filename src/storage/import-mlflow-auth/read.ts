/**
 * Reads MLflow's auth schema (mlflow/server/auth/db/models.py and its Alembic migrations, 3.18.0):
 * users; the role tables (roles, role_permissions, user_role_assignments, c3d4e5f6a7b8) that
 * MLflow reads since e5f6a7b8c9d0; or, in a database from before them, the classic per-resource
 * tables (experiment_permissions, registered_model_permissions, workspace_permissions).
 */
import type { AuthSource } from './source.js'
import { SourceError } from './source.js'

export type MlflowUser = {
  readonly id: number
  readonly username: string
  readonly passwordHash: string | null
  readonly isAdmin: boolean
}
export type MlflowRole = { readonly id: number; readonly name: string; readonly workspace: string }
export type MlflowRolePermission = {
  readonly id: number
  readonly roleId: number
  readonly resourceType: string
  readonly pattern: string
  readonly permission: string
}
export type MlflowLegacyRow = {
  readonly table: string
  readonly id: number | null
  readonly userId: number
  /** experiment_id, registered model name, or the workspace for workspace_permissions. */
  readonly key: string
  readonly workspace: string
  readonly permission: string
}

export type MlflowAuthData = {
  /** alembic_version_auth, or alembic_version in MLflow 2.x; null when absent. */
  readonly version: string | null
  readonly users: readonly MlflowUser[]
  /** Present when the role tables exist: then they are what MLflow reads. */
  readonly roles?: {
    readonly roles: readonly MlflowRole[]
    readonly permissions: readonly MlflowRolePermission[]
    readonly assignments: readonly { readonly userId: number; readonly roleId: number }[]
  }
  /** Classic rows, read only when there are no role tables. */
  readonly legacy: readonly MlflowLegacyRow[]
  /** Row counts of the permission tables read only to be reported (no counterpart, or superseded). */
  readonly counted: Readonly<Record<string, number>>
}

/** The classic tables that map to grants, with the column that names the resource. */
const LEGACY_MAPPED: Record<string, string> = {
  experiment_permissions: 'experiment_id',
  registered_model_permissions: 'name',
  workspace_permissions: 'workspace',
}
/** Classic tables with no counterpart in the gateway: counted, never mapped. */
const LEGACY_COUNTED = [
  'scorer_permissions',
  'gateway_secret_permissions',
  'gateway_endpoint_permissions',
  'gateway_model_definition_permissions',
]

const flag = (v: unknown) => v === true || v === 1 || v === '1' || v === 't'

export async function readMlflowAuth(source: AuthSource): Promise<MlflowAuthData> {
  if (!source.tables.has('users'))
    throw new SourceError(
      `${source.description} is not an MLflow auth database: it has no users table` +
        ` (tables: ${[...source.tables].sort().join(', ') || 'none'})`,
    )
  // MLflow 3.x keeps its auth schema version in alembic_version_auth; 2.x used alembic_version.
  const versionTable = ['alembic_version_auth', 'alembic_version'].find((t) => source.tables.has(t))
  const version = versionTable
    ? ((await source.rows<{ version_num: string }>(`select version_num from ${versionTable}`))[0]
        ?.version_num ?? null)
    : null
  const users = (
    await source.rows<{
      id: number
      username: string | null
      password_hash: string | null
      is_admin: unknown
    }>('select id, username, password_hash, is_admin from users order by id')
  ).map((u) => ({
    id: Number(u.id),
    username: u.username ?? '',
    passwordHash: u.password_hash,
    isAdmin: flag(u.is_admin),
  }))
  const hasRoles = ['roles', 'role_permissions', 'user_role_assignments'].every((t) =>
    source.tables.has(t),
  )
  const counted: Record<string, number> = {}
  const count = async (table: string) => {
    if (source.tables.has(table))
      counted[table] = Number(
        (await source.rows<{ n: number | string }>(`select count(*) as n from ${table}`))[0]!.n,
      )
  }
  for (const t of LEGACY_COUNTED) await count(t)
  if (hasRoles) {
    for (const t of Object.keys(LEGACY_MAPPED)) await count(t)
    return { version, users, roles: await readRoles(source), legacy: [], counted }
  }
  return { version, users, legacy: await readLegacy(source), counted }
}

async function readRoles(source: AuthSource): Promise<NonNullable<MlflowAuthData['roles']>> {
  const roles = await source.rows<MlflowRole>('select id, name, workspace from roles order by id')
  const permissions = await source.rows<{
    id: number
    role_id: number
    resource_type: string
    resource_pattern: string
    permission: string
  }>(
    'select id, role_id, resource_type, resource_pattern, permission from role_permissions order by id',
  )
  const assignments = await source.rows<{ user_id: number; role_id: number }>(
    'select user_id, role_id from user_role_assignments order by id',
  )
  return {
    roles: roles.map((r) => ({ id: Number(r.id), name: r.name, workspace: r.workspace })),
    permissions: permissions.map((p) => ({
      id: Number(p.id),
      roleId: Number(p.role_id),
      resourceType: p.resource_type,
      pattern: p.resource_pattern,
      permission: p.permission,
    })),
    assignments: assignments.map((a) => ({ userId: Number(a.user_id), roleId: Number(a.role_id) })),
  }
}

async function readLegacy(source: AuthSource): Promise<MlflowLegacyRow[]> {
  const out: MlflowLegacyRow[] = []
  for (const [table, keyColumn] of Object.entries(LEGACY_MAPPED)) {
    if (!source.tables.has(table)) continue
    // registered_model_permissions has a workspace column only since 2ed73881770d;
    // workspace_permissions has no id column.
    const columns = await columnsOf(source, table)
    const workspace =
      table === 'workspace_permissions' || columns.has('workspace') ? 'workspace' : "'default'"
    const id = columns.has('id') ? 'id' : 'null'
    const rows = await source.rows<{
      id: number | null
      user_id: number
      k: string
      ws: string
      permission: string | null
    }>(
      `select ${id} as id, user_id, ${keyColumn} as k, ${workspace} as ws, permission from ${table}`,
    )
    for (const r of rows)
      out.push({
        table,
        id: r.id === null ? null : Number(r.id),
        userId: Number(r.user_id),
        key: String(r.k),
        workspace: r.ws,
        permission: r.permission ?? '',
      })
  }
  return out
}

async function columnsOf(source: AuthSource, table: string): Promise<Set<string>> {
  const rows = await source.rows<Record<string, unknown>>(`select * from ${table} limit 1`)
  // An empty table names no columns this way; the plain select then reads nothing anyway.
  return new Set(rows[0] ? Object.keys(rows[0]) : [])
}
