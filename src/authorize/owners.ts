/** Owners: who created which experiment or registered model, kept in storage and mirrored in memory for decide(). */
import type { OwnedKind } from '../storage/database.js'
import type { Store } from '../storage/open.js'

export type Owners = {
  /** The lower-cased name of the user who created it, if it was created through the gateway. */
  ownerOf(kind: OwnedKind, key: string): string | undefined
  /** The keys of everything of this kind the user (lower-cased name) created through the gateway. */
  ownedBy(kind: OwnedKind, owner: string): string[]
  /** Records a creation after MLflow confirmed it; the store is written before memory. */
  record(kind: OwnedKind, key: string, owner: string): Promise<void>
  /**
   * Forgets everything a user owns, when the user is deleted: a user created later under the same
   * name must not inherit it (MLflow deletes a deleted user's grants, creator's MANAGE included:
   * mlflow/server/auth/sqlalchemy_store.py delete_user).
   */
  forget(owner: string): Promise<void>
}

export const NO_OWNERS: Owners = {
  ownerOf: () => undefined,
  ownedBy: () => [],
  record: async () => undefined,
  forget: async () => undefined,
}

export async function loadOwners(store: Store): Promise<Owners> {
  const memory = new Map<string, string>()
  const k = (kind: OwnedKind, key: string) => `${kind}\u0000${key}`
  for (const row of await store.db.selectFrom('resource_owners').selectAll().execute()) {
    memory.set(k(row.kind, row.resource_key), row.owner)
  }
  return {
    ownerOf: (kind, key) => memory.get(k(kind, key)),
    ownedBy(kind, owner) {
      const prefix = k(kind, '')
      const keys: string[] = []
      for (const [key, who] of memory)
        if (who === owner && key.startsWith(prefix)) keys.push(key.slice(prefix.length))
      return keys
    },
    async record(kind, key, owner) {
      const lower = owner.toLowerCase()
      // A name reused after a registered model was deleted belongs to its new creator.
      await store.db
        .insertInto('resource_owners')
        .values({ kind, resource_key: key, owner: lower, created_at: new Date().toISOString() })
        .onConflict((oc) => oc.columns(['kind', 'resource_key']).doUpdateSet({ owner: lower }))
        .execute()
      memory.set(k(kind, key), lower)
    },
    async forget(owner) {
      const lower = owner.toLowerCase()
      await store.db.deleteFrom('resource_owners').where('owner', '=', lower).execute()
      for (const [key, who] of memory) if (who === lower) memory.delete(key)
    },
  }
}
