// The poll worker: a thin shell. Reads { feedId }, calls pipeline/poll, enqueues the new items, logs one line.
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../src/log.js';
import type { FeedSource } from '../src/model.js';
import { QUEUES, type PollPayload } from '../src/queue/names.js';
import { enqueuePollAt, type Queues } from '../src/queue/queues.js';
import { enqueueRecorded } from '../src/pipeline/requeue.js';
import { pollFeed, type PollDeps } from '../src/pipeline/poll.js';

export interface PollWorkerDeps extends PollDeps {
  connection: Redis;
  prefix: string;
  queues: Queues;
  log: Logger;
  concurrency: number;
  /** Current feeds (reloadable). */
  feedById: (id: string) => FeedSource | undefined;
  /** run --once: short retries for the article jobs it enqueues. */
  fast?: boolean;
  /** Other jobs on this queue by name (the WebSub jobs, workers/websub.ts). */
  others?: { names: string[]; run: (job: Job) => Promise<unknown> };
  /** After each poll (WebSub: subscribe when the feed advertises a hub). Must not throw. */
  onPolled?: (feed: FeedSource, res: Awaited<ReturnType<typeof pollFeed>>) => void;
}

export function startPollWorker(d: PollWorkerDeps): Worker<PollPayload> {
  return new Worker<PollPayload>(
    QUEUES.poll,
    async (job: Job<PollPayload>) => {
      if (d.others?.names.includes(job.name)) return d.others.run(job);
      const started = Date.now();
      const feed = d.feedById(job.data.feedId);
      if (!feed) return { status: 'removed' };
      const res = await pollFeed(d, feed, { force: job.data.force });
      let articleJobs: string[] = [];
      if (res.status === 'ok') {
        const discoveredAt = new Date().toISOString();
        const ids = [...res.created, ...res.edited];
        const items = ids.map((itemId) => ({ itemId, feedId: feed.id, contentHash: res.contentHashes[itemId], discoveredAt }));
        articleJobs = await enqueueRecorded(d.queues, d.db, items, { fast: d.fast, log: d.log.child({ stage: 'poll', feed_id: feed.id }) });
      }
      // Outside run --once: the next poll at the time the plan chose (the scheduler's tick is the safety net).
      if (!d.fast && res.status !== 'skipped') await enqueuePollAt(d.queues, feed.id, res.nextPollAt);
      d.onPolled?.(feed, res);
      const log = d.log.child({ stage: 'poll', job_id: job.id, feed_id: feed.id });
      const line = { status: res.status, duration_ms: Date.now() - started, next_poll_at: res.nextPollAt,
        ...(res.status === 'ok' ? { items: res.items, new_items: res.created.length, edited_items: res.edited.length } : {}),
        ...(res.status === 'error' ? { code: res.code, error: res.message } : {}) };
      if (res.status === 'error') log.warn(line, 'poll failed');
      else if (res.status !== 'skipped') log.info(line, 'polled');
      // articleJobs: what this poll enqueued, so `run --once` waits for exactly its own work.
      return res.status === 'ok' ? { status: res.status, created: res.created.length, articleJobs } : { status: res.status };
    },
    { connection: d.connection, prefix: d.prefix, concurrency: d.concurrency },
  );
}
