// Real databases for tests: a temp SQLite file, and a fresh schema in the machine's PostgreSQL (dropped after).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { openDb, type DbHandle } from '../../src/store/db.js';

export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestStore { handle: DbHandle; url: string; cleanup(): Promise<void> }

export async function sqliteStore(): Promise<TestStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ww-store-'));
  const url = path.join(dir, 'test.db');
  const handle = await openDb({ url, dataDir: dir });
  return { handle, url, cleanup: async () => { await handle.db.destroy(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

export async function postgresStore(): Promise<TestStore> {
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const url = `${PG_URL}?schema=${schema}`;
  const handle = await openDb({ url, dataDir: os.tmpdir(), poolMax: 4 });
  return {
    handle,
    url,
    cleanup: async () => {
      await handle.db.destroy();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    },
  };
}

export const STORES = [
  ['sqlite', sqliteStore],
  ['postgres', postgresStore],
] as const;

export function tempDir(prefix = 'ww-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
