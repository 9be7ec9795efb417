// The digest worker: a thin shell. Checks the job against its scheduled fire time (never the wall clock: a late
// or repeated run must build the same period) and refuses one it must not run (G1), then calls pipeline/digest
// and logs one line.
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Logger } from '../src/log.js';
import { QUEUES, type DigestPayload } from '../src/queue/names.js';
import { repeatStrategy } from '../src/queue/repeat.js';
import type { Database } from '../src/store/schema.js';
import type { DigestConfig } from '../src/digest/config.js';
import { checkDigestJob, runDigest } from '../src/pipeline/digest.js';
import { isPermanent } from '../src/errors.js';

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

export function startDigestWorker(d: DigestWorkerDeps): Worker<DigestPayload> {
  return new Worker<DigestPayload>(
    QUEUES.digest,
    async (job) => {
      if (d.others?.names.includes(job.name)) return d.others.run(job);
      const started = Date.now();
      const log = d.log.child({ stage: 'digest', job_id: job.id, digest_id: job.data.digestId });
      const now = d.now ?? (() => new Date());
      let checked: Awaited<ReturnType<typeof checkDigestJob>>;
      try {
        checked = await checkDigestJob(d.db, job, d.digestById, now());
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
    // The job scheduler creates each next digest job from this worker: the same strategy as the queue's.
    { connection: d.connection, prefix: d.prefix, concurrency: d.concurrency, settings: { repeatStrategy } },
  );
}
