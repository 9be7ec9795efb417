// Item rows: every discovered item is recorded here before its job is enqueued, so Redis can be lost without
// losing work (the reconciler re-enqueues what is stuck). Same item from two feeds or two polls: one row.
import type { Kysely, Transaction } from 'kysely';
import type { FeedItem } from '../model.js';
import type { Database, ItemsTable } from './schema.js';
import { noNul } from './text.js';
import { sqliteTransaction, type SyncTx } from './sqlite-sync.js';

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
 * same URL with a different summary adds a source, not an edit (C4). On SQLite it runs as one synchronous
 * transaction of prepared statements (store/sqlite-sync: why).
 */
export async function recordItems(db: Kysely<Database>, feedId: string, items: NewItem[], now: string): Promise<RecordResult> {
  if (!items.length) return { created: [], edited: [] };
  const sync = sqliteTransaction(db);
  if (sync) return sync((tx) => recordItemsSync(tx, feedId, items, now));
  return db.transaction().execute((tx) => recordItemsIn(tx, feedId, items, now));
}

/** What the store knows of an item already recorded. */
interface Known {
  id: string;
  content_hash: string;
  state: string;
  feed_id: string;
}

/** Each id once (the last one wins). */
function uniqueItems(items: NewItem[]): NewItem[] {
  return [...new Map(items.map((it) => [it.id, it])).values()];
}

/** The items row of a newly discovered item. */
function itemRow(it: NewItem, feedId: string, now: string): ItemsTable {
  return {
    id: it.id, canonical_url: noNul(it.canonicalUrl) ?? null, url: noNul(it.item.url) ?? null, feed_id: feedId,
    guid_key: noNul(it.guidKey) ?? null, title: noNul(it.item.title) ?? '', published_at: it.item.published ?? null,
    content_hash: it.contentHash, feed_item: JSON.stringify(it.item), state: 'discovered', state_at: now,
    attempts: 0, error: null, discovered_at: now,
  };
}

/** An edited item goes back to `discovered` with what the feed says now. */
function editedRow(it: NewItem, now: string) {
  return { content_hash: it.contentHash, feed_item: JSON.stringify(it.item), title: noNul(it.item.title) ?? '', state: 'discovered' as const, state_at: now, error: null };
}

/**
 * Which known items of a batch were edited, and the content hash to record for each (item, feed) source. Pure: both
 * the Kysely and the SQLite path decide with it. `sourceHash` holds this feed's recorded hash of known items (null
 * for rows from before migration 003).
 */
function planEdits(batch: NewItem[], known: Map<string, Known>, sourceHash: Map<string, string | null>, feedId: string): { edits: NewItem[]; recorded: Map<string, string> } {
  const recorded = new Map(batch.map((it) => [it.id, it.contentHash]));
  const edits: NewItem[] = [];
  for (const it of batch) {
    const k = known.get(it.id);
    if (!k || k.content_hash === it.contentHash) continue;
    // An edit is a change in what the *same* feed says about the item. Two feeds carrying one URL with
    // different summaries would otherwise each see "its" hash replaced by the other's on every poll and send the
    // item back for a re-fetch each time (C4). Rows from before migration 003 have no per-feed hash: the feed
    // that first recorded the item is compared with the item's own hash, as before.
    const previous = sourceHash.has(it.id) ? sourceHash.get(it.id) ?? (k.feed_id === feedId ? k.content_hash : null) : null;
    if (previous === null || previous === it.contentHash) continue;
    // Still waiting for its job: keep this feed's previous hash, so the edit is seen once the item is stored.
    if (k.state === 'discovered') {
      recorded.set(it.id, previous);
      continue;
    }
    edits.push(it);
  }
  return { edits, recorded };
}

/**
 * recordItems inside the caller's Kysely transaction `tx`: the poll path writes a poll's items and the feed's poll
 * state in one commit (a SQLite commit writes every page it dirtied to the WAL: one commit a poll instead of two).
 */
export async function recordItemsIn(tx: Transaction<Database>, feedId: string, items: NewItem[], now: string): Promise<RecordResult> {
  const unique = uniqueItems(items);
  if (!unique.length) return { created: [], edited: [] };
  const created: string[] = [];
  const edited: string[] = [];
  for (let i = 0; i < unique.length; i += 500) {
    const batch = unique.slice(i, i + 500);
    const ids = batch.map((b) => b.id);
    const known = new Map(
      (await tx.selectFrom('items').select(['id', 'content_hash', 'state', 'feed_id']).where('id', 'in', ids).execute()).map((r) => [r.id, r]),
    );
    const fresh = batch.filter((it) => !known.has(it.id));
    if (fresh.length) {
      const rows = await tx
        .insertInto('items')
        .values(fresh.map((it) => itemRow(it, feedId, now)))
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .execute();
      created.push(...rows.map((r) => r.id));
    }
    const sourceHash = new Map(
      (await tx.selectFrom('item_sources').select(['item_id', 'content_hash']).where('feed_id', '=', feedId)
        .where('item_id', 'in', ids).execute()).map((r) => [r.item_id, r.content_hash]),
    );
    const { edits, recorded } = planEdits(batch, known, sourceHash, feedId);
    for (const it of edits) {
      await tx.updateTable('items').set(editedRow(it, now)).where('id', '=', it.id).execute();
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

const ITEM_COLUMNS = Object.keys(itemRow({ id: '', contentHash: '', item: { title: '' } }, '', '')) as (keyof ItemsTable)[];
const SQL = {
  known: 'SELECT id, content_hash, state, feed_id FROM items WHERE id = ?',
  sourceHash: 'SELECT content_hash FROM item_sources WHERE item_id = ? AND feed_id = ?',
  insert: `INSERT INTO items (${ITEM_COLUMNS.join(', ')}) VALUES (${ITEM_COLUMNS.map((c) => `@${c}`).join(', ')}) ON CONFLICT (id) DO NOTHING`,
  edit: 'UPDATE items SET content_hash = @content_hash, feed_item = @feed_item, title = @title, state = @state, state_at = @state_at, error = @error WHERE id = @id',
  source: 'INSERT INTO item_sources (item_id, feed_id, first_seen_at, content_hash) VALUES (?, ?, ?, ?) ON CONFLICT (item_id, feed_id) DO UPDATE SET content_hash = excluded.content_hash',
};

/** recordItems as single-row prepared statements inside a synchronous SQLite transaction (store/sqlite-sync). */
export function recordItemsSync(tx: SyncTx, feedId: string, items: NewItem[], now: string): RecordResult {
  const unique = uniqueItems(items);
  const known = new Map<string, Known>();
  const sourceHash = new Map<string, string | null>();
  for (const it of unique) {
    const k = tx.get<Known>(SQL.known, [it.id]);
    if (!k) continue;
    known.set(it.id, k);
    const source = tx.get<{ content_hash: string | null }>(SQL.sourceHash, [it.id, feedId]);
    if (source) sourceHash.set(it.id, source.content_hash);
  }
  const created: string[] = [];
  for (const it of unique) {
    if (!known.has(it.id) && tx.run(SQL.insert, itemRow(it, feedId, now) as unknown as Record<string, unknown>) > 0) created.push(it.id);
  }
  const { edits, recorded } = planEdits(unique, known, sourceHash, feedId);
  for (const it of edits) tx.run(SQL.edit, { ...editedRow(it, now), id: it.id });
  for (const it of unique) tx.run(SQL.source, [it.id, feedId, now, recorded.get(it.id) ?? it.contentHash]);
  return { created, edited: edits.map((it) => it.id) };
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
