// Possible matches (the second-opinion model's flags) — stored apart from `matches`, read for the digest's
// "Possibly relevant" section. An article's possible matches are replaced whole, in the article's transaction.
import type { Kysely } from 'kysely';
import type { PossibleEntry, PossibleMatch } from '../model.js';
import type { Database } from './schema.js';
import { articleRef } from './text.js';

/** Replace an item's possible matches with `possible` (an empty list clears them). */
export async function writePossible(tx: Kysely<Database>, itemId: string, possible: readonly PossibleMatch[], now: string): Promise<void> {
  const keep = possible.map((m) => m.topicId);
  let del = tx.deleteFrom('possible_matches').where('item_id', '=', itemId);
  if (keep.length) del = del.where('topic_id', 'not in', keep);
  await del.execute();
  for (const m of possible) {
    const row = { score: m.score, reasons: JSON.stringify(m.reasons) };
    await tx
      .insertInto('possible_matches')
      .values({ item_id: itemId, topic_id: m.topicId, flagged_at: now, ...row })
      .onConflict((oc) => oc.columns(['item_id', 'topic_id']).doUpdateSet(row))
      .execute();
  }
}

/** Replace an item's possible matches in their own transaction (`topics backtest --apply`). */
export async function replacePossible(db: Kysely<Database>, itemId: string, possible: readonly PossibleMatch[], now: string): Promise<void> {
  await db.transaction().execute((tx) => writePossible(tx, itemId, possible, now));
}

export async function possibleFor(db: Kysely<Database>, itemId: string): Promise<PossibleMatch[]> {
  const rows = await db.selectFrom('possible_matches').selectAll().where('item_id', '=', itemId).orderBy('topic_id').execute();
  return rows.map((r) => ({ topicId: r.topic_id, score: Number(r.score), reasons: JSON.parse(r.reasons) as PossibleMatch['reasons'] }));
}

/**
 * Possible matches of articles stored in [from, to), for the given topics, best first — never one whose article
 * the rules matched for that topic (a rule match always wins, even one written later by `topics backtest --apply`).
 */
export async function possibleForPeriod(db: Kysely<Database>, q: { topicIds: string[]; from: string; to: string }): Promise<PossibleEntry[]> {
  if (!q.topicIds.length) return [];
  const rows = await db
    .selectFrom('possible_matches as p')
    .innerJoin('articles as a', 'a.item_id', 'p.item_id')
    .innerJoin('items as i', 'i.id', 'p.item_id')
    .leftJoin('feeds as f', 'f.id', 'i.feed_id')
    .select(['p.item_id', 'p.topic_id', 'p.score', 'p.reasons', 'a.url', 'a.canonical_url', 'a.title', 'a.site_name', 'a.published_at', 'a.stored_at', 'f.title as feed_title'])
    .where('p.topic_id', 'in', q.topicIds)
    .where('a.stored_at', '>=', q.from)
    .where('a.stored_at', '<', q.to)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('matches as m').select('m.item_id').whereRef('m.item_id', '=', 'p.item_id').whereRef('m.topic_id', '=', 'p.topic_id'))),
    )
    .orderBy('p.score', 'desc')
    .orderBy('a.stored_at', 'desc')
    .orderBy('p.item_id')
    .execute();
  return rows.map((r) => ({
    ...articleRef(r),
    topicId: r.topic_id,
    score: Number(r.score),
    reasons: JSON.parse(r.reasons) as PossibleMatch['reasons'],
  }));
}
