// Q4: the private Redis (AOF on) is restarted mid-run: workers reconnect and everything finishes, one row per item.
// Q5: the private Redis (no AOF) is wiped mid-run: job schedulers and queued jobs are gone; the scheduler notices and
// registers its schedules again, and the reconciler re-enqueues every item still `discovered` from the database.
import { afterEach, describe, expect, it } from 'vitest';
import { articleHits, harness, simpleArticles, until, type Harness } from '../support/pipeline.js';
import { startTestRedis, type TestRedis } from '../support/private-redis.js';

let h: Harness | undefined;
let redis: TestRedis | undefined;
afterEach(async () => {
  await h?.cleanup();
  await redis?.cleanup();
  h = undefined;
  redis = undefined;
});

const stored = (x: Harness) => x.count("SELECT count(*) n FROM items WHERE state = 'stored'");

describe('Redis faults', () => {
  it('warns loudly at start when Redis evicts or has AOF off', async () => {
    redis = await startTestRedis({ appendonly: false, maxmemoryPolicy: 'allkeys-lru' });
    h = await harness({ articles: simpleArticles(1), redisUrl: redis.url });
    const w = h.spawn(['worker', '--queues', 'article']);
    await w.waitLog((l) => l.msg === 'worker running; Ctrl-C to stop', 20_000, 'worker ready');
    const warnings = w.logs.filter((l) => l.level === 40 && String(l.msg).startsWith('WARNING: Redis'));
    expect(warnings.map((l) => l.msg)).toEqual([
      expect.stringContaining('maxmemory-policy is "allkeys-lru", not "noeviction"'),
      expect.stringContaining('AOF is off'),
    ]);
    w.proc.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  }, 60_000);

  it('Q6: Redis down at start → the worker fails fast naming the URL; started later, it takes jobs', async () => {
    redis = await startTestRedis({ appendonly: true });
    await redis.stop();
    h = await harness({ articles: simpleArticles(4), redisUrl: redis.url });
    const t = Date.now();
    const a = h.spawn(['worker', '--queues', 'poll,article']);
    expect(await a.exited).toBe(1);
    expect(Date.now() - t).toBeLessThan(15_000);
    expect(a.stderr()).toContain(`redis: nothing answers at ${redis.url}`);
    await redis.restart();
    const b = h.spawn(['worker', '--queues', 'poll,article']);
    await b.waitLog((l) => l.msg === 'worker running; Ctrl-C to stop', 20_000, 'worker ready');
    await h.pollAll();
    await until(() => stored(h!) === 4, 30_000, 'all items stored');
    b.proc.kill('SIGTERM');
    expect(await b.exited).toBe(0);
  }, 90_000);

  it('Q4: Redis restarted mid-run with AOF → every item stored, no duplicates', async () => {
    const N = 30;
    redis = await startTestRedis({ appendonly: true });
    h = await harness({ articles: simpleArticles(N), latencyMs: 300, redisUrl: redis.url });
    const w = h.spawn(['worker', '--queues', 'poll,article']);
    await w.waitLog((l) => l.msg === 'worker running; Ctrl-C to stop', 20_000, 'worker ready');
    await h.pollAll();
    await until(() => h!.count('SELECT count(*) n FROM items') === N && stored(h!) >= 3, 30_000, 'items recorded and a few stored');
    const before = stored(h);
    await redis.restart();
    await until(() => stored(h!) === N, 90_000, `all ${N} items stored after the restart`);
    expect(before).toBeLessThan(N);
    expect(h.count('SELECT count(*) n FROM articles')).toBe(N);
    expect(h.count("SELECT count(*) n FROM items WHERE state != 'stored'")).toBe(0);
    // At most the jobs in hand during the restart are fetched twice; the rows stay one per item.
    const twice = [...articleHits(h.site).values()].filter((n) => n > 1).length;
    expect(twice).toBeLessThanOrEqual(4);
    w.proc.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  }, 150_000);

  it('Q5: Redis wiped mid-run → schedules re-registered, reconciler re-enqueues from the DB, nothing lost', async () => {
    const N = 24;
    redis = await startTestRedis({ appendonly: false });
    h = await harness({
      articles: simpleArticles(N), latencyMs: 400, redisUrl: redis.url,
      // Fast maintenance for the test: items stuck 10 s are re-enqueued, the reconciler runs every 5 s.
      extraYaml: ['workers: { article_concurrency: 2, reconcile_after_s: 10, reconcile_every_s: 5 }', 'poll: { min_interval_s: 3600, default_interval_s: 3600 }'],
    });
    const s = h.spawn(['scheduler']);
    await s.waitLog((l) => l.msg === 'scheduler running; Ctrl-C to stop', 20_000, 'scheduler ready');
    const w = h.spawn(['worker', '--queues', 'poll,article,maintenance']);
    await w.waitLog((l) => l.msg === 'worker running; Ctrl-C to stop', 20_000, 'worker ready');
    await h.pollAll();
    await until(() => h!.count('SELECT count(*) n FROM items') === N && stored(h!) >= 2, 30_000, 'items recorded and a few stored');
    await redis.wipe();
    const afterWipe = stored(h);
    expect(afterWipe).toBeLessThan(N);
    await s.waitLog((l) => /job schedulers are missing/.test(String(l.msg)), 30_000, 'the scheduler noticing the wipe');
    await until(() => stored(h!) === N, 90_000, `all ${N} items stored after the wipe`);
    expect(h.count('SELECT count(*) n FROM articles')).toBe(N);
    // The scheduler process runs a maintenance worker too: either may have run the reconciler.
    expect([...s.logs, ...w.logs].some((l) => l.msg === 'reconciler re-enqueued items whose jobs were lost')).toBe(true);
    s.proc.kill('SIGTERM');
    w.proc.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(await w.exited).toBe(0);
  }, 180_000);
});
