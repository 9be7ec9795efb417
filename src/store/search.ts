// Full-text search over stored articles: the database's own engine (SQLite FTS5 / PostgreSQL tsvector, see
// migration 005-desk), filtered by topic, stored-date range, feed and language, newest first, in pages.
// The CLI (`wirewatch search`) and the /search page both call searchArticles, so they list the same results.
import { sql, SqliteAdapter, type Kysely } from 'kysely';
import { parseQuery, positiveTerms, toFts5, toTsquery } from '../search/query.js';
import { makeSnippet, type Snippet } from '../search/snippet.js';
import type { SearchRequest } from '../search/request.js';
import type { Database } from './schema.js';
import { sourceOf } from './text.js';

export type { SearchRequest };

export interface SearchHit {
  id: string;
  title: string;
  url: string;
  source: string;
  lang: string | null;
  published: string | null;
  storedAt: string;
  topics: string[];
  snippet: Snippet;
}

export interface SearchPage {
  hits: SearchHit[];
  offset: number;
  limit: number;
  /** More results follow this page. */
  more: boolean;
}

export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_SEARCH_LIMIT = 200;
/** Deepest result reachable by paging: past it, narrow the query or the dates. */
export const MAX_SEARCH_OFFSET = 10_000;

export function isSqlite(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

interface Row {
  item_id: string; title: string; url: string; canonical_url: string; site_name: string | null; lang: string | null;
  published_at: string | null; stored_at: string; text: string; feed_title: string | null;
}

/**
 * Search. Throws QueryError (from parseQuery) for a query people must fix. Results are newest first: on SQLite the
 * index is walked in descending rowid order (the order articles were first stored), so a page stops early.
 * The article path keeps the index in step (pipeline/search-index.ts); `sync` (default true) also applies whatever
 * is still queued first — articles stored by a process that stopped before indexing them, or by tests and imports
 * that store without an indexer. With an indexer running the queue is empty and this costs one small read.
 */
export async function searchArticles(db: Kysely<Database>, req: SearchRequest, opts: { sync?: boolean } = {}): Promise<SearchPage> {
  const ast = parseQuery(req.query);
  if (opts.sync !== false) await syncSearchIndex(db);
  const limit = Math.min(Math.max(1, Math.floor(req.limit ?? DEFAULT_SEARCH_LIMIT)), MAX_SEARCH_LIMIT);
  const offset = Math.min(Math.max(0, Math.floor(req.offset ?? 0)), MAX_SEARCH_OFFSET);
  const filters = [
    req.lang ? sql`and a.lang = ${req.lang}` : sql``,
    req.since ? sql`and a.stored_at >= ${req.since}` : sql``,
    req.until ? sql`and a.stored_at < ${req.until}` : sql``,
    req.topic ? sql`and exists (select 1 from matches m where m.item_id = a.item_id and m.topic_id = ${req.topic})` : sql``,
    req.feed ? sql`and exists (select 1 from item_sources s where s.item_id = a.item_id and s.feed_id = ${req.feed})` : sql``,
  ];
  const cols = sql`a.item_id, a.title, a.url, a.canonical_url, a.site_name, a.lang, a.published_at, a.stored_at, a.text, f.title as feed_title`;
  const q = isSqlite(db)
    ? sql<Row>`select ${cols} from articles_fts
        join search_rows r on r.id = articles_fts.rowid
        join articles a on a.item_id = r.item_id
        left join items i on i.id = a.item_id left join feeds f on f.id = i.feed_id
        where articles_fts match ${toFts5(ast)} ${sql.join(filters, sql` `)}
        order by articles_fts.rowid desc limit ${limit + 1} offset ${offset}`
    : sql<Row>`select ${cols} from articles a
        left join items i on i.id = a.item_id left join feeds f on f.id = i.feed_id
        where a.search @@ to_tsquery('simple'::regconfig, ww_fold(${toTsquery(ast)})) ${sql.join(filters, sql` `)}
        order by a.stored_at desc, a.item_id desc limit ${limit + 1} offset ${offset}`;
  const rows = (await q.execute(db)).rows;
  const page = rows.slice(0, limit);
  const topics = new Map<string, string[]>();
  if (page.length) {
    const ms = await db.selectFrom('matches').select(['item_id', 'topic_id']).where('item_id', 'in', page.map((r) => r.item_id)).orderBy('topic_id').execute();
    for (const m of ms) topics.set(m.item_id, [...(topics.get(m.item_id) ?? []), m.topic_id]);
  }
  const terms = positiveTerms(ast);
  return {
    offset,
    limit,
    more: rows.length > limit,
    hits: page.map((r) => ({
      id: r.item_id,
      title: r.title,
      url: r.canonical_url || r.url,
      source: sourceOf(r),
      lang: r.lang,
      published: r.published_at,
      storedAt: r.stored_at,
      topics: topics.get(r.item_id) ?? [],
      snippet: makeSnippet(r.text, terms),
    })),
  };
}

/** Articles indexed per transaction: one FTS5 segment each, and a bounded write lock. */
export const SEARCH_SYNC_BATCH = 2000;

/**
 * Apply the queue of stored, changed and deleted articles (search_pending, filled by triggers) to the SQLite index,
 * SEARCH_SYNC_BATCH at a time, each batch one transaction. A no-op on PostgreSQL, whose tsvector column is
 * generated with the row. Safe to run from any number of processes at once: every statement is a write, so the
 * batches serialise on SQLite's write lock, and applying an id twice gives the same index. Returns the ids applied.
 */
export async function syncSearchIndex(db: Kysely<Database>, maxBatches = 1000): Promise<number> {
  if (!isSqlite(db)) return 0;
  let applied = 0;
  for (let b = 0; b < maxBatches; b++) {
    const top = await sql<{ seq: number | null; n: number }>`select max(seq) as seq, count(*) as n from (select seq from search_pending order by seq limit ${SEARCH_SYNC_BATCH})`.execute(db);
    const max = top.rows[0]?.seq;
    if (max == null) break;
    await db.transaction().execute(async (tx) => {
      const pending = sql`select item_id from search_pending where seq <= ${max}`;
      await sql`delete from articles_fts where rowid in (select id from search_rows where item_id in (${pending}))`.execute(tx);
      await sql`delete from search_rows where item_id in (${pending}) and item_id not in (select item_id from articles)`.execute(tx);
      await sql`insert into search_rows(item_id) select p.item_id from search_pending p join articles a on a.item_id = p.item_id
        where p.seq <= ${max} group by p.item_id order by min(p.seq) on conflict(item_id) do nothing`.execute(tx);
      await sql`insert into articles_fts(rowid, title, body) select r.id, a.title, a.text from search_rows r join articles a on a.item_id = r.item_id
        where r.item_id in (${pending})`.execute(tx);
      await sql`delete from search_pending where seq <= ${max}`.execute(tx);
    });
    applied += Number(top.rows[0].n);
  }
  return applied;
}

/**
 * Rebuild the index from the articles table (after a restore, a crash of an old SQLite, or a tokenizer change).
 * SQLite: the FTS table and its rowid map are emptied and every article queued, oldest first, then indexed in batches.
 * PostgreSQL: the tsvector column is generated by the database and cannot drift; the GIN index is rebuilt.
 * Returns the number of articles indexed.
 */
export async function rebuildSearchIndex(db: Kysely<Database>): Promise<number> {
  if (!isSqlite(db)) {
    await sql`reindex index articles_search`.execute(db);
  } else {
    await db.transaction().execute(async (tx) => {
      await sql`insert into articles_fts(articles_fts) values ('delete-all')`.execute(tx);
      await sql`delete from search_rows`.execute(tx);
      await sql`delete from search_pending`.execute(tx);
      await sql`insert into search_pending(item_id) select item_id from articles order by stored_at, item_id`.execute(tx);
    });
    await syncSearchIndex(db);
    await sql`insert into articles_fts(articles_fts) values ('optimize')`.execute(db);
  }
  const n = await db.selectFrom('articles').select(db.fn.countAll().as('n')).executeTakeFirst();
  return Number(n?.n ?? 0);
}
