// Synchronous SQLite transactions for the store's hottest writes: a poll's items and poll state, an article's save.
//
// Why: on SQLite, Kysely's async driver costs more than SQLite's own work for small statements. Recording a poll of
// 20 new items cost 2.5 ms of CPU through Kysely (query building, one promise chain per statement, a 280-parameter
// multi-row INSERT) and 1.2 ms as single-row prepared statements run in one synchronous transaction; an article's
// save 0.61 → 0.25 ms (issue 15, docs/scaling.md "Fourth round"). PostgreSQL keeps the Kysely path: there, one
// multi-row statement per round trip is what matters.
//
// Safety: the transaction runs while this process holds Kysely's one SQLite connection (db.connection()), so no
// Kysely transaction is open on it meanwhile, and it is synchronous, so nothing else runs on the connection until it
// commits or rolls back. BEGIN IMMEDIATE takes the write lock first: another process's writer makes it wait the busy
// timeout, never fail half-way on a lock upgrade.
import type { Kysely } from 'kysely';
import type SQLite from 'better-sqlite3';
import { preparedStatement, sqliteConnection } from './db.js';
import type { Database } from './schema.js';

/** Statements against the connection, inside the transaction. Parameters are positional or one object of named ones. */
export interface SyncTx {
  get<T>(sql: string, params?: unknown[] | Record<string, unknown>): T | undefined;
  all<T>(sql: string, params?: unknown[] | Record<string, unknown>): T[];
  /** Rows changed. */
  run(sql: string, params?: unknown[] | Record<string, unknown>): number;
}

type Bind = unknown[] | Record<string, unknown> | undefined;
const bind = (params: Bind): unknown[] => (params === undefined ? [] : [params]);

function syncTx(sqlite: SQLite.Database): SyncTx {
  return {
    get: <T>(sql: string, params?: Bind) => preparedStatement(sqlite, sql).get(...bind(params)) as T | undefined,
    all: <T>(sql: string, params?: Bind) => preparedStatement(sqlite, sql).all(...bind(params)) as T[],
    run: (sql: string, params?: Bind) => preparedStatement(sqlite, sql).run(...bind(params)).changes,
  };
}

/** Per connection, made once: the IMMEDIATE transaction wrapper and the statements' view of the connection. */
const perConnection = new WeakMap<SQLite.Database, { immediate: <T>(fn: () => T) => T; tx: SyncTx }>();

/**
 * When `db` is SQLite: a function that runs `fn` in one synchronous IMMEDIATE transaction (committed when `fn`
 * returns, rolled back when it throws). Undefined on PostgreSQL: use a Kysely transaction there.
 */
export function sqliteTransaction(db: Kysely<Database>): (<T>(fn: (tx: SyncTx) => T) => Promise<T>) | undefined {
  const sqlite = sqliteConnection(db);
  if (!sqlite) return undefined;
  let c = perConnection.get(sqlite);
  if (!c) {
    const wrapped = sqlite.transaction((fn: () => unknown) => fn());
    c = { immediate: <T>(fn: () => T) => wrapped.immediate(fn) as T, tx: syncTx(sqlite) };
    perConnection.set(sqlite, c);
  }
  const { immediate, tx } = c;
  return <T>(fn: (tx: SyncTx) => T) => db.connection().execute(async () => immediate(() => fn(tx)));
}
