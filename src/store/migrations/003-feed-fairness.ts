// Per-feed item versions: the content hash each feed last gave an item, so the same URL carried by two feeds with
// different summaries is one item that neither feed "edits" back and forth (C4: no ping-pong re-fetch).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Nullable: rows from before this migration have no per-feed hash yet; the first poll after fills it in.
  await db.schema.alterTable('item_sources').addColumn('content_hash', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('item_sources').dropColumn('content_hash').execute();
}
