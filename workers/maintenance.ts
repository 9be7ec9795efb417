// The maintenance worker: the reconciler, the outbox sweeper and retention, each on its job scheduler's tick,
// chosen by job name. Thin shell.
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../src/log.js';
import { JOBS, QUEUES, type MaintenancePayload } from '../src/queue/names.js';
import { reconcile, type ReconcileDeps } from '../src/pipeline/reconcile.js';
import { sweepOutbox, type SweepDeps } from '../src/pipeline/sweep-outbox.js';
import { prune, type PruneDeps } from '../src/pipeline/prune.js';

export interface MaintenanceWorkerDeps extends ReconcileDeps {
  connection: Redis;
  prefix: string;
  log: Logger;
  sweep?: Omit<SweepDeps, 'db' | 'log'>;
  prune?: Omit<PruneDeps, 'db'>;
}

export function startMaintenanceWorker(d: MaintenanceWorkerDeps): Worker<MaintenancePayload> {
  return new Worker<MaintenancePayload>(
    QUEUES.maintenance,
    async (job) => {
      const started = Date.now();
      if (job.name === JOBS.sweepOutbox) {
        if (!d.sweep) return { skipped: true };
        return sweepOutbox({ ...d.sweep, db: d.db, log: d.log.child({ stage: 'sweep-outbox', job_id: job.id }) });
      }
      if (job.name === JOBS.prune) {
        if (!d.prune) return { skipped: true };
        const res = await prune({ ...d.prune, db: d.db });
        if (res.articles || res.items) d.log.child({ stage: 'prune', job_id: job.id }).info({ ...res, duration_ms: Date.now() - started }, 'retention: pruned');
        return res;
      }
      const res = await reconcile(d);
      const log = d.log.child({ stage: 'reconcile', job_id: job.id });
      if (res.requeued) log.warn({ requeued: res.requeued, duration_ms: Date.now() - started }, 'reconciler re-enqueued items whose jobs were lost');
      return res;
    },
    { connection: d.connection, prefix: d.prefix, concurrency: 1 },
  );
}
