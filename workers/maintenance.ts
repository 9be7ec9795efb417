// The maintenance worker: runs the reconciler on its job scheduler's tick. Thin shell.
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../src/log.js';
import { QUEUES, type MaintenancePayload } from '../src/queue/names.js';
import { reconcile, type ReconcileDeps } from '../src/pipeline/reconcile.js';

export function startMaintenanceWorker(d: ReconcileDeps & { connection: Redis; prefix: string; log: Logger }): Worker<MaintenancePayload> {
  return new Worker<MaintenancePayload>(
    QUEUES.maintenance,
    async (job) => {
      const started = Date.now();
      const res = await reconcile(d);
      const log = d.log.child({ stage: 'reconcile', job_id: job.id });
      if (res.requeued) log.warn({ requeued: res.requeued, duration_ms: Date.now() - started }, 'reconciler re-enqueued items whose jobs were lost');
      return res;
    },
    { connection: d.connection, prefix: d.prefix, concurrency: 1 },
  );
}
