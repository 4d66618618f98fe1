/** The permission ladder READ < USE < EDIT < MANAGE and what each catalogue action requires. */
import type { Action } from '../classify/row.js'

export type Permission = 'READ' | 'USE' | 'EDIT' | 'MANAGE'

const RANK: Record<Permission, number> = { READ: 1, USE: 2, EDIT: 3, MANAGE: 4 }

export const rank = (p: Permission): number => RANK[p]

/** True when holding `held` satisfies `needed` (each level includes those below it). */
export const satisfies = (held: Permission, needed: Permission): boolean =>
  RANK[held] >= RANK[needed]

/**
 * The permission a resource action needs; other actions are decided without grants. Deleting
 * needs MANAGE, as in MLflow's own model (mlflow/server/auth/permissions.py: only MANAGE has
 * `can_delete`), so permissions imported from MLflow's auth mean the same here.
 */
export const REQUIRED: Partial<Record<Action, Permission>> = {
  read: 'READ',
  use: 'USE',
  update: 'EDIT',
  delete: 'MANAGE',
  manage: 'MANAGE',
}
