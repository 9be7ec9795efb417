// `run --once`: poll every feed once, drain the queues, build the digests, stop. For cron users and tests.
import { Cron } from 'croner';
import type { Logger } from '../log.js';
import type { DigestConfig } from '../digest/config.js';
import { upsertFeeds } from '../store/feeds.js';
import { JOBS, jobIds, type PollPayload } from '../queue/names.js';
import { pendingCount } from '../queue/queues.js';
import { cronFor } from '../scheduler.js';
import type { Service } from './service.js';

export interface OnceResult {
  feeds: number;
  drained: boolean;
  digests: { digestId: string; period: string; built: boolean }[];
}

/** The latest scheduled fire time of a digest at or before `now` (searching back at most 8 days). */
export function lastFireAtOrBefore(d: DigestConfig, now: Date): Date | undefined {
  const cron = new Cron(cronFor(d), { timezone: d.schedule.tz, paused: true });
  let t = cron.nextRun(new Date(now.getTime() - 8 * 24 * 3600 * 1000));
  let last: Date | undefined;
  for (let i = 0; t && t.getTime() <= now.getTime() && i < 20_000; i++) {
    last = t;
    t = cron.nextRun(t);
  }
  return last;
}

export async function runOnce(svc: Service, log: Logger, opts: { drainTimeoutMs: number; buildDigests: (now: Date) => Promise<OnceResult['digests']> }): Promise<OnceResult> {
  const { cfg, store, queues } = svc;
  const started = Date.now();
  await upsertFeeds(store.db, cfg.feeds, new Date().toISOString());
  await queues.poll.addBulk(
    cfg.feeds.map((f) => ({ name: JOBS.pollFeed, data: { feedId: f.id, force: true } satisfies PollPayload, opts: { jobId: jobIds.pollOnce(f.id, started), attempts: 1 } })),
  );
  // Drained when poll and article queues hold nothing unfinished, twice in a row (a poll may be enqueuing).
  let quiet = 0;
  let drained = false;
  while (Date.now() - started < opts.drainTimeoutMs) {
    const n = (await pendingCount(queues.poll)) + (await pendingCount(queues.article));
    quiet = n === 0 ? quiet + 1 : 0;
    if (quiet >= 2) {
      drained = true;
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  if (!drained) log.warn({ timeout_ms: opts.drainTimeoutMs }, 'run --once: queues did not drain in time; building digests with what is stored');
  const digests = await opts.buildDigests(new Date());
  log.info({ feeds: cfg.feeds.length, drained, duration_ms: Date.now() - started, digests }, 'run --once finished');
  return { feeds: cfg.feeds.length, drained, digests };
}
