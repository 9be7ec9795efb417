// The digest worker: a thin shell. Works out the scheduled fire time of this run (never the wall clock: a late or
// repeated run must build the same period), refuses a job it must not run (G1), calls digest/run, logs one line.
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Logger } from '../src/log.js';
import { QUEUES, type DigestPayload } from '../src/queue/names.js';
import type { Database } from '../src/store/schema.js';
import type { DigestConfig } from '../src/digest/config.js';
import { assertRunnable, runDigest } from '../src/digest/run.js';
import { isPermanent, PermanentError } from '../src/errors.js';
import { getDigestRow } from '../src/store/digests.js';

export interface DigestWorkerDeps {
  connection: Redis;
  prefix: string;
  log: Logger;
  db: Kysely<Database>;
  outputDir: string;
  digestById: (id: string) => DigestConfig | undefined;
  topics: () => { id: string; title: string }[];
  baseUrl?: string;
  concurrency: number;
  /** Wall clock (tests inject one). */
  now?: () => Date;
  /** Other jobs on this queue by name (the alert jobs, workers/alert.ts). */
  others?: { names: string[]; run: (job: Job) => Promise<unknown> };
}

/**
 * The slot this run belongs to: a manual job names it; a scheduler-made job carries it as `opts.prevMillis`
 * (BullMQ's job scheduler records the slot it computed), else it is the creation time plus the delay to the slot.
 */
export function fireTimeOf(job: Pick<Job<DigestPayload>, 'data' | 'timestamp' | 'opts'>): Date | string {
  // A fire time from job data is checked (assertRunnable), never trusted: it may be malformed or in the future.
  if (job.data.fireTime !== undefined) return job.data.fireTime;
  const slot = (job.opts as { prevMillis?: number }).prevMillis;
  return new Date(typeof slot === 'number' && slot > 0 ? slot : job.timestamp + (job.opts.delay ?? 0));
}

export function startDigestWorker(d: DigestWorkerDeps): Worker<DigestPayload> {
  return new Worker<DigestPayload>(
    QUEUES.digest,
    async (job) => {
      if (d.others?.names.includes(job.name)) return d.others.run(job);
      const started = Date.now();
      const log = d.log.child({ stage: 'digest', job_id: job.id, digest_id: job.data.digestId });
      const now = d.now ?? (() => new Date());
      let checked: ReturnType<typeof assertRunnable>;
      try {
        let fire = fireTimeOf(job);
        if (job.data.fireTime === undefined && job.data.period !== undefined) {
          // A re-drive of a stored period: its fire time is the stored period's end.
          const row = await getDigestRow(d.db, String(job.data.digestId), String(job.data.period));
          if (!row) throw new PermanentError('unknown_period', `digest: ${job.data.digestId}: no stored period ${JSON.stringify(job.data.period)}; job refused`);
          fire = row.period_end;
        }
        checked = assertRunnable(job.data.digestId, d.digestById(job.data.digestId), fire, now());
      } catch (err) {
        log.error({ err: (err as Error).message, code: isPermanent(err) ? err.code : undefined }, 'digest job refused');
        throw new UnrecoverableError((err as Error).message);
      }
      const res = await runDigest({
        db: d.db, log, outputDir: d.outputDir, digest: checked.digest, topics: d.topics(), fireTime: new Date(checked.period.end), baseUrl: d.baseUrl, now,
      });
      log.info({ period: res.period, built: res.built, deliveries: res.deliveries, duration_ms: Date.now() - started }, 'digest');
      return res;
    },
    { connection: d.connection, prefix: d.prefix, concurrency: d.concurrency },
  );
}
