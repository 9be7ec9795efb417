// G1 on the real queue: digest jobs added directly — a period that has not ended, an unknown digest id, malformed
// fire times — are refused by the digest worker (failed, no retry) and store and send nothing; a valid one builds.
// Plus the outbox sweeper's re-drive of a pending delivery through the same queue.
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { digestSchema } from '../../src/digest/config.js';
import { enqueueDigest, type Queues } from '../../src/queue/queues.js';
import { JOBS, jobIds } from '../../src/queue/names.js';
import { sweepOutbox } from '../../src/pipeline/sweep-outbox.js';
import { channelName, idempotencyKey } from '../../src/deliver/channel.js';
import { getOutbox } from '../../src/store/outbox.js';
import type { TestStore } from '../support/stores.js';
import { startDigestRig, useRedis, type DigestRig } from '../support/digest-queue.js';
import { until } from '../support/pipeline.js';

const NOW = new Date('2026-11-26T10:00:00.000Z'); // 12:00 in Kyiv: the 26th's 07:00 period has ended, the 27th's not
const redis = useRedis();
let rig: DigestRig | undefined;
let queues: Queues;
let store: TestStore;
const finished: { id: string; failed: boolean; reason?: string }[] = [];
const digest = digestSchema.parse({ id: 'morning', title: 'Morning', schedule: { at: '07:00', tz: 'Europe/Kyiv' }, channels: [{ type: 'files' }] });

afterEach(async () => {
  await rig?.close();
  finished.length = 0;
});

async function setup() {
  rig = await startDigestRig({ name: 'g1', redis, digest, now: () => NOW });
  ({ queues, store } = rig);
  rig.worker.on('completed', (job) => finished.push({ id: job.id!, failed: false }));
  rig.worker.on('failed', (job, err) => finished.push({ id: job!.id!, failed: true, reason: err.message }));
}

const rows = async () => ({
  digests: await store.handle.db.selectFrom('digests').select(['period']).execute(),
  outbox: await store.handle.db.selectFrom('outbox').select(['period', 'state']).execute(),
});

describe('digest jobs are checked, never trusted (G1)', () => {
  it('refuses a future period, an unknown digest and malformed fire times: failed once, nothing stored or sent', async () => {
    await setup();
    const bad: [string, Record<string, unknown>, RegExp][] = [
      ['future', { digestId: 'morning', fireTime: '2026-11-27T05:00:00.000Z' }, /period 2026-11-27 .*after now.*refused/],
      ['unknown', { digestId: 'nope', fireTime: '2026-11-26T05:00:00.000Z' }, /no digest "nope".*refused/],
      ['garbage', { digestId: 'morning', fireTime: 'tomorrow' }, /fire time "tomorrow" is not an ISO date/],
      ['number', { digestId: 'morning', fireTime: 1796017434902 }, /fire time 1796017434902 is not an ISO date/],
      ['no-period', { digestId: 'morning', period: '2026-11-20' }, /no stored period "2026-11-20"/],
    ];
    for (const [id, data] of bad) await queues.digest.add(JOBS.buildDigest, data as never, { jobId: id });
    await until(() => finished.length === bad.length, 15_000, 'every bad job finished');
    for (const [id, , reason] of bad) {
      const f = finished.find((x) => x.id === id)!;
      expect(f.failed, id).toBe(true);
      expect(f.reason, id).toMatch(reason);
      // UnrecoverableError: one attempt, no retry.
      expect((await queues.digest.getJob(id))!.attemptsMade, id).toBe(1);
    }
    expect(await rows()).toEqual({ digests: [], outbox: [] });

    // The real digest of the 26th is still possible afterwards.
    await queues.digest.add(JOBS.buildDigest, { digestId: 'morning', fireTime: '2026-11-26T05:00:00.000Z' }, { jobId: 'good' });
    await until(() => finished.some((x) => x.id === 'good'), 15_000, 'good job');
    expect(finished.find((x) => x.id === 'good')!.failed).toBe(false);
    expect(await rows()).toEqual({ digests: [{ period: '2026-11-26' }], outbox: [{ period: '2026-11-26', state: 'sent' }] });
  });

  it('the sweeper re-drives a pending delivery through the queue: sent once', async () => {
    await setup();
    await queues.digest.add(JOBS.buildDigest, { digestId: 'morning', fireTime: '2026-11-26T05:00:00.000Z' }, { jobId: 'first' });
    await until(() => finished.length === 1, 15_000, 'first build');
    // A delivery left pending (its job ran out of attempts): the sweeper enqueues the stored period again.
    const db = store.handle.db;
    await db.updateTable('outbox').set({ state: 'pending', updated_at: '2026-11-26T05:00:00.000Z' }).execute();
    const swept = await sweepOutbox({
      db, log: createLogger({ level: 'silent', pretty: false }), leaseMs: 15 * 60_000, repeatable: () => true, now: () => NOW,
      redrive: (d, p) => enqueueDigest(queues, d, p, jobIds.redrive(d, p, 0)),
    });
    expect(swept).toEqual({ unknown: 0, repending: 0, redriven: 1 });
    await until(() => finished.length === 2, 15_000, 're-driven job');
    expect(finished[1]).toMatchObject({ id: 'redrive-morning-2026-11-26-0', failed: false });
    const row = await getOutbox(db, { digestId: 'morning', period: '2026-11-26', channel: channelName(digest.channels[0]) });
    expect(row).toMatchObject({ state: 'sent', attempts: 2, idempotency_key: idempotencyKey('morning', '2026-11-26', 'files') });
  });
});
