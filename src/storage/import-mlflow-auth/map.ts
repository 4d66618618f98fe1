/**
 * Maps MLflow's auth rows onto the gateway's model (users, groups, grants), and says what has no
 * counterpart. Pure: reading is read.ts, writing is apply.ts.
 *
 * - A synthetic role `__user_<id>__` (MLflow's per-user grants, migration e5f6a7b8c9d0) becomes
 *   grants to `user:NAME`; any other role becomes a group of the same name with its members.
 * - `experiment` -> `experiment-id` (or `experiment '*'`), `registered_model` and `prompt` ->
 *   `registered-model` (the gateway's model grants cover prompts), `workspace '*' MANAGE` ->
 *   MANAGE on every experiment and model (mlflow/server/auth/sqlalchemy_store.py
 *   get_role_permission_for_resource folds it into every resource type).
 * - DENY and NO_PERMISSIONS -> a deny READ grant, which takes every permission away.
 */
import { hashFormatProblem } from '../../identify/password.js'
import type { GrantResource, PermissionColumn } from '../database.js'
import { mapPermission, RANK, type Mapped } from './map-permission.js'
import type { MlflowAuthData, MlflowLegacyRow, MlflowRole } from './read.js'

export type ImportUser = {
  readonly name: string
  readonly passwordHash: string | null
  readonly admin: boolean
  /** `unusable`: MLflow had a hash the gateway cannot verify; the user gets none. */
  readonly hash: 'scrypt' | 'pbkdf2' | 'none' | 'unusable'
}
export type ImportGroup = {
  readonly name: string
  readonly role: string
  readonly members: string[]
}
export type ImportGrant = {
  readonly to: string
  readonly resource: GrantResource
  readonly pattern: string
  readonly permission: PermissionColumn
  readonly deny: boolean
  /** The MLflow row it came from, e.g. `role_permissions 7 (role readers)`. */
  readonly from: string
}
export type Skipped = {
  readonly table: string
  readonly reason: string
  rows: number
  examples: string[]
}

export type ImportItems = {
  /** Which tables the permissions came from. */
  readonly mode: 'roles' | 'legacy'
  readonly version: string | null
  readonly users: ImportUser[]
  readonly groups: ImportGroup[]
  readonly grants: ImportGrant[]
  readonly skipped: Skipped[]
  readonly notes: string[]
}

export type MapOptions = {
  /** MLflow's default_permission (basic_auth.ini), granted to `authenticated` when given. */
  readonly defaultPermission?: PermissionColumn
}

const NAME = /^[^\s:]{1,255}$/
const SYNTHETIC = /^__user_(\d+)__$/
const DEFAULT_WORKSPACE = 'default'

export function mapMlflowAuth(data: MlflowAuthData, options: MapOptions = {}): ImportItems {
  const skipped = new Map<string, Skipped>()
  const setAside = (table: string, reason: string, example: string, rows = 1) => {
    const key = `${table}\u0000${reason}`
    const s = skipped.get(key) ?? { table, reason, rows: 0, examples: [] }
    s.rows += rows
    if (s.examples.length < 3) s.examples.push(example)
    skipped.set(key, s)
  }
  const users = mapUsers(data, setAside)
  const nameOf = new Map(users.map((u) => [u.id, u.user.name]))
  const grants = new Map<string, ImportGrant>()
  const grant = (to: string, m: Mapped, from: string) => {
    const key = [to.toLowerCase(), m.resource, m.pattern, m.deny].join('\u0000')
    const have = grants.get(key)
    // Several rows for one principal and resource: MLflow takes the highest (max_permission).
    if (!have || RANK[m.permission] > RANK[have.permission]) grants.set(key, { to, ...m, from })
  }
  const groups: ImportGroup[] = []
  const notes: string[] = []

  if (data.roles) mapRoles(data.roles, nameOf, { setAside, grant, groups, notes })
  else for (const row of data.legacy) mapLegacyRow(row, nameOf, setAside, grant)

  for (const [table, rows] of Object.entries(data.counted)) {
    if (rows === 0) continue
    const superseded = data.roles && !table.startsWith('scorer') && !table.startsWith('gateway')
    setAside(
      table,
      superseded
        ? 'classic table kept by MLflow as a snapshot; MLflow 3.x reads role_permissions, where migration e5f6a7b8c9d0 copied these rows'
        : `${table.replace(/_permissions$/, '')} permissions have no counterpart in the gateway`,
      `${rows} rows`,
      rows,
    )
  }
  if (options.defaultPermission) {
    for (const resource of ['experiment', 'registered-model'] as const)
      grant(
        'authenticated',
        { resource, pattern: '*', permission: options.defaultPermission, deny: false },
        '--default-permission',
      )
  } else
    notes.push(
      "MLflow's default_permission (basic_auth.ini; READ unless changed) lets every signed-in user use what they hold no grant on. It is not in the database: pass --default-permission READ to grant it to 'authenticated', or add such a grant to the config.",
    )
  notes.push(
    'MLflow without workspaces lets every signed-in user create experiments and registered models; the gateway needs a create right for that (access.create in the config).',
  )
  return {
    mode: data.roles ? 'roles' : 'legacy',
    version: data.version,
    users: users.map((u) => u.user),
    groups,
    grants: [...grants.values()],
    skipped: [...skipped.values()],
    notes,
  }
}

type Skip = (table: string, reason: string, example: string, rows?: number) => void
type Grant = (to: string, m: Mapped, from: string) => void

function mapUsers(data: MlflowAuthData, setAside: Skip): { id: number; user: ImportUser }[] {
  const out: { id: number; user: ImportUser }[] = []
  const taken = new Map<string, string>()
  for (const u of data.users) {
    if (!NAME.test(u.username)) {
      setAside(
        'users',
        'user names must be 1 to 255 characters without spaces or colons',
        `'${u.username}'`,
      )
      continue
    }
    const clash = taken.get(u.username.toLowerCase())
    if (clash) {
      setAside(
        'users',
        'differs only in case from another user (gateway user names ignore case)',
        `'${u.username}' (and '${clash}')`,
      )
      continue
    }
    taken.set(u.username.toLowerCase(), u.username)
    const usable = u.passwordHash !== null && hashFormatProblem(u.passwordHash) === undefined
    out.push({
      id: u.id,
      user: {
        name: u.username,
        passwordHash: usable ? u.passwordHash : null,
        admin: u.isAdmin,
        hash:
          u.passwordHash === null
            ? 'none'
            : !usable
              ? 'unusable'
              : u.passwordHash.startsWith('scrypt:')
                ? 'scrypt'
                : 'pbkdf2',
      },
    })
  }
  return out
}

function mapRoles(
  data: NonNullable<MlflowAuthData['roles']>,
  nameOf: ReadonlyMap<number, string>,
  out: { setAside: Skip; grant: Grant; groups: ImportGroup[]; notes: string[] },
): void {
  const { setAside, grant } = out
  const roles = new Map(data.roles.map((r) => [r.id, r]))
  const members = new Map<number, string[]>()
  for (const a of data.assignments) {
    const role = roles.get(a.roleId)
    const user = nameOf.get(a.userId)
    if (!role)
      setAside('user_role_assignments', 'names a role that does not exist', `user ${a.userId}`)
    else if (role.workspace !== DEFAULT_WORKSPACE)
      setAside(
        'user_role_assignments',
        `role in workspace '${role.workspace}' (the gateway has no workspaces)`,
        role.name,
      )
    else if (!user)
      setAside('user_role_assignments', 'for a user who was not imported', `user id ${a.userId}`)
    else members.set(role.id, [...(members.get(role.id) ?? []), user])
  }
  const principals = new Map<number, string[]>()
  for (const role of data.roles) {
    if (role.workspace !== DEFAULT_WORKSPACE) continue
    if (SYNTHETIC.test(role.name)) {
      principals.set(
        role.id,
        (members.get(role.id) ?? []).map((n) => `user:${n}`),
      )
      continue
    }
    const name = groupName(role)
    if (name !== role.name)
      out.notes.push(
        `MLflow role '${role.name}' becomes group '${name}' (group names have no spaces or colons).`,
      )
    out.groups.push({ name, role: role.name, members: members.get(role.id) ?? [] })
    principals.set(role.id, [`group:${name}`])
  }
  for (const p of data.permissions) {
    const role = roles.get(p.roleId)
    const example = `${p.resourceType} '${p.pattern}' ${p.permission}`
    if (!role) {
      setAside('role_permissions', 'belongs to a role that does not exist', example)
      continue
    }
    if (role.workspace !== DEFAULT_WORKSPACE) {
      setAside(
        'role_permissions',
        `role in workspace '${role.workspace}' (the gateway has no workspaces)`,
        `${role.name}: ${example}`,
      )
      continue
    }
    const to = principals.get(role.id) ?? []
    if (to.length === 0) {
      setAside(
        'role_permissions',
        'per-user role of a user who was not imported',
        `${role.name}: ${example}`,
      )
      continue
    }
    const mapped = mapPermission(p.resourceType, p.pattern, p.permission)
    if (typeof mapped === 'string') {
      setAside('role_permissions', mapped, `${role.name}: ${example}`)
      continue
    }
    for (const t of to)
      for (const m of mapped) grant(t, m, `role_permissions ${p.id} (role ${role.name})`)
  }
}

function mapLegacyRow(
  row: MlflowLegacyRow,
  nameOf: ReadonlyMap<number, string>,
  setAside: Skip,
  grant: Grant,
): void {
  const example = `${row.key} ${row.permission}`
  const user = nameOf.get(row.userId)
  if (!user)
    return setAside(
      row.table,
      'for a user who was not imported',
      `user id ${row.userId}: ${example}`,
    )
  if (row.workspace !== DEFAULT_WORKSPACE)
    return setAside(
      row.table,
      `in workspace '${row.workspace}' (the gateway has no workspaces)`,
      example,
    )
  const type =
    { experiment_permissions: 'experiment', registered_model_permissions: 'registered_model' }[
      row.table
    ] ?? 'workspace'
  const mapped = mapPermission(type, type === 'workspace' ? '*' : row.key, row.permission, true)
  if (typeof mapped === 'string') return setAside(row.table, mapped, `${user}: ${example}`)
  for (const m of mapped)
    grant(`user:${user}`, m, `${row.table}${row.id === null ? '' : ` ${row.id}`}`)
}

function groupName(role: MlflowRole): string {
  const name = role.name.replace(/[\s:]+/g, '-').slice(0, 255)
  return name === '' ? `mlflow-role-${role.id}` : name
}
