/** The access store: every change in one transaction that also moves the revision, and listeners told after commit. */
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../database.js'
import type { Store } from '../open.js'
import { bumpRevision, readRevision } from './revision.js'
import { readSnapshot, type AccessSnapshot } from './snapshot.js'

export type AccessStore = {
  readonly db: Kysely<Database>
  /**
   * Runs `fn` in one transaction (all of it or none of it is stored), increments the access
   * revision in the same transaction, and after commit tells the listeners.
   */
  change<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>
  snapshot(): Promise<AccessSnapshot>
  revision(): Promise<number>
  /** Called after every committed change made through this process; returns an unsubscribe. */
  onChange(listener: () => void): () => void
}

export function accessStore(store: Store): AccessStore {
  const listeners = new Set<() => void>()
  return {
    db: store.db,
    async change(fn) {
      const result = await store.db.transaction().execute(async (trx) => {
        const value = await fn(trx)
        await bumpRevision(trx)
        return value
      })
      for (const l of listeners) l()
      return result
    },
    snapshot: () => readSnapshot(store.db, store.kind === 'postgres'),
    revision: () => readRevision(store.db),
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
