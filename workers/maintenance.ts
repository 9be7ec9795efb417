// The maintenance worker: a thin shell. The reconciler, the outbox sweeper and retention share one queue; the job
// name says which runs (pipeline/maintenance), one at a time.
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, type MaintenancePayload } from '../src/queue/names.js';
import { runMaintenance, type MaintenanceDeps } from '../src/pipeline/maintenance.js';

export interface MaintenanceWorkerDeps extends MaintenanceDeps {
  connection: Redis;
  prefix: string;
}

export function startMaintenanceWorker(d: MaintenanceWorkerDeps): Worker<MaintenancePayload> {
  return new Worker<MaintenancePayload>(QUEUES.maintenance, (job) => runMaintenance(d, job.name, job.id), {
    connection: d.connection,
    prefix: d.prefix,
    concurrency: 1,
  });
}
