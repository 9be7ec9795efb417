// Operations surface, in process against real Redis and SQLite: health and readiness, the Prometheus text (queue
// depth, oldest job, job outcomes from worker events, feed health, fetch errors, latencies), the dashboard behind
// auth, and the start-up warnings about Redis settings (noeviction, AOF) on private redis-servers.
import { randomUUID } from 'node:crypto';
import { Worker, UnrecoverableError } from 'bullmq';
import { Hono } from 'hono';
import { basicAuth } from 'hono/basic-auth';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOpsRoutes } from '../../src/http/ops.js';
import { createOpsMetrics } from '../../src/ops/metrics.js';
import { startMetricsServer } from '../../src/http/metrics-server.js';
import { instrumentFetcher, instrumentWorker } from '../../src/ops/instrument.js';
import { createQueues, closeQueues, type Queues } from '../../src/queue/queues.js';
import { producerConnection, redisWarnings, workerConnection } from '../../src/queue/connection.js';
import { upsertFeeds, recordPoll } from '../../src/store/feeds.js';
import { sqliteStore, type TestStore } from '../support/stores.js';
import { dropRedisPrefix } from '../support/cli.js';
import { startTestRedis } from '../support/private-redis.js';

const REDIS = 'redis://127.0.0.1:6379';
const prefix = `ops-${randomUUID().slice(0, 8)}`;
let store: TestStore;
let producer: Redis;
let queues: Queues;

async function until(cond: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
}

beforeAll(async () => {
  store = await sqliteStore();
  producer = producerConnection(REDIS);
  await new Promise((r) => producer.once('ready', r));
  queues = createQueues(producer, prefix);
});

afterAll(async () => {
  await closeQueues(queues);
  producer.disconnect();
  await store.cleanup();
  await dropRedisPrefix(prefix);
});

function appWith(over: Partial<Parameters<typeof registerOpsRoutes>[1]> = {}) {
  const metrics = createOpsMetrics({ defaultMetrics: false });
  const app = new Hono();
  registerOpsRoutes(app, { registry: metrics.registry, queues, db: store.handle.db, redis: producer, auth: basicAuth({ username: 'ops', password: 'secret' }), ...over });
  return { app, metrics };
}
const authz = { authorization: `Basic ${Buffer.from('ops:secret').toString('base64')}` };

describe('health, readiness, dashboard', () => {
  it('answers /healthz and /readyz when Redis and the store answer', async () => {
    const { app } = appWith();
    expect((await app.request('/healthz')).status).toBe(200);
    const r = await app.request('/readyz');
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ok', redis: 'ok', store: 'ok' });
  });

  it('/readyz is 503 naming Redis when Redis does not answer, within the deadline', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    dead.on('error', () => undefined);
    const { app } = appWith({ redis: dead, timeoutMs: 500, dashboard: false });
    const started = Date.now();
    const r = await app.request('/readyz');
    expect(r.status).toBe(503);
    const body = (await r.json()) as { redis: string; store: string };
    expect(body.store).toBe('ok');
    expect(body.redis).not.toBe('ok');
    expect(Date.now() - started).toBeLessThan(2000);
    dead.disconnect();
  });

  it('serves the queue dashboard and /metrics only with the web auth', async () => {
    const { app } = appWith();
    expect((await app.request('/ops/queues')).status).toBe(401);
    expect((await app.request('/metrics')).status).toBe(401);
    const page = await app.request('/ops/queues', { headers: authz });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const api = await app.request('/ops/queues/api/queues?activeQueue=article&page=1&jobsPerPage=10', { headers: authz });
    expect(api.status).toBe(200);
    const names = ((await api.json()) as { queues: { name: string }[] }).queues.map((q) => q.name).sort();
    expect(names).toEqual(['article', 'digest', 'maintenance', 'poll']);
  });
});

describe('/metrics', () => {
  it('reports queue depth, oldest waiting job, job outcomes, feed health, fetch errors and latencies', async () => {
    const { app, metrics } = appWith();
    // Two waiting article jobs, the oldest ~1.5 s old.
    await queues.article.add('process-item', { itemId: 'a', feedId: 'f' }, { jobId: 'old', timestamp: Date.now() - 1500 });
    await queues.article.add('process-item', { itemId: 'b', feedId: 'f' }, { jobId: 'new' });
    // Feed health: one failing (3 in a row), one fine.
    const now = new Date().toISOString();
    await upsertFeeds(store.handle.db, [{ id: 'good', url: 'https://a.example/feed' }, { id: 'bad', url: 'https://b.example/feed' }] as never, now);
    await recordPoll(store.handle.db, 'bad', { lastPollAt: now, success: false, error: 'http 500', consecutiveFailures: 3, nextPollAt: now, intervalS: 900 });
    // Job outcomes through real worker events: one completed, one retried then failed for good.
    const wconn = workerConnection(REDIS);
    const w = new Worker('poll', async (job) => {
      if (job.data.fail) throw job.data.fail === 'hard' ? new UnrecoverableError('gone') : new Error('transient');
      return 'ok';
    }, { connection: wconn, prefix, concurrency: 1 });
    instrumentWorker('poll', w, metrics);
    await queues.poll.add('poll-feed', { feedId: 'x' });
    await queues.poll.add('poll-feed', { feedId: 'y', fail: 'soft' }, { attempts: 2, backoff: { type: 'fixed', delay: 10 } });
    await queues.poll.add('poll-feed', { feedId: 'z', fail: 'hard' }, { attempts: 5 });
    await until(async () => (await queues.poll.getJobCounts('failed')).failed === 2);
    await w.close();
    wconn.disconnect();
    // Fetch errors through the wrapper; latencies through the article hook.
    const f = instrumentFetcher({ fetch: async (_r: { kind?: string }) => { throw Object.assign(new Error('fetch: 404'), { code: 'http_404' }); }, close: async () => undefined }, metrics);
    await expect(f.fetch({ kind: 'page' })).rejects.toThrow('404');
    metrics.stored({ topics: ['nato', 'frozen-assets'], publishedAt: new Date(Date.now() - 4000).toISOString(), discoveredAt: new Date(Date.now() - 1000).toISOString() });
    metrics.stored({ topics: [] });
    metrics.delivered([new Date(Date.now() - 3600_000).toISOString()]);
    metrics.requeued('retried', 2);

    const r = await app.request('/metrics', { headers: authz });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await r.text();
    const value = (re: RegExp) => Number(re.exec(text)?.[1]);
    expect(value(/^wirewatch_queue_jobs\{queue="article",state="waiting"\} (\d+)/m)).toBe(2);
    expect(value(/^wirewatch_queue_oldest_waiting_seconds\{queue="article"\} ([\d.]+)/m)).toBeGreaterThanOrEqual(1.4);
    expect(value(/^wirewatch_queue_oldest_waiting_seconds\{queue="digest"\} ([\d.]+)/m)).toBe(0);
    expect(value(/^wirewatch_jobs_total\{queue="poll",outcome="completed"\} (\d+)/m)).toBe(1);
    expect(value(/^wirewatch_jobs_total\{queue="poll",outcome="retry"\} (\d+)/m)).toBe(1);
    expect(value(/^wirewatch_jobs_total\{queue="poll",outcome="failed"\} (\d+)/m)).toBe(2);
    expect(value(/^wirewatch_feeds_failing (\d+)/m)).toBe(1);
    expect(value(/^wirewatch_feed_consecutive_failures\{feed="bad"\} (\d+)/m)).toBe(3);
    expect(value(/^wirewatch_feed_consecutive_failures\{feed="good"\} (\d+)/m)).toBe(0);
    expect(value(/^wirewatch_fetch_errors_total\{kind="page",code="http_404"\} (\d+)/m)).toBe(1);
    expect(value(/^wirewatch_articles_classified_total\{topic="nato"\} (\d+)/m)).toBe(1);
    expect(value(/^wirewatch_articles_classified_total\{topic="none"\} (\d+)/m)).toBe(1);
    expect(value(/^wirewatch_publish_to_stored_seconds_bucket\{le="5"\} (\d+)/m)).toBe(1);
    expect(value(/^wirewatch_publish_to_stored_seconds_bucket\{le="2.5"\} (\d+)/m)).toBe(0);
    expect(value(/^wirewatch_stored_to_delivered_seconds_count (\d+)/m)).toBe(1);
    expect(value(/^wirewatch_reconciler_requeued_total\{how="retried"\} (\d+)/m)).toBe(2);
    expect(value(/^wirewatch_reconciler_requeued_total\{how="added"\} (\d+)/m)).toBe(0);
    expect(value(/^wirewatch_ops_source_up\{source="redis"\} (\d+)/m)).toBe(1);
    expect(value(/^wirewatch_ops_source_up\{source="store"\} (\d+)/m)).toBe(1);
  });
});

describe('metrics listener for worker processes', () => {
  it('serves /healthz open and /metrics behind the token, on a real port', async () => {
    const metrics = createOpsMetrics({ defaultMetrics: false });
    metrics.job('article', 'completed');
    const token = 'a-long-enough-test-token';
    const srv = await startMetricsServer({ registry: metrics.registry, queues, db: store.handle.db, redis: producer, host: '127.0.0.1', port: 0, auth: { token } });
    try {
      const base = `http://127.0.0.1:${srv.port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      const r = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(r.status).toBe(200);
      expect(await r.text()).toMatch(/^wirewatch_jobs_total\{queue="article",outcome="completed"\} 1$/m);
      expect((await fetch(`${base}/ops/queues`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
    } finally {
      await srv.close();
    }
  });
});

describe('Redis settings warnings', () => {
  it('warns about an evicting policy and AOF off; says nothing for noeviction + AOF', async () => {
    const bad = await startTestRedis({ appendonly: false, maxmemoryPolicy: 'allkeys-lru' });
    const good = await startTestRedis({ appendonly: true });
    const rb = new Redis(bad.url);
    const rg = new Redis(good.url);
    try {
      const w = await redisWarnings(rb);
      expect(w).toHaveLength(2);
      expect(w[0]).toMatch(/maxmemory-policy is "allkeys-lru", not "noeviction"/);
      expect(w[1]).toMatch(/AOF is off/);
      expect(await redisWarnings(rg)).toEqual([]);
    } finally {
      rb.disconnect();
      rg.disconnect();
      await bad.cleanup();
      await good.cleanup();
    }
  });
});

describe('metrics of a split worker process', () => {
  it('`wirewatch worker` with WIREWATCH_METRICS_PORT serves /metrics, /readyz; its jobs are counted', async () => {
    const { harness, simpleArticles, until } = await import('../support/pipeline.js');
    const { freePort } = await import('../support/private-redis.js');
    const h = await harness({ articles: simpleArticles(3) });
    try {
      const port = await freePort();
      const w = h.spawn(['worker', '--queues', 'poll,article'], { WIREWATCH_METRICS_PORT: String(port) });
      await w.waitLog((l) => l.msg === 'serving /metrics, /healthz, /readyz', 20_000, 'metrics listener');
      await h.pollAll();
      await until(() => h.count("SELECT count(*) n FROM items WHERE state = 'stored'") === 3, 30_000, 'items stored');
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(text).toMatch(/^wirewatch_jobs_total\{queue="article",outcome="completed"\} 3$/m);
      expect(text).toMatch(/^wirewatch_articles_classified_total\{topic="none"\} 3$/m);
      expect(text).toMatch(/^wirewatch_discovered_to_stored_seconds_count 3$/m);
      expect(text).toMatch(/^wirewatch_queue_jobs\{queue="article",state="completed"\} 3$/m);
      w.proc.kill('SIGTERM');
      expect(await w.exited).toBe(0);
    } finally {
      await h.cleanup();
    }
  }, 60_000);
});
