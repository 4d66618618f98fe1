/** MLflow's user JSON (mlflow/server/auth/entities.py `User.to_json`) built from the gateway's users and grants. */
import type { Kysely } from 'kysely'
import { GatewayError } from '../server/errors.js'
import type { Database, Origin } from '../storage/database.js'
import { listGrants, type GrantRow } from '../storage/access/grants.js'
import { mlflowPermissionOf } from './grants.js'

export type StoredUser = {
  readonly id: number
  readonly name: string
  readonly admin: boolean
  readonly origin: Origin
}

export const userNotFound = (name: string) =>
  new GatewayError('GW_NOT_FOUND', `User with username=${name} not found`)

export async function findUser(
  db: Kysely<Database>,
  name: string,
): Promise<StoredUser | undefined> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'name', 'admin', 'origin'])
    .where('name_key', '=', name.toLowerCase())
    .executeTakeFirst()
  return row && { id: row.id, name: row.name, admin: row.admin === 1, origin: row.origin }
}

/** The user, or RESOURCE_DOES_NOT_EXIST with MLflow's message (sqlalchemy_store.py `_get_user`). */
export async function requireUser(db: Kysely<Database>, name: string): Promise<StoredUser> {
  const user = await findUser(db, name)
  if (!user) throw userNotFound(name)
  return user
}

/**
 * `{id, username, is_admin}` as MLflow 3.18.0 answers, plus MLflow 2.x's
 * `experiment_permissions` and `registered_model_permissions` (its client's `User.from_json`
 * requires them; 3.x's ignores them): the user's own grants on an experiment id, and on a
 * registered model named exactly (pattern grants have no MLflow equivalent and are left out).
 */
export async function userJson(db: Kysely<Database>, user: StoredUser): Promise<object> {
  const grants = await listGrants(db, { to: `user:${user.name}` })
  const byKey = (resource: GrantRow['resource'], exact: (p: string) => boolean) => {
    const groups = new Map<string, GrantRow[]>()
    for (const g of grants)
      if (g.resource === resource && exact(g.pattern))
        groups.set(g.pattern, [...(groups.get(g.pattern) ?? []), g])
    return [...groups].map(([pattern, rows]) => ({
      pattern,
      permission: mlflowPermissionOf(rows, 'NO_PERMISSIONS'),
    }))
  }
  return {
    id: user.id,
    username: user.name,
    is_admin: user.admin,
    experiment_permissions: byKey('experiment-id', () => true).map((p) => ({
      experiment_id: p.pattern,
      user_id: user.id,
      permission: p.permission,
    })),
    registered_model_permissions: byKey('registered-model', (p) => !/[*?]/.test(p)).map((p) => ({
      name: p.pattern,
      user_id: user.id,
      permission: p.permission,
    })),
  }
}
