// Producers: one BullMQ Queue per queue key, with the default job options from names.ts, and the enqueue helpers
// every producer uses (poll worker, scheduler, reconciler, CLI). Nothing else calls queue.add directly.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { ALL_QUEUES, DEFAULT_JOB_OPTIONS, JOBS, QUEUES, jobIds, type ArticlePayload, type DigestPayload, type QueueKey } from './names.js';

export type Queues = Record<QueueKey, Queue>;

export function createQueues(connection: Redis, prefix: string): Queues {
  const out = {} as Queues;
  for (const k of ALL_QUEUES) out[k] = new Queue(QUEUES[k], { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS[k] });
  return out;
}

export async function closeQueues(q: Queues): Promise<void> {
  await Promise.allSettled(Object.values(q).map((x) => x.close()));
}

/** Enqueue article jobs for recorded items. Same item + same content → same job id → one job (Q7). */
export async function enqueueItems(
  q: Queues,
  items: { itemId: string; feedId: string; contentHash: string; discoveredAt?: string }[],
  opts: { fast?: boolean } = {},
): Promise<void> {
  if (!items.length) return;
  await q.article.addBulk(
    items.map((it) => ({
      name: JOBS.processItem,
      data: { itemId: it.itemId, feedId: it.feedId, discoveredAt: it.discoveredAt } satisfies ArticlePayload,
      opts: {
        jobId: jobIds.article(it.itemId, it.contentHash),
        // run --once must drain in seconds, not wait out a 10-minute backoff ladder.
        ...(opts.fast ? { attempts: 2, backoff: { type: 'fixed', delay: 500 } } : {}),
      },
    })),
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
