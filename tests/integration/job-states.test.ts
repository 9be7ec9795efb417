// jobStandings (queue/job-states.ts): one script call tells completed, failed, delayed, live and missing jobs apart —
// the same answers as BullMQ's own per-job getJobState, which it replaces for batches.
import { randomUUID } from 'node:crypto';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { producerConnection, workerConnection } from '../../src/queue/connection.js';
import { jobStandings } from '../../src/queue/job-states.js';
import { dropRedisPrefix } from '../support/cli.js';
import { until } from '../support/pipeline.js';

const REDIS = 'redis://127.0.0.1:6379';
const prefix = `jobstates-${randomUUID().slice(0, 8)}`;
let producer: Redis;
let wconn: Redis;
let queue: Queue;

beforeAll(async () => {
  producer = producerConnection(REDIS);
  wconn = workerConnection(REDIS);
  queue = new Queue('standings', { connection: producer, prefix });
});
afterAll(async () => {
  await queue.close();
  producer.disconnect();
  wconn.disconnect();
  await dropRedisPrefix(prefix);
});

describe('jobStandings', () => {
  it('tells completed, failed, delayed, live and missing apart, for more ids than one script call takes', async () => {
    const w = new Worker('standings', async (job) => {
      if (job.data.fail) throw new UnrecoverableError('no');
    }, { connection: wconn, prefix });
    await queue.add('j', {}, { jobId: 'done' });
    await queue.add('j', { fail: true }, { jobId: 'bad' });
    await until(async () => (await queue.getJobState('done')) === 'completed' && (await queue.getJobState('bad')) === 'failed', 10_000, 'the two jobs');
    await w.close();
    await queue.add('j', {}, { jobId: 'later', delay: 60_000 });
    await queue.add('j', {}, { jobId: 'queued' });
    await queue.add('j', {}, { jobId: 'ranked', priority: 3 });
    const many = Array.from({ length: 600 }, (_, i) => `nothing-${i}`);
    const got = await jobStandings(queue, ['done', 'bad', 'later', 'queued', 'ranked', ...many]);
    expect([...got].slice(0, 5)).toEqual([['done', 'completed'], ['bad', 'failed'], ['later', 'delayed'], ['queued', 'live'], ['ranked', 'live']]);
    expect(got.size).toBe(605);
    expect(many.every((id) => got.get(id) === 'missing')).toBe(true);
    // The same answers as BullMQ's per-job lookup.
    for (const id of ['done', 'bad', 'later']) expect(await queue.getJobState(id)).toBe(got.get(id));
    expect(await queue.getJobState('nothing-0')).toBe('unknown');
  });
});
