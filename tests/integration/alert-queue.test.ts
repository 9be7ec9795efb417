// The alert path through real Redis: a stored article's evaluate-alerts job on the digest queue (the digest worker
// hands alert jobs to workers/alert.ts), the send-alert job it schedules, the webhook receiving the message once, and
// a digest job on the same queue still refused as before (the dispatch is by job name).
import pino from 'pino';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Worker } from 'bullmq';
import { createQueues, closeQueues, enqueueAlertEval, enqueueAlertSend, type Queues } from '../../src/queue/queues.js';
import { startDigestWorker } from '../../workers/digest.js';
import { ALERT_JOBS, alertProcessor } from '../../workers/alert.js';
import { alertSchema } from '../../src/alerts/config.js';
import { listOutbox } from '../../src/store/outbox.js';
import { seedStore } from '../unit/digest/helpers.js';
import { startWebhookSink } from '../unit/deliver/sinks.js';
import { sqliteStore, type TestStore } from '../support/stores.js';
import { dropRedisPrefix } from '../support/cli.js';
import { until } from '../support/pipeline.js';
import { useRedis } from '../support/digest-queue.js';

const TOPIC = { id: 'frozen-assets', title: 'Frozen assets' };
const ev = [{ rule: 'any[0]', term: 'frozen assets', field: 'title' as const, start: 0, end: 13, matched: 'frozen assets', weight: 3 }];

describe('alert jobs on the digest queue (real Redis)', () => {
  let store: TestStore;
  let prefix: string;
  const redis = useRedis();
  let queues: Queues;
  let worker: Worker;
  let hook: Awaited<ReturnType<typeof startWebhookSink>>;

  beforeEach(async () => {
    store = await sqliteStore();
    prefix = `test-${randomUUID()}`;
    queues = createQueues(redis.producer(), prefix);
    hook = await startWebhookSink();
    const rule = alertSchema.parse({ id: 'desk', title: 'Desk', trigger: { min_score: 5 }, channels: [{ type: 'webhook', url: hook.url, name: 'desk-hook' }] });
    const log = pino({ level: 'silent' });
    worker = startDigestWorker({
      connection: redis.worker(), prefix, log, db: store.handle.db, outputDir: '/nonexistent', digestById: () => undefined, topics: () => [TOPIC], concurrency: 1,
      others: { names: ALERT_JOBS, run: alertProcessor({ log, db: store.handle.db, alerts: () => [rule], topics: () => [TOPIC], schedule: (p) => enqueueAlertSend(queues, p) }) },
    });
  });
  afterEach(async () => {
    await worker.close();
    await closeQueues(queues);
    await dropRedisPrefix(prefix);
    await hook.close();
    await store.cleanup();
  });

  it('a stored matching article leaves as one alert; evaluating it again sends nothing more', async () => {
    const now = new Date().toISOString();
    await seedStore(store.handle.db, [{ itemId: 'x1', url: 'https://wire.example/x1', title: 'EU agrees loan from frozen assets', source: 'Wire', published: now, storedAt: now,
      lang: 'en', text: 'Leaders agreed a loan backed by frozen Russian assets.', topicId: TOPIC.id, score: 7, evidence: ev }]);
    await enqueueAlertEval(queues, { itemId: 'x1' });
    await until(() => hook.accepted().length === 1, 15_000, 'the alert webhook');
    await until(async () => (await listOutbox(store.handle.db, { digestId: 'alert:desk' }))[0]?.state === 'sent', 5_000, 'the outbox row');
    expect(JSON.parse(hook.accepted()[0].body).data.topics[0].stories[0].headline).toBe('EU agrees loan from frozen assets');
    // The same item evaluated again (a new job id is needed: the first is kept as completed): nothing new fires.
    await queues.digest.add('evaluate-alerts', { itemId: 'x1' }, { jobId: 'again-x1' });
    await until(async () => (await queues.digest.getJob('again-x1'))?.finishedOn !== undefined, 10_000, 'the repeated evaluation');
    expect(hook.accepted()).toHaveLength(1);
    // A digest job on the same queue still goes to the digest body: an unknown digest is refused, not taken for an alert.
    await queues.digest.add('build-digest', { digestId: 'nope', fireTime: now }, { jobId: 'digest-nope' });
    await until(async () => Boolean((await queues.digest.getJob('digest-nope'))?.failedReason), 10_000, 'the refused digest job');
    expect((await queues.digest.getJob('digest-nope'))!.failedReason).toMatch(/no digest "nope" is configured/);
  });
});
