// Q1: a `wirewatch worker` SIGKILLed while articles are in flight: their jobs stall, a second worker re-runs each
// once, and every item ends with exactly one article row.
// Q2: a `wirewatch worker` sent SIGTERM mid-job stops taking jobs, finishes the ones in hand, exits 0; nothing is
// left active (no stall), the rest waits in the queue for the next worker.
import { afterEach, describe, expect, it } from 'vitest';
import { articleHits, harness, simpleArticles, until, type Harness } from '../support/pipeline.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const stored = (x: Harness) => x.count("SELECT count(*) n FROM items WHERE state = 'stored'");

describe('worker processes under signals', () => {
  it('Q1: SIGKILL mid-article → the stalled jobs re-run once on another worker; one article row per item', async () => {
    const N = 10;
    h = await harness({ articles: simpleArticles(N), latencyMs: 1500 });
    const a = h.spawn(['worker', '--queues', 'poll,article']);
    await a.waitLog((l) => l.msg === 'worker running; Ctrl-C to stop', 20_000, 'worker A ready');
    await h.pollAll();
    // Article pages are being fetched: jobs are active in A.
    await until(() => articleHits(h!.site).size >= 2, 30_000, 'article requests from worker A');
    a.proc.kill('SIGKILL');
    await a.exited;
    // In flight = fetched by A but not stored when it died.
    const storedSlugs = new Set(h.storedUrls().map((u) => /\/news\/([^/?#]+)/.exec(u)?.[1]));
    const inFlight = [...articleHits(h.site).keys()].filter((s) => !storedSlugs.has(s));
    expect(inFlight.length).toBeGreaterThan(0);
    const storedBefore = stored(h);
    expect(storedBefore).toBeLessThan(N);

    const b = h.spawn(['worker', '--queues', 'poll,article']);
    // Locks of the killed jobs expire (30 s) and B's stalled checker moves them back: bounded well under 2 min.
    await until(() => stored(h!) === N, 110_000, `all ${N} items stored after the crash`);
    expect(h.count('SELECT count(*) n FROM articles')).toBe(N);
    expect(h.count('SELECT count(*) n FROM items')).toBe(N);
    expect(h.count("SELECT count(*) n FROM items WHERE state != 'stored'")).toBe(0);
    const hits = articleHits(h.site);
    // The jobs in hand at the kill ran once more (twice in all); the rest once.
    for (const slug of inFlight) expect(hits.get(slug), slug).toBe(2);
    for (const [slug, n] of hits) if (!inFlight.includes(slug)) expect(n, slug).toBe(1);
    b.proc.kill('SIGTERM');
    expect(await b.exited).toBe(0);
  }, 150_000);

  it('Q2: SIGTERM mid-job → finishes the jobs in hand, exits 0, leaves none active', async () => {
    const N = 12;
    h = await harness({ articles: simpleArticles(N), latencyMs: 2000 });
    const a = h.spawn(['worker', '--queues', 'poll,article']);
    await a.waitLog((l) => l.msg === 'worker running; Ctrl-C to stop', 20_000, 'worker ready');
    await h.pollAll();
    await until(() => articleHits(h!.site).size >= 1, 30_000, 'an article request');
    const t = Date.now();
    a.proc.kill('SIGTERM');
    const code = await a.exited;
    expect(code, a.stderr().slice(-3000)).toBe(0);
    expect(Date.now() - t).toBeLessThan(30_000);
    // Every page requested before exit was stored: the jobs in hand finished.
    const fetched = [...articleHits(h.site).keys()];
    expect(fetched.length).toBeGreaterThan(0);
    expect(stored(h)).toBe(fetched.length);
    expect(a.logs.some((l) => l.msg === 'shutting down: finishing jobs in hand')).toBe(true);
    expect(a.logs.filter((l) => l.level === 50)).toEqual([]);
    // Nothing left active in Redis (no lock to expire, no stall); the rest waits for the next worker.
    const { Redis } = await import('ioredis');
    const r = new Redis(h.redisUrl);
    try {
      expect(await r.llen(`${h.prefix}:article:active`)).toBe(0);
    } finally {
      r.disconnect();
    }
    const b = h.spawn(['worker', '--queues', 'poll,article']);
    await until(() => stored(h!) === N, 60_000, 'the rest stored by the next worker');
    for (const [slug, n] of articleHits(h.site)) expect(n, slug).toBe(1);
    b.proc.kill('SIGTERM');
    expect(await b.exited).toBe(0);
  }, 120_000);
});
