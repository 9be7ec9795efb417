// Opens the database behind the store: SQLite (better-sqlite3) by default, PostgreSQL (pg pool) when the URL says
// postgres://. Runs the migrations in order. The rest of the store is dialect-agnostic Kysely, except the hottest
// writes, which run on SQLite as synchronous transactions of prepared statements (store/sqlite-sync: why).
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type MigrationProvider, type SqliteDialectConfig } from 'kysely';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Database } from './schema.js';
import { MIGRATIONS } from './migrations/index.js';
import { DEFAULT_POOL_MAX } from './defaults.js';

export type Dialect = 'sqlite' | 'postgres';

export interface DbHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Human-readable location, for logs (no password). */
  where: string;
  /** PostgreSQL schema holding the tables. */
  schema?: string;
}

export interface OpenOptions {
  /** `postgres://…`, `sqlite:///abs/path.db`, a plain file path, or undefined for `<dataDir>/wirewatch.db`. */
  url?: string;
  dataDir: string;
  /** PostgreSQL schema to use (created if missing); tests use one per run. */
  pgSchema?: string;
  /** PostgreSQL pool size. */
  poolMax?: number;
  /** SQLite busy timeout in ms (a second writer waits this long before SQLITE_BUSY). */
  busyTimeoutMs?: number;
}

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Open and migrate. Throws with a clear message when the file or server cannot be used (D4). */
export async function openDb(opts: OpenOptions): Promise<DbHandle> {
  const url = opts.url?.trim();
  const raw: { sqlite?: SQLite.Database } = {};
  const handle = url && /^postgres(ql)?:\/\//.test(url) ? await openPostgres(url, opts) : openSqlite(url, opts, raw);
  // Kysely takes no lock for SQLite migrations (it assumes one process): two processes starting on a new file
  // would both run 001. One IMMEDIATE transaction around the whole run serialises them, and a failed run leaves
  // nothing half-applied. Kysely runs every statement on this same connection, so they all fall inside it.
  if (raw.sqlite) await beginImmediate(raw.sqlite);
  // Name the migration tables' schema: without it Kysely looks for its lock table in *any* schema and, finding
  // another schema's, skips creating its own ("relation kysely_migration_lock does not exist").
  const migrator = new Migrator({ db: handle.db, provider, ...(handle.dialect === 'postgres' ? { migrationTableSchema: handle.schema ?? 'public' } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (raw.sqlite?.inTransaction) raw.sqlite.exec(error || failed ? 'ROLLBACK' : 'COMMIT');
  if (error || failed) {
    await handle.db.destroy().catch(() => undefined);
    throw new Error(`store: migration ${failed?.migrationName ?? ''} failed on ${handle.where}: ${String((error as Error)?.message ?? error)}`);
  }
  return handle;
}

function openSqlite(url: string | undefined, opts: OpenOptions, raw: { sqlite?: SQLite.Database }): DbHandle {
  const file = url ? url.replace(/^sqlite:(\/\/)?/, '') : path.join(opts.dataDir, 'wirewatch.db');
  const dir = path.dirname(path.resolve(file));
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new Error(`store: cannot create directory ${dir} for ${file}: ${(err as Error).message}`);
  }
  let sqlite: SQLite.Database;
  try {
    sqlite = new SQLite(file, { timeout: opts.busyTimeoutMs ?? 5000 });
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    // A write probe: a read-only file or directory fails here, at start, not in the first job (D4).
    sqlite.exec('CREATE TABLE IF NOT EXISTS _wirewatch_probe (x INTEGER); DROP TABLE _wirewatch_probe;');
  } catch (err) {
    throw new Error(`store: cannot open SQLite database ${file} for writing: ${(err as Error).message}`);
  }
  raw.sqlite = sqlite;
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  sqliteHandles.set(db, sqlite);
  return { db, dialect: 'sqlite', where: file };
}

/** The better-sqlite3 connection behind each SQLite Kysely instance openDb made (store/sqlite-sync uses it). */
const sqliteHandles = new WeakMap<Kysely<Database>, SQLite.Database>();

/** The better-sqlite3 connection under `db` when openDb opened it on SQLite; undefined on PostgreSQL. */
export function sqliteConnection(db: Kysely<Database>): SQLite.Database | undefined {
  return sqliteHandles.get(db);
}

/** How long a process waits for another one's migrations before giving up. */
const MIGRATION_LOCK_WAIT_MS = 60_000;

/** BEGIN IMMEDIATE, retried past the busy timeout while another process migrates (bounded). */
async function beginImmediate(sqlite: SQLite.Database): Promise<void> {
  const deadline = Date.now() + MIGRATION_LOCK_WAIT_MS;
  for (;;) {
    try {
      sqlite.exec('BEGIN IMMEDIATE');
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw new Error(`store: cannot lock the SQLite database for migrations: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Most distinct SQL texts kept prepared; past it the cache starts over (IN lists of many lengths make new texts). */
const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely's SQLite driver prepares every query anew; compiling the same few statements per article was a visible
 * share of the main thread in bench:e2e. Reuse them: a better-sqlite3 statement is reusable unless it is `busy`
 * (an iteration in progress), in which case a fresh one is prepared.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDialectConfig['database'] {
  return {
    close: () => sqlite.close(),
    prepare: (sql: string) => preparedStatement(sqlite, sql),
  } as SqliteDialectConfig['database'];
}

const statementCaches = new WeakMap<SQLite.Database, Map<string, SQLite.Statement>>();

/** A prepared statement for `sql` on `sqlite`, from its cache (Kysely's driver and store/sqlite-sync share it). */
export function preparedStatement(sqlite: SQLite.Database, sql: string): SQLite.Statement {
  let cache = statementCaches.get(sqlite);
  if (!cache) statementCaches.set(sqlite, (cache = new Map()));
  const hit = cache.get(sql);
  if (hit && !hit.busy) return hit;
  const stmt = sqlite.prepare(sql);
  if (!hit) {
    if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
    cache.set(sql, stmt);
  }
  return stmt;
}

async function openPostgres(url: string, opts: OpenOptions): Promise<DbHandle> {
  const u = new URL(url);
  const schema = opts.pgSchema ?? u.searchParams.get('schema') ?? undefined;
  u.searchParams.delete('schema');
  const where = `${u.protocol}//${u.username ? `${u.username}@` : ''}${u.host}${u.pathname}${schema ? ` schema ${schema}` : ''}`;
  if (schema && !/^[a-z_][a-z0-9_]*$/i.test(schema)) throw new Error(`store: invalid PostgreSQL schema name "${schema}"`);
  const pool = new pg.Pool({
    connectionString: u.toString(),
    max: opts.poolMax ?? DEFAULT_POOL_MAX,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    // Every connection works in the configured schema.
    options: schema ? `-c search_path=${schema}` : undefined,
  });
  // A lost server must not crash the process: the pool reports idle-client errors here; queries fail and retry.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new Error(`store: cannot connect to PostgreSQL at ${where}: ${(err as Error).message}`);
  }
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres', where, schema };
}
