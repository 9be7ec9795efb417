// D1: a second connection holds `BEGIN IMMEDIATE` on the SQLite file longer than the busy timeout while a worker
// stores articles: the writes fail with SQLITE_BUSY, the jobs retry with backoff, no job fails for good, no row lost.
// D2: the disk is "full" (PRAGMA max_page_count just above page_count ⇒ SQLITE_FULL): the article transaction rolls
// back whole, the job is retried, the process stays up; once space is back every item is stored, none half-written.
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { startService, type Service } from '../../src/runtime/service.js';
import { articleHits, harness, simpleArticles, until, type Harness } from '../support/pipeline.js';

let h: Harness | undefined;
let svc: Service | undefined;
afterEach(async () => {
  await svc?.close(10_000);
  await h?.cleanup();
  h = undefined;
  svc = undefined;
});

const stored = (x: Harness) => x.count("SELECT count(*) n FROM items WHERE state = 'stored'");

describe('SQLite faults', () => {
  it('D1: SQLITE_BUSY from a second writer → retried with backoff, no lost row', async () => {
    const N = 12;
    h = await harness({ articles: simpleArticles(N), latencyMs: 400, extraYaml: ['workers: { article_concurrency: 2 }'] });
    const w = h.spawn(['worker', '--queues', 'poll,article']);
    await w.waitLog((l) => l.msg === 'worker running; Ctrl-C to stop', 20_000, 'worker ready');
    await h.pollAll();
    await until(() => h!.count('SELECT count(*) n FROM items') === N && stored(h!) >= 1, 30_000, 'items recorded, first article stored');
    // Hold the write lock for 7 s: longer than the store's 5 s busy timeout. Taking it waits (up to 3 s) for a
    // write the worker has in progress: with no wait, BEGIN IMMEDIATE itself failed whenever it met one.
    const holder = new Database(h.dbPath, { timeout: 3000 });
    holder.exec('BEGIN IMMEDIATE');
    await new Promise((r) => setTimeout(r, 7000));
    holder.exec('COMMIT');
    holder.close();
    await until(() => stored(h!) === N, 90_000, `all ${N} items stored after the lock`);
    expect(h.count('SELECT count(*) n FROM articles')).toBe(N);
    expect(h.count("SELECT count(*) n FROM items WHERE state = 'failed'")).toBe(0);
    // The fault did hit: at least one attempt failed on the lock and was retried.
    const busy = w.logs.filter((l) => l.msg === 'article failed' && /SQLITE_BUSY|database is locked/i.test(JSON.stringify(l.err)));
    expect(busy.length).toBeGreaterThan(0);
    w.proc.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  }, 150_000);

  it('D2: disk full (max_page_count) → rolled back, retried later, process up, nothing half-written', async () => {
    const N = 10;
    h = await harness({ articles: simpleArticles(N, 40), latencyMs: 300, extraYaml: ['workers: { article_concurrency: 2 }'] });
    const log = createLogger({ level: 'silent', pretty: false });
    svc = await startService(h.cfg, log, { scheduler: false, workers: ['poll', 'article'], serve: false }, { reload: false });
    await h.pollAll();
    await until(() => h!.count('SELECT count(*) n FROM items') === N, 30_000, 'items recorded');
    // The service's own connection (Kysely's SQLite dialect uses one): cap the file at its current size.
    const db = svc.store.db;
    const pages = Number((await sql<{ page_count: number }>`PRAGMA page_count`.execute(db)).rows[0].page_count);
    await sql.raw(`PRAGMA max_page_count = ${pages + 1}`).execute(db);
    const storedAtCap = stored(h);
    const failedBefore = (await svc.queues.article.getJobCounts('failed')).failed;
    // Wait until article attempts have hit the cap (fetched but not stored) …
    await until(() => articleHits(h!.site).size >= storedAtCap + 2, 30_000, 'article attempts under the cap');
    await new Promise((r) => setTimeout(r, 1000));
    const storedUnderCap = stored(h);
    expect(storedUnderCap).toBeLessThan(N);
    // … no article row without its item marked stored (one transaction), no job failed for good, process answering.
    expect(h.count("SELECT count(*) n FROM articles a JOIN items i ON i.id = a.item_id WHERE i.state != 'stored'")).toBe(0);
    expect(h.count('SELECT count(*) n FROM articles')).toBe(storedUnderCap);
    expect((await svc.queues.article.getJobCounts('failed')).failed).toBe(failedBefore);
    expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows[0].one).toBe(1);
    // Space is back: the retries (10 s backoff, jitter) store everything.
    await sql.raw('PRAGMA max_page_count = 1073741823').execute(db);
    await until(() => stored(h!) === N, 90_000, `all ${N} items stored once space is back`);
    expect(h.count('SELECT count(*) n FROM articles')).toBe(N);
    expect(h.count("SELECT count(*) n FROM items WHERE state = 'failed'")).toBe(0);
    // The cap did bite: some jobs completed only on a later attempt.
    const done = await svc.queues.article.getJobs(['completed']);
    expect(done.filter((j) => j.attemptsMade > 0).length).toBeGreaterThan(0);
  }, 150_000);
});
