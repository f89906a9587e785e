import type { Kysely } from 'kysely';

/**
 * Patients' ID and phone numbers are sealed at rest (PIPL: ID numbers are
 * sensitive personal information). The sealed value cannot be searched, so
 * the rows that are found by ID number carry a keyed hash of it. Sealing
 * needs the master key, which a schema step does not hold: the rows written
 * before this step are sealed by the platform at start (privacy/seal-existing.ts),
 * once, which `data_passes` records.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('id_no_hash', 'text').execute();
  await db.schema.createIndex('accounts_id_hash').on('accounts').columns(['appid', 'id_no_hash']).execute();
  await db.schema.alterTable('notify_messages').addColumn('id_no_hash', 'text').execute();
  // The old index searched the clear number, which is no longer stored.
  await db.schema.dropIndex('notify_messages_patient').execute();
  await db.schema
    .createIndex('notify_messages_patient')
    .on('notify_messages')
    .columns(['appid', 'id_no_hash', 'created_at'])
    .execute();
  await db.schema
    .createTable('data_passes')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('done_at', 'bigint', (c) => c.notNull())
    .execute();
}
