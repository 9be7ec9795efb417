// Articles and their topic matches. An article and its matches are written in one transaction together with the
// item's state, so a crash leaves either all of it or none (D3: a re-run is a no-op upsert).
import type { Kysely, Transaction } from 'kysely';
import { sqliteTransaction, type SyncTx } from './sqlite-sync.js';
import type { Article, DigestEntry, Evidence, PossibleMatch, TopicMatch } from '../model.js';
import { writePossible } from './possible.js';
import type { Database } from './schema.js';
import { articleRef, noNul } from './text.js';

/** An article as stored: the extracted Article (its excerpt is not kept) with its item id and when it was stored. */
export interface StoredArticle extends Omit<Article, 'via' | 'excerpt'> {
  itemId: string;
  /** As written at the time: rows may predate a change to Article['via']. */
  via: string;
  storedAt: string;
}

export async function saveArticle(
  db: Kysely<Database>,
  itemId: string,
  article: Article,
  contentHash: string,
  matches: TopicMatch[],
  now: string,
  /** The second opinion's possible matches: replaces the item's (none given: left as they are). */
  possible?: readonly PossibleMatch[],
): Promise<void> {
  const sync = sqliteTransaction(db);
  if (sync) return sync((tx) => saveArticleSync(tx, itemId, article, contentHash, matches, now, possible));
  await db.transaction().execute((tx) => saveArticleIn(tx, itemId, article, contentHash, matches, now, possible));
}

/** The articles row: pure, shared by both paths. */
function articleRow(a: Article, itemId: string, contentHash: string, now: string) {
  return {
    item_id: itemId, url: a.url, canonical_url: a.canonicalUrl, title: a.title, byline: a.byline ?? null,
    published_at: a.published ?? null, lang: a.lang ?? null, text: a.text, html: a.html ?? null, via: a.via,
    site_name: a.siteName ?? null, content_hash: contentHash, stored_at: now, updated_at: now,
  };
}

/** saveArticle inside the caller's Kysely transaction (PostgreSQL; and the parity test on SQLite). */
export async function saveArticleIn(
  tx: Transaction<Database>, itemId: string, article: Article, contentHash: string, matches: TopicMatch[], now: string,
  possible?: readonly PossibleMatch[],
): Promise<void> {
  const row = articleRow(cleanArticle(article), itemId, contentHash, now);
  // A re-run keeps when the article was first stored.
  const { stored_at: _storedAt, item_id: _itemId, ...update } = row;
  await tx
    .insertInto('articles')
    .values(row)
    .onConflict((oc) => oc.column('item_id').doUpdateSet(update))
    .execute();
  await writeMatches(tx, itemId, matches, now);
  if (possible) await writePossible(tx, itemId, possible, now);
  await tx.updateTable('items').set({ state: 'stored', state_at: now, error: null }).where('id', '=', itemId).execute();
}

const ARTICLE_COLUMNS = Object.keys(articleRow({ url: '', canonicalUrl: '', title: '', text: '', via: 'readability' }, '', '', ''));
const ARTICLE_SQL = {
  upsert: `INSERT INTO articles (${ARTICLE_COLUMNS.join(', ')}) VALUES (${ARTICLE_COLUMNS.map((c) => `@${c}`).join(', ')})
    ON CONFLICT (item_id) DO UPDATE SET ${ARTICLE_COLUMNS.filter((c) => c !== 'item_id' && c !== 'stored_at').map((c) => `${c} = excluded.${c}`).join(', ')}`,
  match: `INSERT INTO matches (item_id, topic_id, matched_at, score, threshold, evidence) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (item_id, topic_id) DO UPDATE SET score = excluded.score, threshold = excluded.threshold, evidence = excluded.evidence`,
  possible: `INSERT INTO possible_matches (item_id, topic_id, flagged_at, score, reasons) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (item_id, topic_id) DO UPDATE SET score = excluded.score, reasons = excluded.reasons`,
  stored: "UPDATE items SET state = 'stored', state_at = ?, error = NULL WHERE id = ?",
};

/** `DELETE FROM <table>` of an item's rows whose topic is not in `keep`. */
function deleteOthers(table: 'matches' | 'possible_matches', keep: readonly string[]): string {
  return `DELETE FROM ${table} WHERE item_id = ?${keep.length ? ` AND topic_id NOT IN (${keep.map(() => '?').join(', ')})` : ''}`;
}

/** saveArticle as prepared statements inside a synchronous SQLite transaction (store/sqlite-sync). */
function saveArticleSync(
  tx: SyncTx, itemId: string, article: Article, contentHash: string, matches: TopicMatch[], now: string,
  possible?: readonly PossibleMatch[],
): void {
  tx.run(ARTICLE_SQL.upsert, articleRow(cleanArticle(article), itemId, contentHash, now));
  const keep = matches.map((m) => m.topicId);
  tx.run(deleteOthers('matches', keep), [itemId, ...keep]);
  for (const m of matches) tx.run(ARTICLE_SQL.match, [itemId, m.topicId, now, m.score, m.threshold, JSON.stringify(m.evidence)]);
  if (possible) {
    const keepPossible = possible.map((m) => m.topicId);
    tx.run(deleteOthers('possible_matches', keepPossible), [itemId, ...keepPossible]);
    for (const m of possible) tx.run(ARTICLE_SQL.possible, [itemId, m.topicId, now, m.score, JSON.stringify(m.reasons)]);
  }
  tx.run(ARTICLE_SQL.stored, [now, itemId]);
}

/** PostgreSQL text cannot hold NUL; hostile pages can. */
function cleanArticle(a: Article): Article {
  return {
    ...a, url: noNul(a.url)!, canonicalUrl: noNul(a.canonicalUrl)!, title: noNul(a.title)!, text: noNul(a.text)!,
    byline: noNul(a.byline), html: noNul(a.html), siteName: noNul(a.siteName), lang: noNul(a.lang), published: noNul(a.published),
  };
}

/** Replace an article's matches (used by saveArticle and by `topics backtest --apply`). */
export async function replaceMatches(db: Kysely<Database>, itemId: string, matches: TopicMatch[], now: string): Promise<void> {
  await db.transaction().execute((tx) => writeMatches(tx, itemId, matches, now));
}

async function writeMatches(tx: Kysely<Database>, itemId: string, matches: TopicMatch[], now: string): Promise<void> {
  const keep = matches.map((m) => m.topicId);
  let del = tx.deleteFrom('matches').where('item_id', '=', itemId);
  if (keep.length) del = del.where('topic_id', 'not in', keep);
  await del.execute();
  for (const m of matches) {
    const row = { score: m.score, threshold: m.threshold, evidence: JSON.stringify(m.evidence) };
    await tx
      .insertInto('matches')
      .values({ item_id: itemId, topic_id: m.topicId, matched_at: now, ...row })
      .onConflict((oc) => oc.columns(['item_id', 'topic_id']).doUpdateSet(row))
      .execute();
  }
}

export async function getArticle(db: Kysely<Database>, itemId: string): Promise<StoredArticle | undefined> {
  const r = await db.selectFrom('articles').selectAll().where('item_id', '=', itemId).executeTakeFirst();
  return r ? toStored(r) : undefined;
}

function toStored(r: Database['articles']): StoredArticle {
  return {
    itemId: r.item_id, url: r.url, canonicalUrl: r.canonical_url, title: r.title, byline: r.byline ?? undefined,
    published: r.published_at ?? undefined, lang: r.lang ?? undefined, text: r.text, html: r.html ?? undefined,
    via: r.via, siteName: r.site_name ?? undefined, storedAt: r.stored_at,
  };
}

/** Stored articles (oldest first) since an ISO time, in pages: for `topics backtest`. */
export async function* iterateArticles(db: Kysely<Database>, since: string, pageSize = 500): AsyncGenerator<StoredArticle> {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('articles')
      .selectAll()
      .where('stored_at', '>=', since)
      .where('item_id', '>', after)
      .orderBy('item_id')
      .limit(pageSize)
      .execute();
    for (const r of rows) yield toStored(r);
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1].item_id;
  }
}

export async function countArticles(db: Kysely<Database>, since: string): Promise<number> {
  const r = await db.selectFrom('articles').select(db.fn.countAll().as('n')).where('stored_at', '>=', since).executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function matchesFor(db: Kysely<Database>, itemId: string): Promise<TopicMatch[]> {
  const rows = await db.selectFrom('matches').selectAll().where('item_id', '=', itemId).orderBy('topic_id').execute();
  return rows.map((r) => ({ topicId: r.topic_id, score: Number(r.score), threshold: Number(r.threshold), evidence: JSON.parse(r.evidence) as Evidence[] }));
}

/**
 * Matched articles for a digest period: stored in [from, to) (by stored time: what wirewatch saw that day),
 * for the given topics, at or above minScore. Source = site name, else the first feed's title, else the host.
 */
export async function entriesForPeriod(
  db: Kysely<Database>,
  q: { topicIds: string[]; from: string; to: string; minScore?: number },
): Promise<DigestEntry[]> {
  if (!q.topicIds.length) return [];
  const rows = await entryQuery(db)
    .where('m.topic_id', 'in', q.topicIds)
    .where('a.stored_at', '>=', q.from)
    .where('a.stored_at', '<', q.to)
    .where('m.score', '>=', q.minScore ?? 0)
    .orderBy('m.score', 'desc')
    .orderBy('a.stored_at', 'desc')
    .execute();
  return rows.map(toEntry);
}

/** Matched articles joined with what a digest shows of them; narrow it with where() and run it. */
export function entryQuery(db: Kysely<Database>) {
  return db
    .selectFrom('matches as m')
    .innerJoin('articles as a', 'a.item_id', 'm.item_id')
    // A left join: retention may have pruned the item row of an old article.
    .leftJoin('items as i', 'i.id', 'm.item_id')
    .leftJoin('feeds as f', 'f.id', 'i.feed_id')
    .select([
      'm.item_id', 'm.topic_id', 'm.score', 'm.evidence', 'a.url', 'a.canonical_url', 'a.title', 'a.site_name',
      'a.published_at', 'a.stored_at', 'a.lang', 'a.text', 'f.title as feed_title',
    ]);
}

type EntryRow = Awaited<ReturnType<ReturnType<typeof entryQuery>['execute']>>[number];

export function toEntry(r: EntryRow): DigestEntry {
  return {
    ...articleRef(r),
    lang: r.lang ?? undefined,
    text: r.text,
    topicId: r.topic_id,
    score: Number(r.score),
    evidence: JSON.parse(r.evidence) as Evidence[],
  };
}
