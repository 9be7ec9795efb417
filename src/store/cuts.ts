// Digest cuts: which matched article went out in which period of a digest (table digest_items, migration 002).
// Building a digest assigns every match of its topics not yet assigned for that digest definition and stored at or
// before the build (the cut); the primary key (digest_id, item_id, topic_id) makes "exactly one digest" a
// constraint, so racing builders, retries and crashes cannot put a match in two periods or lose it.
import { sql, type Kysely } from 'kysely';
import type { DigestEntry } from '../model.js';
import type { Database } from './schema.js';
import { entryQuery, toEntry } from './articles.js';
import { isSqlite } from './search.js';

export interface CutQuery {
  digestId: string;
  topicIds: string[];
  minScore: number;
  /** Oldest stored time considered (ISO): the digest definition's first period start. */
  from: string;
  /** The cut (ISO): matches of articles stored after it wait for the next period. */
  to: string;
}

/**
 * Matches of the cut's topics at or above its score, of articles stored in [from, to], that no period of the
 * digest carries yet: what the next build assigns, and what `undeliveredEntries` shows before it does.
 */
function unassigned(db: Kysely<Database>, q: CutQuery, offTopicIndex = false) {
  const topic = offTopicIndex ? sql<string>`+m.topic_id` : sql<string>`m.topic_id`;
  return entryQuery(db)
    .where(topic, 'in', q.topicIds)
    .where('m.score', '>=', q.minScore)
    .where('a.stored_at', '>=', q.from)
    .where('a.stored_at', '<=', q.to)
    .where(({ not, exists, selectFrom }) =>
      not(exists(
        selectFrom('digest_items as d').select('d.item_id')
          .whereRef('d.item_id', '=', 'm.item_id').whereRef('d.topic_id', '=', 'm.topic_id').where('d.digest_id', '=', q.digestId),
      )),
    );
}

/** Assign every unassigned match in range to `period`. Returns how many rows this call assigned. */
export async function assignMatches(db: Kysely<Database>, q: CutQuery & { period: string; now: string }): Promise<number> {
  if (!q.topicIds.length) return 0;
  const r = await db
    .insertInto('digest_items')
    .columns(['digest_id', 'item_id', 'topic_id', 'period', 'assigned_at'])
    .expression(
      unassigned(db, q).clearSelect().select([
        sql<string>`cast(${q.digestId} as text)`.as('digest_id'),
        'm.item_id',
        'm.topic_id',
        sql<string>`cast(${q.period} as text)`.as('period'),
        sql<string>`cast(${q.now} as text)`.as('assigned_at'),
      ]),
    )
    .onConflict((oc) => oc.columns(['digest_id', 'item_id', 'topic_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n);
}

/** The entries a period of a digest carries (what assignMatches gave it). */
export async function entriesOfPeriod(db: Kysely<Database>, digestId: string, period: string): Promise<DigestEntry[]> {
  const rows = await entryQuery(db)
    .innerJoin('digest_items as d', (j) => j.onRef('d.item_id', '=', 'm.item_id').onRef('d.topic_id', '=', 'm.topic_id'))
    .where('d.digest_id', '=', digestId)
    .where('d.period', '=', period)
    .orderBy('m.score', 'desc')
    .orderBy('a.stored_at', 'desc')
    .execute();
  return rows.map(toEntry);
}

/** Matches not yet carried by any period of the digest (the next digest's content so far). */
export async function undeliveredEntries(db: Kysely<Database>, q: CutQuery): Promise<DigestEntry[]> {
  if (!q.topicIds.length) return [];
  // SQLite (no statistics) would walk every match of the topics by matches_topic and sort them all (130 ms at
  // 100,000 articles for an empty day); a unary + keeps it off that index, so it walks articles_stored_at from the
  // newest down. PostgreSQL plans this from its statistics.
  const rows = await unassigned(db, q, isSqlite(db)).orderBy('m.score', 'desc').orderBy('a.stored_at', 'desc').execute();
  return rows.map(toEntry);
}

/** Where a digest definition's deliveries begin: the start of its first stored period (undefined before any). */
export async function digestFloor(db: Kysely<Database>, digestId: string): Promise<string | undefined> {
  const r = await db.selectFrom('digests').select((eb) => eb.fn.min('period_start').as('floor')).where('digest_id', '=', digestId).executeTakeFirst();
  return (r?.floor as string | null | undefined) ?? undefined;
}

/** The latest cut of a digest definition before `period` (its build time), if any. */
export async function previousCut(db: Kysely<Database>, digestId: string, beforePeriod?: string): Promise<string | undefined> {
  let q = db.selectFrom('digests').select((eb) => eb.fn.max('built_at').as('cut')).where('digest_id', '=', digestId);
  if (beforePeriod) q = q.where('period', '<', beforePeriod);
  const r = await q.executeTakeFirst();
  return (r?.cut as string | null | undefined) ?? undefined;
}

/** For each item id: the (digest, period) pairs that carried it, for "delivered in …" marks. */
export async function periodsOf(db: Kysely<Database>, itemIds: string[]): Promise<Map<string, { digestId: string; period: string; topicId: string }[]>> {
  const out = new Map<string, { digestId: string; period: string; topicId: string }[]>();
  for (let i = 0; i < itemIds.length; i += 500) {
    const rows = await db.selectFrom('digest_items').select(['item_id', 'digest_id', 'period', 'topic_id']).where('item_id', 'in', itemIds.slice(i, i + 500)).execute();
    for (const r of rows) out.set(r.item_id, [...(out.get(r.item_id) ?? []), { digestId: r.digest_id, period: r.period, topicId: r.topic_id }]);
  }
  return out;
}

/** Matched articles stored in [from, to] for the topics, newest first (the web's "Today so far"). */
export async function matchesStoredBetween(
  db: Kysely<Database>,
  q: { topicIds: string[]; from: string; to: string; minScore?: number; limit?: number },
): Promise<DigestEntry[]> {
  if (!q.topicIds.length) return [];
  // SQLite (no statistics) would walk every match of the topics by matches_topic and sort them all (130 ms at
  // 100,000 articles for an empty day); a unary + keeps it off that index, so it walks articles_stored_at from the
  // newest down and stops at the limit. PostgreSQL plans this from its statistics.
  const topic = isSqlite(db) ? sql<string>`+m.topic_id` : sql<string>`m.topic_id`;
  const rows = await entryQuery(db)
    .where(topic, 'in', q.topicIds)
    .where('m.score', '>=', q.minScore ?? 0)
    .where('a.stored_at', '>=', q.from)
    .where('a.stored_at', '<=', q.to)
    .orderBy('a.stored_at', 'desc')
    .orderBy('m.score', 'desc')
    .limit(q.limit ?? 200)
    .execute();
  return rows.map(toEntry);
}
