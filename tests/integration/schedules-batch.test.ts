// Start-up at scale (issue 15): feed rows are upserted in multi-row batches and job schedulers in pipelined windows.
// These check the batching keeps the contract — every feed row and schedule present, later duplicates win, poll
// state kept, schedulers of feeds no longer configured removed — across batch and window boundaries.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORES, type TestStore } from '../support/stores.js';
import { getFeed, listFeeds, recordPoll, upsertFeeds } from '../../src/store/feeds.js';
import { producerConnection } from '../../src/queue/connection.js';
import { closeQueues, createQueues } from '../../src/queue/queues.js';
import { jobIds } from '../../src/queue/names.js';
import { applySchedules } from '../../src/scheduler.js';
import { dropRedisPrefix } from '../../bench/lib/redis-prefix.js';

const T0 = '2026-11-26T08:00:00.000Z';
const feeds = (n: number, tag = '') => Array.from({ length: n }, (_, i) => ({ id: `f${i}`, url: `https://f${i}.example/rss${tag}` }));

describe.each(STORES)('batched upsertFeeds on %s', (_name, open) => {
  let s: TestStore;
  beforeEach(async () => { s = await open(); });
  afterEach(async () => { await s.cleanup(); });

  it('writes every row past one batch; a later duplicate id wins; poll state survives', async () => {
    await upsertFeeds(s.handle.db, feeds(1203), T0);
    expect(await listFeeds(s.handle.db)).toHaveLength(1203);
    await recordPoll(s.handle.db, 'f1100', { lastPollAt: T0, status: 200, etag: '"e"', success: true, consecutiveFailures: 0, nextPollAt: T0, intervalS: 900 });
    await upsertFeeds(s.handle.db, [...feeds(1203, '?v=2'), { id: 'f7', url: 'https://last.example/rss', title: 'Last' }], T0);
    expect(await listFeeds(s.handle.db)).toHaveLength(1203);
    expect(await getFeed(s.handle.db, 'f7')).toMatchObject({ url: 'https://last.example/rss', title: 'Last' });
    expect(await getFeed(s.handle.db, 'f1100')).toMatchObject({ url: 'https://f1100.example/rss?v=2', etag: '"e"', polls: 1 });
  });
});

describe('applySchedules in windows', () => {
  const prefix = `test-${randomUUID()}`;
  let s: TestStore;
  beforeEach(async () => { s = await STORES[0][1](); });
  afterEach(async () => {
    await s.cleanup();
    await dropRedisPrefix(prefix);
  });

  it('registers one scheduler per feed past one window and removes those of feeds dropped', async () => {
    const conn = producerConnection('redis://127.0.0.1:6379');
    const q = createQueues(conn, prefix);
    try {
      const input = { digests: [], checkIntervalS: 300, reconcileEveryS: 60 };
      await applySchedules(s.handle.db, q, { ...input, feeds: feeds(600) });
      const keys = async () => new Set((await q.poll.getJobSchedulers(0, -1)).map((x) => x.key));
      const all = await keys();
      expect(all.size).toBe(600);
      expect(all.has(jobIds.feedScheduler('f599'))).toBe(true);
      await applySchedules(s.handle.db, q, { ...input, feeds: feeds(300) });
      const kept = await keys();
      expect(kept.size).toBe(300);
      expect(kept.has(jobIds.feedScheduler('f299'))).toBe(true);
      expect(kept.has(jobIds.feedScheduler('f300'))).toBe(false);
    } finally {
      await closeQueues(q);
      conn.disconnect();
    }
  });
});
