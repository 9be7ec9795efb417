// The maintenance queue's work, chosen by job name, each on its own job scheduler's tick: the reconciler
// (reconcile.ts, re-enqueues items whose article job was lost; requeue.ts does the enqueueing), the outbox sweeper
// (sweep-outbox.ts) and retention (prune.ts). A job whose part is not configured in this process is skipped.
import type { Logger } from '../log.js';
import { JOBS } from '../queue/names.js';
import { prune, type PruneDeps } from './prune.js';
import { reconcile, type ReconcileDeps } from './reconcile.js';
import { sweepOutbox, type SweepDeps } from './sweep-outbox.js';

export interface MaintenanceDeps extends ReconcileDeps {
  log: Logger;
  sweep?: Omit<SweepDeps, 'db' | 'log'>;
  prune?: Omit<PruneDeps, 'db'>;
}

/** Run one maintenance job; `log` is the job's logger (stage set per part). Returns the job's result. */
export async function runMaintenance(d: MaintenanceDeps, jobName: string, jobId: string | undefined): Promise<unknown> {
  const started = Date.now();
  const log = (stage: string) => d.log.child({ stage, job_id: jobId });
  if (jobName === JOBS.sweepOutbox) {
    if (!d.sweep) return { skipped: true };
    return sweepOutbox({ ...d.sweep, db: d.db, log: log('sweep-outbox') });
  }
  if (jobName === JOBS.prune) {
    if (!d.prune) return { skipped: true };
    const res = await prune({ ...d.prune, db: d.db });
    if (res.articles || res.items) log('prune').info({ ...res, duration_ms: Date.now() - started }, 'retention: pruned');
    return res;
  }
  const res = await reconcile(d);
  if (res.requeued) log('reconcile').warn({ requeued: res.requeued, duration_ms: Date.now() - started }, 'reconciler re-enqueued items whose jobs were lost');
  return res;
}
