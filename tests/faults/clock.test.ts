// T1/T2 on the scheduler → worker path: digest jobs carry their fire time (timestamp + delay, as BullMQ's job
// scheduler makes them, next fire from the repeat strategy it is given — queue/repeat.ts — with the digest's cron
// and IANA zone), the real
// digest worker turns it into a period (fireTimeOf → periodFor) and the digests primary key (digest_id, period)
// makes the build a claim. T1: the wall clock jumps back an hour (the same slot fires again) or forward a day:
// one digest per day, never a second for the same day. T2: Europe/Paris DST transitions, for a daily 07:00 and for
// 02:30 (skipped in spring, doubled in autumn): exactly one digest per local day, delivered once.
import { afterEach, describe, expect, it } from 'vitest';
import { digestsSchema } from '../../src/digest/config.js';
import { cronFor, nextFireAfter } from '../../src/digest/period.js';
import { repeatStrategy } from '../../src/queue/repeat.js';
import { JOBS } from '../../src/queue/names.js';
import { startDigestRig, useRedis, type DigestRig } from '../support/digest-queue.js';
import { until } from '../support/pipeline.js';

const redis = useRedis();
let rig: DigestRig | undefined;

afterEach(async () => {
  await rig?.close();
});

async function setup(at: string, tz: string) {
  const digest = digestsSchema.parse([{ id: 'daily', title: 'Daily', schedule: { at, tz }, channels: [{ type: 'files' }] }])[0];
  rig = await startDigestRig({ name: 'clock', redis, digest });
  const { queues, store } = rig;
  const done: { id: string; result: { period: string; built: boolean } }[] = [];
  rig.worker.on('completed', (job, result) => done.push({ id: job.id!, result }));
  const repeat = { pattern: cronFor(digest), tz };
  /** What the job scheduler would enqueue when its clock reads `now`: the next slot, as timestamp + delay. */
  const fireFrom = async (now: Date): Promise<Date> => {
    const next = (await repeatStrategy(now.getTime(), repeat))!;
    await queues.digest.add(JOBS.buildDigest, { digestId: digest.id }, { jobId: `t-${now.getTime()}`, timestamp: now.getTime(), delay: next - now.getTime() });
    const n = done.length;
    await until(() => done.length > n, 15_000, `digest job for ${new Date(next).toISOString()}`);
    return new Date(next);
  };
  const rows = () => store.handle.db.selectFrom('digests').select(['period']).orderBy('period').execute().then((r) => r.map((x) => x.period));
  const outbox = () => store.handle.db.selectFrom('outbox').select(['period', 'state', 'attempts']).orderBy('period').execute();
  return { fireFrom, done, rows, outbox };
}

describe('digests under clock jumps and DST', () => {
  it('T1: clock back 1 h (same slot fires again) and forward 1 day → one digest per day', async () => {
    const s = await setup('07:00', 'Europe/Paris');
    const f1 = await s.fireFrom(new Date('2026-11-20T05:59:00Z')); // 06:59 Paris
    expect(f1.toISOString()).toBe('2026-11-20T06:00:00.000Z');
    // Ran at 07:00:01, then the clock jumps back an hour: the scheduler computes the same slot again.
    const f2 = await s.fireFrom(new Date(f1.getTime() + 1000 - 3600_000));
    expect(f2).toEqual(f1);
    // Clock forward a day (07:00:01 the next day): the next slot is the day after.
    const f3 = await s.fireFrom(new Date(f1.getTime() + 1000 + 24 * 3600_000));
    expect(f3.toISOString()).toBe('2026-11-22T06:00:00.000Z');
    expect(s.done.map((d) => d.result.built)).toEqual([true, false, true]);
    expect(await s.rows()).toEqual(['2026-11-20', '2026-11-22']);
    const ob = await s.outbox();
    expect(ob.map((o) => [o.period, o.state])).toEqual([['2026-11-20', 'sent'], ['2026-11-22', 'sent']]);
  });

  it('T2: Europe/Paris DST, daily 07:00 → one digest per local day across both transitions', async () => {
    const s = await setup('07:00', 'Europe/Paris');
    const fires: string[] = [];
    for (let now = new Date('2026-03-27T12:00:00Z'); fires.length < 4; ) {
      const f = await s.fireFrom(now);
      fires.push(f.toISOString());
      now = new Date(f.getTime() + 1000);
    }
    // 07:00 CET = 06:00Z before, 07:00 CEST = 05:00Z after the spring change (2026-03-29).
    expect(fires).toEqual(['2026-03-28T06:00:00.000Z', '2026-03-29T05:00:00.000Z', '2026-03-30T05:00:00.000Z', '2026-03-31T05:00:00.000Z']);
    for (let now = new Date('2026-10-24T12:00:00Z'), n = 0; n < 2; n++) {
      const f = await s.fireFrom(now);
      fires.push(f.toISOString());
      now = new Date(f.getTime() + 1000);
    }
    expect(fires.slice(4)).toEqual(['2026-10-25T06:00:00.000Z', '2026-10-26T06:00:00.000Z']);
    const rows = await s.rows();
    expect(rows).toEqual(['2026-03-28', '2026-03-29', '2026-03-30', '2026-03-31', '2026-10-25', '2026-10-26']);
    expect(new Set(rows).size).toBe(rows.length);
  });

  it('T2: 02:30 Paris — skipped hour in spring, doubled hour in autumn → still one digest per local day', async () => {
    const s = await setup('02:30', 'Europe/Paris');
    const fires: Date[] = [];
    for (let now = new Date('2026-03-27T12:00:00Z'); fires.length < 3; ) {
      const f = await s.fireFrom(now);
      fires.push(f);
      now = new Date(f.getTime() + 1000);
    }
    for (let now = new Date('2026-10-24T12:00:00Z'), n = 0; n < 3; n++) {
      const f = await s.fireFrom(now);
      fires.push(f);
      now = new Date(f.getTime() + 1000);
    }
    const rows = await s.rows();
    // Spring: 02:30 does not exist on 2026-03-29; the scheduler fires at 03:30 CEST that day (not skipped).
    // Autumn: 02:30 happens twice on 2026-10-25; it fires once. Either way one digest per local day.
    expect(rows).toEqual(['2026-03-28', '2026-03-29', '2026-03-30', '2026-10-25', '2026-10-26', '2026-10-27']);
    expect(fires[1].toISOString()).toBe('2026-03-29T01:30:00.000Z');
    const built = s.done.filter((d) => d.result.built).map((d) => d.result.period);
    expect(new Set(built).size).toBe(built.length);
    const ob = await s.outbox();
    expect(new Set(ob.map((o) => o.period)).size).toBe(ob.length);
  });

  it('the job scheduler takes its next fire from digest/period, also where BullMQ\'s own parser finds none (Lord Howe, 30-min DST)', async () => {
    await setup('07:00', 'Australia/Lord_Howe');
    const tz = 'Australia/Lord_Howe';
    // 23:00 the evening before the clocks go back 30 min (02:00 on 2027-04-04): the next 07:00 is at +10:30.
    const startDate = '2027-04-03T12:00:00.000Z';
    await rig!.queues.digest.upsertJobScheduler('lh', { pattern: '0 7 * * *', tz, startDate }, { name: JOBS.buildDigest, data: { digestId: 'daily' } });
    const sch = await rig!.queues.digest.getJobScheduler('lh');
    const expected = nextFireAfter({ schedule: { at: '07:00', tz } }, new Date(startDate))!;
    expect(expected.toISOString()).toBe('2027-04-03T20:30:00.000Z');
    expect(sch?.next).toBe(expected.getTime());
    await rig!.queues.digest.removeJobScheduler('lh');
  });
});
