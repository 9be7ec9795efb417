// The initial schema. Natural unique keys everywhere so every write can be an idempotent upsert.
// Portable across SQLite and PostgreSQL: text timestamps (ISO-8601 UTC), text JSON, integer counters.
import type { Kysely } from 'kysely';

/** One helper per table (with its indexes), run in the order first shipped: the schema is unchanged. */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const create of [createFeeds, createItems, createItemSources, createArticles, createMatches, createDigests, createOutbox, createMeta]) await create(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['meta', 'outbox', 'digests', 'matches', 'articles', 'item_sources', 'items', 'feeds']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}

async function createFeeds(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('feeds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('lang', 'text')
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('last_poll_at', 'text')
    .addColumn('last_success_at', 'text')
    .addColumn('last_unconditional_at', 'text')
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_poll_at', 'text')
    .addColumn('interval_s', 'integer')
    .addColumn('polls', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('not_modified', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('recent_item_dates', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

async function createItems(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('canonical_url', 'text')
    .addColumn('url', 'text')
    .addColumn('feed_id', 'text', (c) => c.notNull())
    .addColumn('guid_key', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('feed_item', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('state_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('discovered_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('items_state_at').on('items').columns(['state', 'state_at']).execute();
}

async function createItemSources(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('item_sources')
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('feed_id', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('item_sources_pk', ['item_id', 'feed_id'])
    .execute();
}

async function createArticles(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('articles')
    .addColumn('item_id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('canonical_url', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('byline', 'text')
    .addColumn('published_at', 'text')
    .addColumn('lang', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('html', 'text')
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('site_name', 'text')
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('stored_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('articles_stored_at').on('articles').column('stored_at').execute();
}

async function createMatches(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('matches')
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('topic_id', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('threshold', 'double precision', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('matched_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('matches_pk', ['item_id', 'topic_id'])
    .execute();
  await db.schema.createIndex('matches_topic').on('matches').columns(['topic_id', 'matched_at']).execute();
}

async function createDigests(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('digests')
    .addColumn('digest_id', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('built_at', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('digests_pk', ['digest_id', 'period'])
    .execute();
}

async function createOutbox(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('outbox')
    .addColumn('digest_id', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('receipt', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('outbox_pk', ['digest_id', 'period', 'channel'])
    .execute();
}

async function createMeta(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}
