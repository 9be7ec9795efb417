// Possible matches (issue 14, "a second opinion for recall"): topics the rules did not match for an article that the
// statistical model scored high. Kept apart from `matches` so nothing that counts matches ever counts these.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('possible_matches')
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('topic_id', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    /** JSON [{word, weight}]: the words that weighed most. */
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('flagged_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('possible_matches_pk', ['item_id', 'topic_id'])
    .execute();
  await db.schema.createIndex('possible_matches_topic').on('possible_matches').columns(['topic_id', 'flagged_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('possible_matches').ifExists().execute();
}
