// The alert jobs' shell (they run on the digest queue, whose worker hands them here): `evaluate-alerts` checks a
// stored article against the alert rules; `send-alert` builds and delivers a due alert message. The digest queue's
// concurrency (1 by default) orders a rule's triggers and its message claims; sendAlert also reschedules any story a
// message did not carry, so a race cannot strand one.
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from '../src/log.js';
import { isPermanent } from '../src/errors.js';
import { JOBS, type EvaluateAlertsPayload, type SendAlertPayload } from '../src/queue/names.js';
import { evaluateItem, sendAlert, type AlertDeps } from '../src/pipeline/alert.js';

export interface AlertWorkerDeps extends Omit<AlertDeps, 'alerts' | 'topics' | 'log'> {
  log: Logger;
  /** Current rules and topics (reloadable). */
  alerts: () => AlertDeps['alerts'];
  topics: () => AlertDeps['topics'];
}

type Payload = EvaluateAlertsPayload | SendAlertPayload;

export const ALERT_JOBS: string[] = [JOBS.evaluateAlerts, JOBS.sendAlert];

export function alertProcessor(d: AlertWorkerDeps): (job: Job) => Promise<unknown> {
  return async (job: Job<Payload>) => {
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
  };
}
