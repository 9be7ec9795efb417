// The scheduler: makes the store's feed table match the configuration and registers one BullMQ job scheduler per
// feed (its check interval), one per digest (its cron pattern in its IANA zone; the queue computes each next fire
// with digest/period.ts through queue/repeat.ts) and one each for the reconciler, the outbox sweeper and retention
// on the maintenance queue. Schedulers for feeds and digests no longer configured are removed. Idempotent: run it
// at every start and on reload.
import type { Kysely } from 'kysely';
import type { FeedSource } from './model.js';
import type { DigestConfig } from './digest/config.js';
import { cronFor } from './digest/period.js';
import type { Database } from './store/schema.js';
import { upsertFeeds } from './store/feeds.js';
import { firstPollDelayMs } from './feeds/poll-policy.js';
import { JOBS, jobIds, type DigestPayload, type PollPayload } from './queue/names.js';
import type { Queues } from './queue/queues.js';

export interface ScheduleInput {
  feeds: FeedSource[];
  digests: DigestConfig[];
  /** How often a feed without a fixed interval is checked; the poll worker skips it until its next_poll_at. */
  checkIntervalS: number;
  reconcileEveryS: number;
}

/**
 * Upserts in flight at once. ioredis writes every command as it is issued, so a window of concurrent upserts is one
 * pipelined stream on the connection instead of a round trip each: 10,000 feeds start in about a second, not five
 * (issue 15). Bounded so a huge feed list does not queue every script call in memory at once.
 */
const UPSERT_WINDOW = 256;

async function inWindows<T>(items: T[], fn: (t: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += UPSERT_WINDOW) await Promise.all(items.slice(i, i + UPSERT_WINDOW).map(fn));
}

export async function applySchedules(db: Kysely<Database>, q: Queues, s: ScheduleInput, now = new Date()): Promise<void> {
  await upsertFeeds(db, s.feeds, now.toISOString());
  const wanted = new Set<string>();
  await inWindows(s.feeds, (f) => {
    const id = jobIds.feedScheduler(f.id);
    wanted.add(id);
    const everyS = f.interval_s ?? s.checkIntervalS;
    return q.poll.upsertJobScheduler(
      id,
      // First polls are spread over the interval so 1,000 feeds do not fire at once.
      { every: everyS * 1000, startDate: new Date(now.getTime() + firstPollDelayMs(f.id, Math.min(everyS, 60))) },
      { name: JOBS.pollFeed, data: { feedId: f.id } satisfies PollPayload },
    );
  });
  await inWindows(s.digests, (d) => {
    const id = jobIds.digestScheduler(d.id);
    wanted.add(id);
    return q.digest.upsertJobScheduler(id, { pattern: cronFor(d), tz: d.schedule.tz }, { name: JOBS.buildDigest, data: { digestId: d.id } satisfies DigestPayload });
  });
  for (const queue of [q.poll, q.digest]) {
    const stale = (await queue.getJobSchedulers(0, -1)).filter((sch) => sch.key && !wanted.has(sch.key));
    await inWindows(stale, (sch) => queue.removeJobScheduler(sch.key));
  }
  await q.maintenance.upsertJobScheduler(jobIds.reconcileScheduler, { every: s.reconcileEveryS * 1000 }, { name: JOBS.reconcile, data: {} });
  await q.maintenance.upsertJobScheduler(jobIds.sweepScheduler, { every: s.reconcileEveryS * 1000 }, { name: JOBS.sweepOutbox, data: {} });
  // Retention works in small batches; hourly keeps each run short.
  await q.maintenance.upsertJobScheduler(jobIds.pruneScheduler, { every: 3600_000 }, { name: JOBS.prune, data: {} });
}
