// Item rows: every discovered item is recorded here before its job is enqueued, so Redis can be lost without
// losing work (the reconciler re-enqueues what is stuck). Same item from two feeds or two polls: one row.
import type { Kysely, Transaction } from 'kysely';
import type { FeedItem } from '../model.js';
import type { Database, ItemsTable } from './schema.js';
import { noNul } from './text.js';

export type ItemRow = ItemsTable;
export type ItemState = 'discovered' | 'stored' | 'failed';

export interface NewItem {
  id: string;
  canonicalUrl?: string;
  guidKey?: string;
  contentHash: string;
  item: FeedItem;
}

export interface RecordResult {
  /** Ids seen for the first time: enqueue them. */
  created: string[];
  /** Known ids whose content hash changed: re-process them (edited, not new). */
  edited: string[];
}

/**
 * Record items of one poll, in one transaction with a handful of statements whatever the item count.
 * Idempotent: re-polling the same feed 10× creates nothing new (Q7); an item whose content hash, as given by this
 * same feed, changed after it was stored goes back to `discovered` (edited, not new). Another feed carrying the
 * same URL with a different summary adds a source, not an edit (C4).
 */
export async function recordItems(db: Kysely<Database>, feedId: string, items: NewItem[], now: string): Promise<RecordResult> {
  if (!items.length) return { created: [], edited: [] };
  return db.transaction().execute((tx) => recordItemsIn(tx, feedId, items, now));
}

/**
 * recordItems inside the caller's transaction `tx`: the poll path writes a poll's items and the feed's poll state in
 * one commit (a SQLite commit writes every page it dirtied to the WAL: one commit a poll instead of two).
 */
export async function recordItemsIn(tx: Transaction<Database>, feedId: string, items: NewItem[], now: string): Promise<RecordResult> {
  const unique = [...new Map(items.map((it) => [it.id, it])).values()];
  if (!unique.length) return { created: [], edited: [] };
  const created: string[] = [];
  const edited: string[] = [];
  for (let i = 0; i < unique.length; i += 500) {
    const batch = unique.slice(i, i + 500);
    const known = new Map(
      (await tx.selectFrom('items').select(['id', 'content_hash', 'state', 'feed_id']).where('id', 'in', batch.map((b) => b.id)).execute()).map((r) => [r.id, r]),
    );
    const fresh = batch.filter((it) => !known.has(it.id));
    if (fresh.length) {
      const rows = await tx
        .insertInto('items')
        .values(fresh.map((it) => ({
          id: it.id, canonical_url: noNul(it.canonicalUrl) ?? null, url: noNul(it.item.url) ?? null, feed_id: feedId,
          guid_key: noNul(it.guidKey) ?? null, title: noNul(it.item.title) ?? '', published_at: it.item.published ?? null,
          content_hash: it.contentHash, feed_item: JSON.stringify(it.item), state: 'discovered', state_at: now,
          attempts: 0, error: null, discovered_at: now,
        })))
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .execute();
      created.push(...rows.map((r) => r.id));
    }
    // An edit is a change in what the *same* feed says about the item. Two feeds carrying one URL with
    // different summaries would otherwise each see "its" hash replaced by the other's on every poll and send the
    // item back for a re-fetch each time (C4). Rows from before migration 003 have no per-feed hash: the feed
    // that first recorded the item is compared with the item's own hash, as before.
    const sourceHash = new Map(
      (await tx.selectFrom('item_sources').select(['item_id', 'content_hash']).where('feed_id', '=', feedId)
        .where('item_id', 'in', batch.map((b) => b.id)).execute()).map((r) => [r.item_id, r.content_hash]),
    );
    const recorded = new Map(batch.map((it) => [it.id, it.contentHash]));
    for (const it of batch) {
      const k = known.get(it.id);
      if (!k || k.content_hash === it.contentHash) continue;
      const previous = sourceHash.has(it.id) ? sourceHash.get(it.id) ?? (k.feed_id === feedId ? k.content_hash : null) : null;
      if (previous === null || previous === it.contentHash) continue;
      // Still waiting for its job: keep this feed's previous hash, so the edit is seen once the item is stored.
      if (k.state === 'discovered') {
        recorded.set(it.id, previous);
        continue;
      }
      await tx
        .updateTable('items')
        .set({ content_hash: it.contentHash, feed_item: JSON.stringify(it.item), title: noNul(it.item.title) ?? '', state: 'discovered', state_at: now, error: null })
        .where('id', '=', it.id)
        .execute();
      edited.push(it.id);
    }
    await tx
      .insertInto('item_sources')
      .values(batch.map((it) => ({ item_id: it.id, feed_id: feedId, first_seen_at: now, content_hash: recorded.get(it.id) ?? it.contentHash })))
      .onConflict((oc) => oc.columns(['item_id', 'feed_id']).doUpdateSet((eb) => ({ content_hash: eb.ref('excluded.content_hash') })))
      .execute();
  }
  return { created, edited };
}

export async function getItem(db: Kysely<Database>, id: string): Promise<ItemRow | undefined> {
  return db.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Which of these items are in `state` (500 ids per query). */
export async function itemsInState(db: Kysely<Database>, ids: string[], state: ItemState): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.selectFrom('items').select('id').where('state', '=', state).where('id', 'in', ids.slice(i, i + 500)).execute();
    for (const r of rows) out.add(r.id);
  }
  return out;
}

export async function markItem(db: Kysely<Database>, id: string, state: ItemState, now: string, error?: string): Promise<void> {
  await db.updateTable('items').set({ state, state_at: now, error: error ?? null }).where('id', '=', id).execute();
}

/** Count one article attempt that ended without storing the item (its state, and state_at, are left alone). */
export async function bumpAttempts(db: Kysely<Database>, id: string): Promise<void> {
  await db.updateTable('items').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('id', '=', id).execute();
}

/** Items left in `discovered` since before `olderThan`: their job was lost, stalled or removed. */
export async function stuckItems(db: Kysely<Database>, olderThan: string, limit: number): Promise<ItemRow[]> {
  return db
    .selectFrom('items')
    .selectAll()
    .where('state', '=', 'discovered')
    .where('state_at', '<', olderThan)
    .orderBy('state_at')
    .limit(limit)
    .execute();
}

/**
 * Items of these feeds still waiting for their article job (`discovered`), oldest first; with `before`, only those
 * that went `discovered` before that instant (ISO): what an earlier process left, not what this one just recorded.
 */
export async function discoveredItems(db: Kysely<Database>, feedIds: string[], limit: number, before?: string): Promise<ItemRow[]> {
  if (!feedIds.length) return [];
  let q = db.selectFrom('items').selectAll().where('state', '=', 'discovered').where('feed_id', 'in', feedIds);
  if (before) q = q.where('state_at', '<', before);
  return q.orderBy('state_at').limit(limit).execute();
}

export async function countItemsByState(db: Kysely<Database>): Promise<Record<string, number>> {
  const rows = await db.selectFrom('items').select(['state', db.fn.countAll().as('n')]).groupBy('state').execute();
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}
