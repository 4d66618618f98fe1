/** Migration 0002: who created which experiment or registered model through the gateway. */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('resource_owners')
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('resource_key', 'varchar(512)', (c) => c.notNull())
    .addColumn('owner', 'varchar(255)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('resource_owners_pk', ['kind', 'resource_key'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('resource_owners').execute()
}
