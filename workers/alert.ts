// The alert worker: a thin shell. `evaluate-alerts` checks a stored article against the alert rules; `send-alert`
// builds and delivers a due alert message. Concurrency 1 by design: one worker orders a rule's triggers and its
// message claims, so no trigger can slip between a message's claim and the next window's job.
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../src/log.js';
import { isPermanent } from '../src/errors.js';
import { JOBS, QUEUES, type EvaluateAlertsPayload, type SendAlertPayload } from '../src/queue/names.js';
import { evaluateItem, sendAlert, type AlertDeps } from '../src/pipeline/alert.js';

export interface AlertWorkerDeps extends Omit<AlertDeps, 'alerts' | 'topics' | 'log'> {
  connection: Redis;
  prefix: string;
  log: Logger;
  /** Current rules and topics (reloadable). */
  alerts: () => AlertDeps['alerts'];
  topics: () => AlertDeps['topics'];
}

type Payload = EvaluateAlertsPayload | SendAlertPayload;

export function startAlertWorker(d: AlertWorkerDeps): Worker<Payload> {
  return new Worker<Payload>(
    QUEUES.alert,
    async (job: Job<Payload>) => {
      const started = Date.now();
      const log = d.log.child({ stage: 'alert', job_id: job.id });
      const deps: AlertDeps = { ...d, log, alerts: d.alerts(), topics: d.topics() };
      try {
        if (job.name === JOBS.sendAlert) {
          const res = await sendAlert(deps, job.data as SendAlertPayload);
          log.info({ ...res, alert_id: (job.data as SendAlertPayload).alertId, duration_ms: Date.now() - started }, 'alert send');
          return res;
        }
        const fired = await evaluateItem(deps, (job.data as EvaluateAlertsPayload).itemId);
        if (fired.length) log.info({ item_id: (job.data as EvaluateAlertsPayload).itemId, fired, duration_ms: Date.now() - started }, 'alert fired');
        return { fired: fired.length };
      } catch (err) {
        log.warn({ err, attempt: job.attemptsMade + 1 }, 'alert job failed');
        if (isPermanent(err)) throw new UnrecoverableError((err as Error).message);
        throw err;
      }
    },
    { connection: d.connection, prefix: d.prefix, concurrency: 1 },
  );
}
