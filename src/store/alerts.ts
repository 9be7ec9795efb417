// The alert tables (migration 007): record a fired story once, find whether a story already alerted, claim the
// fired stories a message carries (a conditional UPDATE, like a digest's cut), and the messages themselves.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { AlertFiredTable, AlertMessagesTable } from './alerts-schema.js';

export type AlertFiredRow = AlertFiredTable;
export type AlertMessageRow = AlertMessagesTable;

/** The first of `itemIds` that already belongs to a story that fired `alertId`, with that story's key. */
export async function alertedStory(db: Kysely<Database>, alertId: string, itemIds: string[]): Promise<{ storyKey: string; firedAt: string } | undefined> {
  if (!itemIds.length) return undefined;
  const r = await db.selectFrom('alert_items').select(['story_key', 'fired_at']).where('alert_id', '=', alertId).where('item_id', 'in', itemIds)
    .orderBy('fired_at').orderBy('story_key').limit(1).executeTakeFirst();
  return r ? { storyKey: r.story_key, firedAt: r.fired_at } : undefined;
}

export async function getFired(db: Kysely<Database>, alertId: string, storyKey: string): Promise<AlertFiredRow | undefined> {
  return db.selectFrom('alert_fired').selectAll().where('alert_id', '=', alertId).where('story_key', '=', storyKey).executeTakeFirst();
}

/** Every rule each of `itemIds` alerted for (the digest's "alerted" note): item id → [{alertId, firedAt}]. */
export async function alertsOfItems(db: Kysely<Database>, itemIds: string[]): Promise<Map<string, { alertId: string; firedAt: string }[]>> {
  const out = new Map<string, { alertId: string; firedAt: string }[]>();
  for (let i = 0; i < itemIds.length; i += 500) {
    const rows = await db.selectFrom('alert_items').select(['item_id', 'alert_id', 'fired_at']).where('item_id', 'in', itemIds.slice(i, i + 500)).execute();
    for (const r of rows) out.set(r.item_id, [...(out.get(r.item_id) ?? []), { alertId: r.alert_id, firedAt: r.fired_at }]);
  }
  return out;
}

/** Mark items as part of an alerted story (idempotent). */
export async function addAlertItems(db: Kysely<Database>, alertId: string, storyKey: string, itemIds: string[], firedAt: string): Promise<void> {
  if (!itemIds.length) return;
  await db
    .insertInto('alert_items')
    .values(itemIds.map((item_id) => ({ alert_id: alertId, item_id, story_key: storyKey, fired_at: firedAt })))
    .onConflict((oc) => oc.columns(['alert_id', 'item_id']).doNothing())
    .execute();
}

/** Record that a rule fired for a story. False when that (rule, story) had already fired: nothing changes. */
export async function recordFired(db: Kysely<Database>, row: Omit<AlertFiredRow, 'message'>): Promise<boolean> {
  const r = await db
    .insertInto('alert_fired')
    .values({ ...row, message: null })
    .onConflict((oc) => oc.columns(['alert_id', 'story_key']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Fired stories of a rule and topic no message carries yet, due at or before `dueBy`. */
export async function openFired(db: Kysely<Database>, alertId: string, topicId: string, dueBy: string): Promise<AlertFiredRow[]> {
  return db.selectFrom('alert_fired').selectAll().where('alert_id', '=', alertId).where('topic_id', '=', topicId)
    .where('message', 'is', null).where('due_at', '<=', dueBy).orderBy('fired_at').execute();
}

/** Give the open fired stories due by `dueBy` to `message` (idempotent: a repeat claims the same or nothing more). */
export async function claimFired(db: Kysely<Database>, alertId: string, topicId: string, message: string, dueBy: string): Promise<void> {
  await db.updateTable('alert_fired').set({ message }).where('alert_id', '=', alertId).where('topic_id', '=', topicId)
    .where('message', 'is', null).where('due_at', '<=', dueBy).execute();
}

export async function firedOfMessage(db: Kysely<Database>, alertId: string, message: string): Promise<AlertFiredRow[]> {
  return db.selectFrom('alert_fired').selectAll().where('alert_id', '=', alertId).where('message', '=', message).orderBy('fired_at').orderBy('story_key').execute();
}

export async function getAlertMessage(db: Kysely<Database>, alertId: string, message: string): Promise<AlertMessageRow | undefined> {
  return db.selectFrom('alert_messages').selectAll().where('alert_id', '=', alertId).where('message', '=', message).executeTakeFirst();
}

/** Claim a message (empty content); a racing or repeated claim keeps the first row. */
export async function claimAlertMessage(db: Kysely<Database>, row: Omit<AlertMessageRow, 'content'>): Promise<AlertMessageRow> {
  await db.insertInto('alert_messages').values({ ...row, content: '' }).onConflict((oc) => oc.columns(['alert_id', 'message']).doNothing()).execute();
  return (await getAlertMessage(db, row.alert_id, row.message))!;
}

/** Fill a claimed message once. False when another run filled it first. */
export async function fillAlertMessage(db: Kysely<Database>, alertId: string, message: string, content: string): Promise<boolean> {
  const r = await db.updateTable('alert_messages').set({ content }).where('alert_id', '=', alertId).where('message', '=', message).where('content', '=', '').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A claim that carried nothing (its stories went out with another message) is dropped, so it holds no window. */
export async function dropEmptyAlertMessage(db: Kysely<Database>, alertId: string, message: string): Promise<void> {
  await db.deleteFrom('alert_messages').where('alert_id', '=', alertId).where('message', '=', message).where('content', '=', '').execute();
}

/** When the latest message of a rule and topic other than `except` was built (the coalescing window's start). */
export async function lastMessageAt(db: Kysely<Database>, alertId: string, topicId: string, except?: string): Promise<string | undefined> {
  let q = db.selectFrom('alert_messages').select('built_at').where('alert_id', '=', alertId).where('topic_id', '=', topicId);
  if (except) q = q.where('message', '!=', except);
  const r = await q.orderBy('built_at', 'desc').limit(1).executeTakeFirst();
  return r?.built_at;
}
