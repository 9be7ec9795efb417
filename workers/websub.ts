// The WebSub jobs' shell (they run on the poll queue, whose worker hands them here): `websub-subscribe` asks a feed's
// hub for pushes (or renews the lease); `websub-push` records a verified push's entries and enqueues them like a poll's.
import type { Job } from 'bullmq';
import type { Logger } from '../src/log.js';
import type { FeedSource } from '../src/model.js';
import { JOBS, type WebsubPushPayload, type WebsubSubscribePayload } from '../src/queue/names.js';
import type { Queues } from '../src/queue/queues.js';
import { enqueueRecorded } from '../src/pipeline/requeue.js';
import { recordPush, subscribe, type PushDeps, type SubscribeDeps } from '../src/pipeline/websub.js';

export interface WebsubWorkerDeps extends Omit<SubscribeDeps, 'log'>, PushDeps {
  queues: Queues;
  log: Logger;
  feedById: (id: string) => FeedSource | undefined;
}

type Payload = WebsubSubscribePayload | WebsubPushPayload;

export const WEBSUB_JOBS: string[] = [JOBS.websubSubscribe, JOBS.websubPush];

export function websubProcessor(d: WebsubWorkerDeps): (job: Job) => Promise<unknown> {
  return async (job: Job<Payload>) => {
      const started = Date.now();
      const feed = d.feedById(job.data.feedId);
      if (!feed) return { status: 'removed' };
      const log = d.log.child({ stage: 'websub', job_id: job.id, feed_id: feed.id });
      if (job.name === JOBS.websubSubscribe) {
        const p = job.data as WebsubSubscribePayload;
        const status = await subscribe({ ...d, log }, feed.id, p.hub, p.topic, { force: p.force });
        return { status };
      }
      const p = job.data as WebsubPushPayload;
      const res = await recordPush(d, feed, Buffer.from(p.body, 'base64'), p.contentType);
      const ids = [...res.created, ...res.edited];
      // Discovered when the hub pushed it: the article latency counts from there.
      const items = ids.map((itemId) => ({ itemId, feedId: feed.id, contentHash: res.contentHashes[itemId], discoveredAt: p.receivedAt }));
      await enqueueRecorded(d.queues, d.db, items, { log });
      log.info({ status: 'pushed', new_items: res.created.length, edited_items: res.edited.length, duration_ms: Date.now() - started }, 'websub push');
      return { status: 'pushed', created: res.created.length };
  };
}
