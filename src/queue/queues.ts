// Producers: one BullMQ Queue per queue key, with the default job options from names.ts, and the enqueue helpers
// every producer uses (poll worker, scheduler, reconciler, CLI). Nothing else calls queue.add directly.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { repeatStrategy } from './repeat.js';
import { ALL_QUEUES, ARTICLE_FIFO_PER_FEED, DEFAULT_JOB_OPTIONS, JOB_OPTIONS, JOBS, MAX_PRIORITY, QUEUES, jobIds, type ArticlePayload, type DigestPayload, type EvaluateAlertsPayload, type PollPayload, type QueueKey, type SendAlertPayload, type WebsubPushPayload, type WebsubSubscribePayload } from './names.js';

export type Queues = Record<QueueKey, Queue>;

export function createQueues(connection: Redis, prefix: string): Queues {
  const out = {} as Queues;
  for (const k of ALL_QUEUES) out[k] = new Queue(QUEUES[k], { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS[k], settings: { repeatStrategy } });
  return out;
}

export async function closeQueues(q: Queues): Promise<void> {
  await Promise.allSettled(Object.values(q).map((x) => x.close()));
}

/**
 * Enqueue article jobs for recorded items. Same item + same content → same job id → one job (Q7). Feeds take turns
 * (C3): the first `fifoPerFeed` items of each feed in the call go to the plain FIFO queue, the rest get the BullMQ
 * priority of their rank within their feed, so a feed that lists 200 items this poll does not sit in front of the
 * next poll's handful from another feed (BullMQ runs un-prioritised jobs first, then by priority, FIFO within one).
 */
export async function enqueueItems(
  q: Queues,
  items: { itemId: string; feedId: string; contentHash: string; discoveredAt?: string }[],
  opts: { fast?: boolean; fifoPerFeed?: number } = {},
): Promise<void> {
  if (!items.length) return;
  const fifo = Math.max(1, opts.fifoPerFeed ?? ARTICLE_FIFO_PER_FEED);
  const seen = new Map<string, number>();
  await q.article.addBulk(
    items.map((it) => {
      const rank = seen.get(it.feedId) ?? 0;
      seen.set(it.feedId, rank + 1);
      return {
      name: JOBS.processArticle,
      data: { itemId: it.itemId, feedId: it.feedId, discoveredAt: it.discoveredAt } satisfies ArticlePayload,
      opts: {
        ...(rank >= fifo ? { priority: Math.min(MAX_PRIORITY, rank - fifo + 1) } : {}),
        jobId: jobIds.article(it.itemId, it.contentHash),
        // run --once must drain in seconds, not wait out a 10-minute backoff ladder.
        ...(opts.fast ? { attempts: 2, backoff: { type: 'fixed', delay: 500 } } : {}),
      },
      };
    }),
  );
}

/**
 * Enqueue one digest job outside its schedule (catch-up, the sweeper's re-drive). `fireTime` defaults to the end
 * of the stored period the job re-delivers; the worker checks it either way (G1).
 */
export async function enqueueDigest(q: Queues, digestId: string, period: string, jobId: string, fireTime?: Date): Promise<void> {
  const data: DigestPayload = { digestId, ...(fireTime ? { fireTime: fireTime.toISOString() } : { period }) };
  await q.digest.add(JOBS.buildDigest, data, { jobId });
}

/** Jobs not yet finished in a queue (waiting, active, delayed, prioritized, waiting-children). */
export async function pendingCount(queue: Queue): Promise<number> {
  const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
  return Object.values(c).reduce((a, b) => a + b, 0);
}

/** Evaluate the alert rules for a stored item (once per item). */
export async function enqueueAlertEval(q: Queues, data: EvaluateAlertsPayload): Promise<void> {
  await q.digest.add(JOBS.evaluateAlerts, data, { ...JOB_OPTIONS.evaluateAlerts, jobId: jobIds.alertEval(data.itemId) });
}

/** Send the alert message of a rule and topic when it is due (a delayed job; one per rule, topic and due time). */
export async function enqueueAlertSend(q: Queues, data: SendAlertPayload, now = Date.now()): Promise<void> {
  const due = Date.parse(data.dueAt);
  await q.digest.add(JOBS.sendAlert, data, { ...JOB_OPTIONS.sendAlert, jobId: jobIds.alertSend(data.alertId, data.topicId, due), delay: Math.max(0, due - now) });
}

/**
 * The next poll of a feed, delayed to the time its plan chose. The feed's job scheduler ticks every min_interval_s
 * and polls only feeds that are due, so without this a 300 s interval jittered to 310 s would wait for the 600 s tick.
 */
export async function enqueuePollAt(q: Queues, feedId: string, nextPollAt: string, now = Date.now()): Promise<void> {
  const at = Date.parse(nextPollAt);
  if (!Number.isFinite(at)) return;
  await q.poll.add(JOBS.pollFeed, { feedId } satisfies PollPayload, { jobId: jobIds.pollAt(feedId, at), delay: Math.max(0, at - now) });
}

/** Ask a feed's hub for pushes (the job checks whether it is due); `at` delays it (a renewal before the lease ends). */
export async function enqueueWebsubSubscribe(q: Queues, data: WebsubSubscribePayload, jobId: string, at?: Date): Promise<void> {
  await q.poll.add(JOBS.websubSubscribe, data, { ...JOB_OPTIONS.websubSubscribe, jobId, ...(at ? { delay: Math.max(0, at.getTime() - Date.now()) } : {}) });
}

/** Record a verified push. */
export async function enqueueWebsubPush(q: Queues, data: WebsubPushPayload, jobId: string): Promise<void> {
  await q.poll.add(JOBS.websubPush, data, { ...JOB_OPTIONS.websubPush, jobId });
}
