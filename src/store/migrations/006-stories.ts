// Stories across days (issue 17): a persistent story per topic that digests of later days continue, and the
// articles each digest day linked to it. `stories.last_day` bounds which stories a new digest may continue
// (store/stories.ts); `story_articles` is keyed by (story, item), so linking the same digest twice adds nothing.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('stories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('topic_id', 'text', (c) => c.notNull())
    .addColumn('headline', 'text', (c) => c.notNull())
    .addColumn('first_day', 'text', (c) => c.notNull())
    .addColumn('last_day', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stories_topic_last').on('stories').columns(['topic_id', 'last_day']).execute();
  await db.schema
    .createTable('story_articles')
    .addColumn('story_id', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('topic_id', 'text', (c) => c.notNull())
    /** The digest period ("YYYY-MM-DD") that carried the article. */
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('digest_id', 'text', (c) => c.notNull())
    /** The article's own date when plausible, else when it was stored (ISO). */
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('story_articles_pk', ['story_id', 'item_id'])
    .execute();
  await db.schema.createIndex('story_articles_item').on('story_articles').columns(['item_id', 'topic_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('story_articles').ifExists().execute();
  await db.schema.dropTable('stories').ifExists().execute();
}
