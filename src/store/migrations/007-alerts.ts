// Alerts (issue 16): which stories fired which rule (one row per rule and story, so each fires once), every item of
// those stories (so a later article of the same story, and the next digest, know it alerted), and the alert
// messages (one per rule, topic and coalescing window; their deliveries are ordinary outbox rows).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Adaptive polling says why each feed has its interval (feeds list, /feeds).
  await db.schema.alterTable('feeds').addColumn('interval_why', 'text').execute();
  await db.schema
    .createTable('alert_fired')
    .addColumn('alert_id', 'text', (c) => c.notNull())
    /** The story's earliest item id when it fired. */
    .addColumn('story_key', 'text', (c) => c.notNull())
    .addColumn('topic_id', 'text', (c) => c.notNull())
    /** The article whose arrival fired it. */
    .addColumn('item_id', 'text', (c) => c.notNull())
    /** JSON AlertReason. */
    .addColumn('reason', 'text', (c) => c.notNull())
    /** JSON DigestStory as it stood when it fired (what the message shows). */
    .addColumn('story', 'text', (c) => c.notNull())
    .addColumn('fired_at', 'text', (c) => c.notNull())
    /** Earliest time the message carrying it may leave (coalescing window, quiet hours). */
    .addColumn('due_at', 'text', (c) => c.notNull())
    /** The message that carries it; null until one claims it. */
    .addColumn('message', 'text')
    .addPrimaryKeyConstraint('alert_fired_pk', ['alert_id', 'story_key'])
    .execute();
  await db.schema.createIndex('alert_fired_open').on('alert_fired').columns(['alert_id', 'topic_id', 'message']).execute();
  await db.schema
    .createTable('alert_items')
    .addColumn('alert_id', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('story_key', 'text', (c) => c.notNull())
    .addColumn('fired_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_items_pk', ['alert_id', 'item_id'])
    .execute();
  await db.schema.createIndex('alert_items_item').on('alert_items').column('item_id').execute();
  await db.schema
    .createTable('alert_messages')
    .addColumn('alert_id', 'text', (c) => c.notNull())
    /** "<topic>.<due time>": the outbox period of its deliveries. */
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('topic_id', 'text', (c) => c.notNull())
    .addColumn('built_at', 'text', (c) => c.notNull())
    /** JSON Digest of the message; '' between the claim and the build. */
    .addColumn('content', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_messages_pk', ['alert_id', 'message'])
    .execute();
  // WebSub (push): one subscription per feed whose feed advertises a hub (src/websub/).
  await db.schema
    .createTable('websub_subscriptions')
    .addColumn('feed_id', 'text', (c) => c.primaryKey())
    .addColumn('hub', 'text', (c) => c.notNull())
    /** The topic URL (the feed's rel=self, else its URL). */
    .addColumn('topic', 'text', (c) => c.notNull())
    /** hub.secret: the HMAC key every delivery must be signed with. */
    .addColumn('secret', 'text', (c) => c.notNull())
    /** requested | active | failed | unsubscribed */
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('lease_s', 'integer')
    .addColumn('expires_at', 'text')
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('verified_at', 'text')
    .addColumn('last_push_at', 'text')
    .addColumn('pushes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alert_messages_topic').on('alert_messages').columns(['alert_id', 'topic_id', 'built_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('feeds').dropColumn('interval_why').execute();
  for (const t of ['alert_fired', 'alert_items', 'alert_messages', 'websub_subscriptions']) await db.schema.dropTable(t).ifExists().execute();
}
