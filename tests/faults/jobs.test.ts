// Job-level faults, in process against real Redis and SQLite:
// Q7: the same item in two feeds and re-polled 10× → one item row, one job.
// Q8: a job that stalls past maxStalledCount ends failed while its item is still `discovered`: the reconciler
//     retries that very job (a plain re-add would be a no-op) and logs an error (the alert).
// Revive: enqueueRecorded runs again a job Redis held as finished before the add (another store's), and never one
//     that this process's workers finished right after the add.
// D3: a crash after the article commit but before the job completed → the re-run is a no-op: nothing fetched,
//     the row untouched.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueues, closeQueues, enqueueItems, type Queues } from '../../src/queue/queues.js';
import { producerConnection, workerConnection } from '../../src/queue/connection.js';
import { QUEUES, jobIds } from '../../src/queue/names.js';
import { recordItems, getItem, markItem } from '../../src/store/items.js';
import { getArticle, saveArticle } from '../../src/store/articles.js';
import { upsertFeeds } from '../../src/store/feeds.js';
import { reconcile } from '../../src/pipeline/reconcile.js';
import { enqueueRecorded, requeueItems } from '../../src/pipeline/requeue.js';
import { startArticleWorker } from '../../workers/article.js';
import { sqliteStore, type TestStore } from '../support/stores.js';
import { dropRedisPrefix } from '../support/cli.js';
import { until } from '../support/pipeline.js';

const REDIS = 'redis://127.0.0.1:6379';
const prefix = `jobs-${randomUUID().slice(0, 8)}`;
let producer: Redis;
let wconn: Redis;
let queues: Queues;
let store: TestStore;

beforeAll(async () => {
  producer = producerConnection(REDIS);
  wconn = workerConnection(REDIS);
  await new Promise((r) => producer.once('ready', r));
  queues = createQueues(producer, prefix);
  store = await sqliteStore();
  await upsertFeeds(store.handle.db, [{ id: 'f1', url: 'https://a.example/1' }, { id: 'f2', url: 'https://a.example/2' }] as never, new Date().toISOString());
});
afterAll(async () => {
  await closeQueues(queues);
  producer.disconnect();
  wconn.disconnect();
  await store.cleanup();
  await dropRedisPrefix(prefix);
});

const item = (id: string) => ({ id, contentHash: `hash-${id}-0123456789`, item: { title: `Title ${id}`, url: `https://a.example/n/${id}` } });

describe('job faults', () => {
  it('Q7: same item in two feeds, re-polled 10× → one row, one job', async () => {
    const db = store.handle.db;
    const it1 = item('q7');
    const created: string[] = [];
    for (let i = 0; i < 10; i++) {
      for (const f of ['f1', 'f2']) {
        const r = await recordItems(db, f, [it1], new Date().toISOString());
        created.push(...r.created);
        await enqueueItems(queues, r.created.concat(i === 0 ? [it1.id] : []).map((id) => ({ itemId: id, feedId: f, contentHash: it1.contentHash })));
      }
    }
    expect(created).toEqual(['q7']);
    expect(Number((await db.selectFrom('items').select(db.fn.countAll().as('n')).where('id', '=', 'q7').executeTakeFirstOrThrow()).n)).toBe(1);
    expect(Number((await db.selectFrom('item_sources').select(db.fn.countAll().as('n')).where('item_id', '=', 'q7').executeTakeFirstOrThrow()).n)).toBe(2);
    const jobs = await queues.article.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.filter((j) => j.data.itemId === 'q7')).toHaveLength(1);
    await queues.article.drain();
  });

  it('Q8: stalled past maxStalledCount → job failed, item discovered → reconciler retries the job and alerts', async () => {
    const db = store.handle.db;
    const it8 = item('q8');
    await recordItems(db, 'f1', [it8], new Date().toISOString());
    await enqueueItems(queues, [{ itemId: 'q8', feedId: 'f1', contentHash: it8.contentHash }]);
    // A processor that blocks its event loop past the lock, twice: BullMQ declares the job stalled, then failed.
    let runs = 0;
    const w = new Worker('article', async () => {
      runs++;
      const end = Date.now() + 1500;
      while (Date.now() < end) { /* CPU-bound on the event loop: the lock is not renewed */ }
      await new Promise((r) => setTimeout(r, 3000));
    }, { connection: wconn, prefix, lockDuration: 500, stalledInterval: 300, maxStalledCount: 1, concurrency: 1 });
    w.on('error', () => undefined);
    const id = jobIds.article('q8', it8.contentHash);
    await until(async () => (await (await queues.article.getJob(id))?.getState()) === 'failed', 30_000, 'the job failed as stalled');
    await w.close(true);
    const failed = await queues.article.getJob(id);
    expect(failed!.failedReason).toMatch(/stalled/i);
    expect(runs).toBeGreaterThanOrEqual(2);
    expect((await getItem(db, 'q8'))!.state).toBe('discovered');

    const lines: { level: number; msg: string }[] = [];
    const log = pino({ level: 'info' }, new Writable({ write(c, _e, cb) { for (const l of String(c).split('\n')) if (l) lines.push(JSON.parse(l)); cb(); } }));
    const res = await reconcile({ db, olderThanS: 0, now: () => new Date(Date.now() + 1000), enqueue: async (items) => void (await requeueItems(queues, items, log)) });
    expect(res.requeued).toBeGreaterThanOrEqual(1);
    const again = await queues.article.getJob(id);
    expect(await again!.getState()).toBe('waiting');
    expect(again!.attemptsMade).toBe(0);
    expect(lines.some((l) => l.level === 50 && /still discovered but its job is failed/.test(l.msg))).toBe(true);
    await queues.article.drain();
  });

  it('D3: crash after the article commit → the re-run is a no-op (nothing fetched, row untouched)', async () => {
    const db = store.handle.db;
    const it3 = item('d3');
    await recordItems(db, 'f1', [it3], new Date().toISOString());
    // The crashed run got as far as the commit.
    const at = '2026-11-26T01:00:00.000Z';
    await saveArticle(db, 'd3', { url: it3.item.url, canonicalUrl: it3.item.url, title: 'Title d3', text: 'Body', via: 'readability' }, it3.contentHash, [], at);
    let fetches = 0;
    const w = startArticleWorker({
      connection: wconn, prefix, log: pino({ level: 'silent' }), concurrency: 1, db,
      fetcher: { fetch: async () => { fetches++; throw new Error('must not fetch'); }, close: async () => undefined } as never,
      extractor: { extract: async () => { throw new Error('must not extract'); }, close: async () => undefined },
      matcher: () => ({}) as never,
    });
    const results: unknown[] = [];
    w.on('completed', (_j, r) => results.push(r));
    await enqueueItems(queues, [{ itemId: 'd3', feedId: 'f1', contentHash: it3.contentHash }]);
    await until(() => results.length === 1, 15_000, 'the re-run');
    await w.close();
    expect(results[0]).toMatchObject({ status: 'already_stored' });
    expect(fetches).toBe(0);
    expect((await getArticle(db, 'd3'))!.storedAt).toBe(at);
  });

  it('revive: a job finished for another store runs again; jobs this store finished right after the add run once', async () => {
    const db = store.handle.db;
    const old = { itemId: 'rv-old', feedId: 'f1', contentHash: 'hash-rv-old-0123456789' };
    const oldId = jobIds.article(old.itemId, old.contentHash);
    const fresh = Array.from({ length: 50 }, (_, i) => ({ itemId: `rv-${i}`, feedId: `f${(i % 2) + 1}`, contentHash: `hash-rv-${i}-0123456789` }));
    await recordItems(db, 'f1', [old, ...fresh].map((it) => ({ ...item(it.itemId), contentHash: it.contentHash })), new Date().toISOString());
    // As the article worker does: the item is stored before its job completes — except the first run of the old
    // job, which ran for another store (this store never saw it).
    const runs = new Map<string, number>();
    const w = new Worker(QUEUES.article, async (job) => {
      const n = (runs.get(job.id!) ?? 0) + 1;
      runs.set(job.id!, n);
      if (job.id !== oldId || n > 1) await markItem(db, job.data.itemId, 'stored', new Date().toISOString());
    }, { connection: wconn, prefix, concurrency: 50 });
    const addBulk = queues.article.addBulk.bind(queues.article);
    try {
      await enqueueItems(queues, [old]);
      await until(async () => (await queues.article.getJobState(oldId)) === 'completed', 15_000, 'the other store\'s run');
      // The widest race: every new job runs and finishes before the add returns.
      queues.article.addBulk = (async (jobs: Parameters<typeof addBulk>[0]) => {
        const added = await addBulk(jobs);
        await until(() => fresh.every((it) => runs.has(jobIds.article(it.itemId, it.contentHash))), 15_000, 'the new jobs');
        await until(async () => (await queues.article.getJobCounts('active')).active === 0, 5_000, 'no active job');
        return added;
      }) as typeof addBulk;
      const lines: { msg: string; revived?: number }[] = [];
      const log = pino({ level: 'info' }, new Writable({ write(c, _e, cb) { for (const l of String(c).split('\n')) if (l) lines.push(JSON.parse(l)); cb(); } }));
      const ids = await enqueueRecorded(queues, db, [old, ...fresh], { log });
      expect(ids).toHaveLength(51);
      await until(() => runs.get(oldId) === 2, 15_000, 'the old job run again');
      await until(async () => Object.values(await queues.article.getJobCounts('waiting', 'active', 'delayed', 'prioritized')).every((n) => n === 0), 10_000, 'an idle queue');
      expect(fresh.map((it) => runs.get(jobIds.article(it.itemId, it.contentHash)))).toEqual(fresh.map(() => 1));
      expect(lines.filter((l) => l.revived !== undefined).map((l) => l.revived)).toEqual([1]);
      expect((await getItem(db, old.itemId))!.state).toBe('stored');
    } finally {
      queues.article.addBulk = addBulk;
      await w.close();
    }
  });
});
