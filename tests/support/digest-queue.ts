// The digest path on the real queue: a digest worker on a private Redis prefix, a fresh SQLite store and output
// folder, torn down by close(). The fault tests of digest jobs (faults/digest-jobs, faults/clock) start here.
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { createLogger } from '../../src/log.js';
import type { DigestConfig } from '../../src/digest/config.js';
import { createQueues, closeQueues, type Queues } from '../../src/queue/queues.js';
import { producerConnection, workerConnection } from '../../src/queue/connection.js';
import { startDigestWorker } from '../../workers/digest.js';
import { dropRedisPrefix } from './cli.js';
import { sqliteStore, tempDir, type TestStore } from './stores.js';

const REDIS = 'redis://127.0.0.1:6379';

/** A producer and a worker connection opened before the file's tests and closed after them. */
export function useRedis(): { producer: () => Redis; worker: () => Redis } {
  let producer: Redis;
  let worker: Redis;
  beforeAll(async () => {
    producer = producerConnection(REDIS);
    worker = workerConnection(REDIS);
    await new Promise((r) => producer.once('ready', r));
  });
  afterAll(() => {
    producer.disconnect();
    worker.disconnect();
  });
  return { producer: () => producer, worker: () => worker };
}

export interface DigestRig {
  prefix: string;
  queues: Queues;
  store: TestStore;
  out: string;
  worker: Worker;
  /** Worker, queues, store, Redis keys and output folder: everything the rig opened. */
  close(): Promise<void>;
}

export async function startDigestRig(o: {
  name: string;
  redis: ReturnType<typeof useRedis>;
  digest: DigestConfig;
  /** The worker's wall clock (default: the real one). */
  now?: () => Date;
}): Promise<DigestRig> {
  const prefix = `${o.name}-${randomUUID().slice(0, 8)}`;
  const queues = createQueues(o.redis.producer(), prefix);
  const store = await sqliteStore();
  const out = tempDir(`ww-${o.name}-`);
  const worker = startDigestWorker({
    connection: o.redis.worker(), prefix, log: createLogger({ level: 'silent', pretty: false }), db: store.handle.db, outputDir: out, concurrency: 1,
    digestById: (id) => (id === o.digest.id ? o.digest : undefined), topics: () => [{ id: 'nato', title: 'NATO' }], now: o.now,
  });
  const close = async () => {
    await worker.close();
    await closeQueues(queues);
    await store.cleanup();
    await dropRedisPrefix(prefix);
    fs.rmSync(out, { recursive: true, force: true });
  };
  return { prefix, queues, store, out, worker, close };
}
