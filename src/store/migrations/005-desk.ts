// The analyst's desk: the full-text index over stored articles and the readers' relevance feedback.
// SQLite: a contentless FTS5 table (unicode61, diacritics folded) fed from a queue that triggers on `articles`
// fill, with a rowid map (`search_rows`, an INTEGER PRIMARY KEY, so VACUUM never renumbers it). PostgreSQL: a generated
// `tsvector` column with a GIN index ('simple' configuration, over unaccent() when the extension can be had).
import { sql, type Kysely } from 'kysely';

/** Diacritics folding and case folding the SQLite index and every SQLite query share. */
export const FTS5_TOKENIZER = "unicode61 remove_diacritics 2";

async function isPostgres(db: Kysely<unknown>): Promise<boolean> {
  try {
    await sql`select version()`.execute(db);
    return true;
  } catch {
    return false;
  }
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('feedback')
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('topic_id', 'text', (c) => c.notNull())
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('feedback_pk', ['item_id', 'topic_id', 'user_name'])
    .execute();
  await db.schema.createIndex('feedback_created').on('feedback').column('created_at').execute();
  // Feed health counts recent items per feed (a range scan of this covering index).
  await db.schema.createIndex('items_discovered_feed').on('items').columns(['discovered_at', 'feed_id']).execute();

  if (await isPostgres(db)) return upPostgres(db);
  for (const stmt of SQLITE_UP) await sql.raw(stmt).execute(db);
}

/**
 * One statement each: better-sqlite3 prepares a single statement at a time.
 * The triggers only queue the article's id (one small row in the article's own transaction): indexing it there
 * would flush an FTS5 segment per article and more than double the cost of storing one (bench/search.ts). The
 * queue is applied in batches by syncSearchIndex (store/search.ts) before every search, so results are always in
 * step with what is stored.
 */
const SQLITE_UP = [
  'CREATE TABLE search_rows (id INTEGER PRIMARY KEY, item_id TEXT NOT NULL UNIQUE)',
  'CREATE TABLE search_pending (seq INTEGER PRIMARY KEY, item_id TEXT NOT NULL)',
  `CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='', contentless_delete=1, tokenize='${FTS5_TOKENIZER}')`,
  'CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN INSERT INTO search_pending(item_id) VALUES (new.item_id); END',
  // Only a changed title or text is queued: a re-stored, unchanged article costs nothing here.
  `CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles
    WHEN old.title IS NOT new.title OR old.text IS NOT new.text BEGIN INSERT INTO search_pending(item_id) VALUES (new.item_id); END`,
  'CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN INSERT INTO search_pending(item_id) VALUES (old.item_id); END',
  // Articles stored before this migration, oldest first (the map's order is the "newest first" order of results).
  'INSERT INTO search_pending(item_id) SELECT item_id FROM articles ORDER BY stored_at, item_id',
];

/**
 * ww_fold(text) is the one folding function of the index and of every query: lower(unaccent(x)) when the unaccent
 * extension exists or can be created (in `public`, so every schema of the database shares one), else lower(x).
 * Declared IMMUTABLE so a generated column may use it (unaccent itself is only STABLE, because its dictionary could
 * change; ours is the shipped one).
 */
async function upPostgres(db: Kysely<unknown>): Promise<void> {
  // A failed CREATE EXTENSION (no privilege, not installed, two schemas racing) must not abort the migration.
  await sql`savepoint ww_unaccent`.execute(db);
  try {
    await sql`create extension if not exists unaccent schema public`.execute(db);
    await sql`release savepoint ww_unaccent`.execute(db);
  } catch {
    await sql`rollback to savepoint ww_unaccent`.execute(db);
  }
  const ext = await sql<{ nspname: string }>`select n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'unaccent'`.execute(db);
  const where = ext.rows[0]?.nspname;
  const body = where && /^[a-z_][a-z0-9_]*$/.test(where) ? `lower(${where}.unaccent('${where}.unaccent'::regdictionary, $1))` : 'lower($1)';
  await sql.raw(`create or replace function ww_fold(text) returns text language sql immutable parallel safe strict as $$ select ${body} $$`).execute(db);
  await sql.raw(`alter table articles add column search tsvector generated always as (
      setweight(to_tsvector('simple'::regconfig, ww_fold(coalesce(title, ''))), 'A') ||
      setweight(to_tsvector('simple'::regconfig, ww_fold(coalesce(text, ''))), 'B')) stored`).execute(db);
  await sql.raw('create index articles_search on articles using gin (search)').execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('feedback').ifExists().execute();
  if (await isPostgres(db)) {
    await sql.raw('alter table articles drop column if exists search').execute(db);
    return;
  }
  for (const t of ['articles_fts_insert', 'articles_fts_update', 'articles_fts_delete']) await sql.raw(`DROP TRIGGER IF EXISTS ${t}`).execute(db);
  for (const t of ['articles_fts', 'search_rows', 'search_pending']) await sql.raw(`DROP TABLE IF EXISTS ${t}`).execute(db);
}
