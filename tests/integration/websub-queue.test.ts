// A verified push through real Redis: the websub-push job on the poll queue (the poll worker hands WebSub jobs to
// workers/websub.ts) records the pushed entries and enqueues their article jobs at once; a repeated push of the same
// body is one job.
import pino from 'pino';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Worker } from 'bullmq';
import { createQueues, closeQueues, enqueueWebsubPush, type Queues } from '../../src/queue/queues.js';
import { jobIds } from '../../src/queue/names.js';
import { startPollWorker } from '../../workers/poll.js';
import { WEBSUB_JOBS, websubProcessor } from '../../workers/websub.js';
import { createFetcher } from '../../src/fetch/client.js';
import { DEFAULT_POLL_POLICY } from '../../src/feeds/poll-policy.js';
import { upsertFeeds } from '../../src/store/feeds.js';
import { requestSubscription } from '../../src/store/websub.js';
import { sqliteStore, type TestStore } from '../support/stores.js';
import { dropRedisPrefix } from '../support/cli.js';
import { until } from '../support/pipeline.js';
import { useRedis } from '../support/digest-queue.js';

const FEED = { id: 'wire', url: 'https://wire.example/rss' };
const body = (ids: string[]) => `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link><description>d</description>${
  ids.map((i) => `<item><title>Story ${i}</title><link>https://wire.example/${i}</link><guid>${i}</guid></item>`).join('')}</channel></rss>`;

describe('WebSub pushes on the poll queue (real Redis)', () => {
  let store: TestStore;
  let prefix: string;
  const redis = useRedis();
  let queues: Queues;
  let worker: Worker;
  const fetcher = createFetcher({ allowPrivateNetworks: false });

  beforeEach(async () => {
    store = await sqliteStore();
    prefix = `test-${randomUUID()}`;
    queues = createQueues(redis.producer(), prefix);
    const now = new Date().toISOString();
    await upsertFeeds(store.handle.db, [FEED], now);
    await requestSubscription(store.handle.db, { feedId: FEED.id, hub: 'https://hub.example/', topic: FEED.url, secret: 's'.repeat(20), now });
    const log = pino({ level: 'silent' });
    const feedById = (id: string) => (id === FEED.id ? FEED : undefined);
    worker = startPollWorker({
      connection: redis.worker(), prefix, log, db: store.handle.db, fetcher, queues, concurrency: 1, maxItems: 50, policy: DEFAULT_POLL_POLICY, feedById,
      others: { names: WEBSUB_JOBS, run: websubProcessor({ log, db: store.handle.db, fetcher, queues, callbackUrl: () => 'https://ww.example/websub/callback', leaseS: 3600, maxItems: 50, feedById }) },
    });
  });
  afterEach(async () => {
    await worker.close();
    await closeQueues(queues);
    await dropRedisPrefix(prefix);
    await store.cleanup();
  });
  afterAll(() => fetcher.close());

  it('records the pushed entries and enqueues their article jobs; the same body twice is one job', async () => {
    const b = Buffer.from(body(['p1', 'p2']));
    const push = { feedId: FEED.id, body: b.toString('base64'), contentType: 'application/rss+xml', receivedAt: new Date().toISOString() };
    await enqueueWebsubPush(queues, push, jobIds.websubPush(FEED.id, 'abcdef0123456789'));
    await enqueueWebsubPush(queues, push, jobIds.websubPush(FEED.id, 'abcdef0123456789'));
    await until(async () => (await queues.article.getJobCounts('waiting', 'prioritized')).waiting >= 2, 10_000, 'the article jobs');
    // The push job completes after it has enqueued them (and checked none had already finished elsewhere).
    await until(async () => (await queues.poll.getJobCounts('active')).active === 0, 10_000, 'the push job to complete');
    const items = await store.handle.db.selectFrom('items').select(['id']).where('feed_id', '=', FEED.id).execute();
    expect(items).toHaveLength(2);
    expect((await queues.article.getJobCounts('waiting')).waiting).toBe(2);
    expect((await queues.poll.getJobCounts('completed')).completed).toBe(1);
    const sub = await store.handle.db.selectFrom('websub_subscriptions').selectAll().executeTakeFirst();
    expect(sub).toMatchObject({ pushes: 1 });
  });
});
