// Per-digest cuts: which matched article went out in which digest. One row per (digest, item, topic), so a match
// is assigned to exactly one period of each digest definition (the README's delivery rule), whatever the run mode.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('digest_items')
    .addColumn('digest_id', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('topic_id', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('assigned_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('digest_items_pk', ['digest_id', 'item_id', 'topic_id'])
    .execute();
  await db.schema.createIndex('digest_items_period').on('digest_items').columns(['digest_id', 'period']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('digest_items').ifExists().execute();
}
