// PostgreSQL restarted mid-run (a private cluster, `pg_ctl restart -m fast`): connections in the pool die, the
// statements in flight fail, the jobs retry with backoff and reconnect; every item ends stored, one row each.
import pg from 'pg';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { harness, simpleArticles, until, type Harness } from '../support/pipeline.js';
import { privatePgAvailable, startTestPg, type TestPg } from '../support/private-pg.js';

let h: Harness | undefined;
let db: TestPg | undefined;
afterEach(async () => {
  await h?.cleanup();
  db?.cleanup();
  h = undefined;
  db = undefined;
});

async function count(url: string, q: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  try {
    await c.connect();
    return Number((await c.query(q)).rows[0].n);
  } catch {
    return -1;
  } finally {
    await c.end().catch(() => undefined);
  }
}

describe.skipIf(!privatePgAvailable())('PostgreSQL faults', () => {
  it('PostgreSQL restarted mid-run → jobs retry and reconnect, every item stored once', async (ctx) => {
    const N = 24;
    db = await startTestPg();
    h = await harness({ articles: simpleArticles(N), latencyMs: 400, databaseUrl: db.url, extraYaml: ['workers: { article_concurrency: 2 }'] });
    const w = h.spawn(['worker', '--queues', 'poll,article']);
    await w.waitLog((l) => l.msg === 'worker running; Ctrl-C to stop', 20_000, 'worker ready');
    await h.pollAll();
    const stored = () => count(db!.url, "SELECT count(*) n FROM items WHERE state = 'stored'");
    const q = new Queue('poll', { connection: { host: '127.0.0.1', port: 6379 }, prefix: h.prefix });
    let nul = false;
    await until(async () => {
      if ((await q.getJobs(['delayed', 'failed'])).some((j) => /0x00/.test(j.failedReason ?? ''))) return (nul = true);
      return (await count(db!.url, 'SELECT count(*) n FROM items')) === N && (await stored()) >= 2;
    }, 30_000, 'items recorded, some stored').catch((err) => { throw new Error(`${err.message}\n${w.stderr().slice(-3000)}`); }).finally(() => q.close());
    // PostgreSQL text cannot hold U+0000: nothing the pipeline writes may contain it (identity keys, feed text).
    expect(nul, 'a job failed on U+0000 reaching PostgreSQL').toBe(false);
    const before = await stored();
    db.restart();
    await until(async () => (await stored()) === N, 90_000, `all ${N} items stored after the restart`);
    expect(before).toBeLessThan(N);
    expect(await count(db.url, 'SELECT count(*) n FROM articles')).toBe(N);
    expect(await count(db.url, "SELECT count(*) n FROM items WHERE state = 'failed'")).toBe(0);
    expect(w.proc.exitCode).toBe(null);
    w.proc.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  }, 150_000);
});

// The store on the machine's PostgreSQL (own schema) with a small pool, under concurrent writers racing on the same
// natural keys: every query works, races resolve to one row, and an exhausted pool queues instead of failing.
describe('PostgreSQL store under concurrency (pool of 4)', () => {
  it('concurrent recordItems / saveArticle / putDigest on the same keys → one row each; pool queues', async () => {
    const { postgresStore } = await import('../support/stores.js');
    const { recordItems, stuckItems, countItemsByState } = await import('../../src/store/items.js');
    const { saveArticle, matchesFor, entriesForPeriod } = await import('../../src/store/articles.js');
    const { putDigest } = await import('../../src/store/digests.js');
    const { upsertFeeds } = await import('../../src/store/feeds.js');
    const { sql } = await import('kysely');
    const s = await postgresStore();
    const db = s.handle.db;
    try {
      const now = new Date().toISOString();
      await upsertFeeds(db, [{ id: 'f1', url: 'https://a.example/1' }, { id: 'f2', url: 'https://a.example/2' }] as never, now);
      const items = Array.from({ length: 20 }, (_, i) => ({ id: `i${i}`, contentHash: `h${i}`, item: { title: `T${i}`, url: `https://a.example/n/${i}` } }));
      // Each item from both feeds, twice, all at once: 80 transactions racing on 20 keys.
      const res = await Promise.all([...items, ...items].flatMap((it) => ['f1', 'f2'].map((f) => recordItems(db, f, [it], now))));
      expect(res.flatMap((r) => r.created).sort()).toEqual(items.map((i) => i.id).sort());
      expect(await countItemsByState(db)).toEqual({ discovered: 20 });
      expect(Number((await db.selectFrom('item_sources').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(40);
      expect((await stuckItems(db, new Date(Date.now() + 1000).toISOString(), 100)).length).toBe(20);

      const art = (i: number) => ({ url: `https://a.example/n/${i}`, canonicalUrl: `https://a.example/n/${i}`, title: `T${i}`, text: 'NATO allies met.', via: 'readability' as const });
      const match = [{ topicId: 'nato', score: 5, threshold: 4, evidence: [] }];
      await Promise.all(items.flatMap((it, i) => [0, 1].map(() => saveArticle(db, it.id, art(i), it.contentHash, match, now))));
      expect(await countItemsByState(db)).toEqual({ stored: 20 });
      expect(Number((await db.selectFrom('articles').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(20);
      expect(await matchesFor(db, 'i3')).toHaveLength(1);
      const day = { from: new Date(Date.now() - 3600_000).toISOString(), to: new Date(Date.now() + 3600_000).toISOString() };
      expect(await entriesForPeriod(db, { topicIds: ['nato'], ...day })).toHaveLength(20);

      const row = { digest_id: 'd', period: '2026-11-26', period_start: day.from, period_end: day.to, built_at: now, content: '{}' };
      const won = await Promise.all(Array.from({ length: 10 }, () => putDigest(db, row)));
      expect(won.filter(Boolean)).toHaveLength(1);

      // 24 slow queries through a pool of 4: they queue (≥ 6 rounds of 150 ms) and all succeed.
      const t = Date.now();
      await Promise.all(Array.from({ length: 24 }, () => sql`select pg_sleep(0.15)`.execute(db)));
      expect(Date.now() - t).toBeGreaterThanOrEqual(800);
    } finally {
      await s.cleanup();
    }
  });
});
