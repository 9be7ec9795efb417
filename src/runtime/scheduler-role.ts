// The scheduler role: registers every feed's and digest's job scheduler (an idempotent upsert, so any number of
// schedulers may run), enqueues the digests a stopped service missed, and keeps the schedules in Redis while it runs
// (the schedule guard re-registers them when Redis lost them).
import type { Config } from '../config/load.js';
import { jobIds } from '../queue/names.js';
import { enqueueDigest } from '../queue/queues.js';
import { applySchedules } from '../scheduler.js';
import { catchUpDigests } from '../pipeline/catch-up.js';
import type { Closer } from './closer.js';
import type { Resources } from './resources.js';
import { startScheduleGuard } from './schedule-guard.js';

export interface SchedulerRole {
  /** Register the schedules of `next` (feeds and digests added, changed or removed). */
  apply(next: Config): Promise<void>;
}

export async function startSchedulerRole(
  res: Resources,
  closer: Closer,
  o: { once?: boolean; reapply: () => Promise<void> },
): Promise<SchedulerRole> {
  const { cfg, log, queues, store } = res;
  const apply = (next: Config) =>
    applySchedules(store.db, queues, {
      feeds: next.feeds, digests: next.digests, checkIntervalS: next.poll.min_interval_s, reconcileEveryS: next.workers.reconcile_every_s,
    });
  await apply(cfg);
  log.info({ feeds: cfg.feeds.length, digests: cfg.digests.length }, 'schedules registered');
  if (o.once) return { apply };
  await catchUpDigests({
    db: store.db, log, digests: cfg.digests, horizonDays: cfg.workers.digest_catch_up_days,
    enqueue: (digestId, fireTime, period) => enqueueDigest(queues, digestId, period, jobIds.digest(digestId, period), fireTime),
  });
  const guard = startScheduleGuard({
    maintenance: queues.maintenance, schedulerId: jobIds.reconcileScheduler, everyMs: Math.max(5, cfg.workers.reconcile_every_s) * 1000, log,
    reapply: o.reapply,
  });
  closer.add('schedule guard', () => guard.close());
  return { apply };
}
