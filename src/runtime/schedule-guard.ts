// Job schedulers live in Redis: a Redis wiped or restarted without AOF (Q5) loses them, and then nothing polls and
// the reconciler never runs again. The scheduler role checks every `everyMs` that the reconciler's scheduler exists
// and, when it is gone, registers every schedule again (applySchedules is an idempotent upsert).
import type { Queue } from 'bullmq';
import type { Logger } from '../log.js';

export interface ScheduleGuard {
  /** Check now; resolves true when the schedules had to be registered again. */
  check(): Promise<boolean>;
  close(): void;
}

export function startScheduleGuard(o: { maintenance: Queue; schedulerId: string; everyMs: number; reapply: () => Promise<void>; log: Logger }): ScheduleGuard {
  let running: Promise<boolean> | undefined;
  const check = (): Promise<boolean> =>
    (running ??= (async () => {
      try {
        if (await o.maintenance.getJobScheduler(o.schedulerId)) return false;
        o.log.warn('job schedulers are missing from Redis (wiped, or restarted without AOF): registering them again; the reconciler re-enqueues lost items');
        await o.reapply();
        return true;
      } catch (err) {
        // Redis down: the next tick tries again.
        o.log.debug({ err: (err as Error).message }, 'schedule guard: check failed');
        return false;
      } finally {
        running = undefined;
      }
    })());
  const t = setInterval(() => void check(), o.everyMs);
  t.unref();
  return { check, close: () => clearInterval(t) };
}
