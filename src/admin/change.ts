/** Writes through the access store and waits until the running policy has reloaded, so a change is in force when its answer goes out. */
import type { Transaction } from 'kysely'
import { GatewayError } from '../server/errors.js'
import type { Database, Origin } from '../storage/database.js'
import type { AdminDeps, Caller } from './route.js'

/**
 * One transaction (storage/access/index.ts `change`), then a reload of the policy decisions read:
 * a disabled user's next request, even one already on its way, is refused.
 */
export async function change<T>(
  deps: AdminDeps,
  fn: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  const result = await deps.access.change(fn)
  await deps.policy.refresh()
  return result
}

/**
 * Objects the config file declares are re-applied from it at every start
 * (storage/access/plan.ts), so changing them here would silently come undone: refuse, and say
 * where to change them. See docs/decisions/0010-admin-api.md.
 */
export function notConfigOwned(origin: Origin | undefined, what: string, where: string): void {
  if (origin === 'config')
    throw new GatewayError(
      'GW_CONFLICT',
      `${what} is managed by the config file (${where}); change it there`,
    )
}

/** An admin cannot lock themselves out; another admin can do it (so one admin always remains). */
export function notSelf(caller: Caller, name: string, what: string): void {
  if (caller.name.toLowerCase() === name.toLowerCase())
    throw new GatewayError('GW_CONFLICT', `you cannot ${what} yourself; another admin can`)
}

export function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new GatewayError('GW_NOT_FOUND', `no ${what}`)
  return value
}
