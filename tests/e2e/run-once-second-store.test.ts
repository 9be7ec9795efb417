// Two stores on one Redis prefix: a second data dir (or ./data deleted to start afresh) with the same Redis. The
// article jobs of the first run are still kept in Redis as completed, under the same job ids; the second
// `run --once` must still store every article in its own store, not report them done and build an empty digest.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTICLES } from '../support/site-fixture.js';
import { runCli } from '../support/cli.js';
import { startRunOnceSite, type RunOnceSite } from '../support/run-once-site.js';

const prefix = `e2e-two-${randomUUID().slice(0, 8)}`;
let env: RunOnceSite | undefined;

beforeAll(async () => {
  env = await startRunOnceSite({ prefix, tmpPrefix: 'ww-e2e-two-', digestAt: '06:00' });
});

afterAll(async () => {
  await env?.close();
});

const storedIn = (dataDir: string): number => {
  const db = new Database(path.join(dataDir, 'wirewatch.db'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) n FROM articles').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('run --once on a Redis prefix another store already used', () => {
  it('stores every article in the second store too', async () => {
    const withData = (dir: string) => env!.args.map((a, i, all) => (all[i - 1] === '--data-dir' ? dir : a));
    const first = path.join(env!.dir, 'data-a');
    const second = path.join(env!.dir, 'data-b');
    const a = await runCli(['run', '--once', ...withData(first)], { timeoutMs: 110_000 });
    expect(a.code, a.stderr.slice(-2000)).toBe(0);
    expect(storedIn(first)).toBe(ARTICLES.length);
    const b = await runCli(['run', '--once', ...withData(second)], { timeoutMs: 110_000 });
    expect(b.code, b.stderr.slice(-2000)).toBe(0);
    expect(storedIn(second)).toBe(ARTICLES.length);
  }, 240_000);
});
