// One calendar for digests: BullMQ's job scheduler decides when a digest job fires (through the repeat strategy
// wirewatch hands it, queue/repeat.ts), and digest/period.ts lists fire times for catch-up, `run --once` and the
// CLI and maps each fire to its period. A disagreement around a DST change would catch up a period that never
// fired, miss one that did, or build one day twice. Across a whole year, in zones that move their clocks in spring
// and autumn (north and south) and one that moves them by 30 minutes, this checks that the scheduler's chain of
// fires (each computed from the previous one, as BullMQ does) is the list digest/period gives, and that each fire
// closes its own local day's period. BullMQ's bundled parser fails the first part (see queue/repeat.ts).
import { describe, expect, it } from 'vitest';
import { cronFor, firesBetween, periodFor } from '../../../src/digest/period.js';
import { repeatStrategy } from '../../../src/queue/repeat.js';
import { localParts, ymd } from '../../../src/digest/time.js';

const ZONES = ['Europe/Kyiv', 'America/New_York', 'Australia/Sydney', 'Australia/Lord_Howe'];
/** Daily times on both sides of every zone's change (01:30–03:30 fall in a gap or an overlap somewhere). */
const AT = ['01:30', '02:00', '02:30', '03:00', '07:00'];
const CRON = ['0 18 * * 1-5', '15 */6 * * *'];
const FROM = new Date('2026-01-01T00:00:00Z');
const TO = new Date('2027-01-01T00:00:00Z');

/** Fire times as BullMQ's job scheduler chains them: each next slot computed from the previous one (prevMillis). */
function bullmqFires(pattern: string, tz: string): Date[] {
  const out: Date[] = [];
  const next = (t: number) => repeatStrategy(t, { pattern, tz }) as number | undefined;
  for (let t = next(FROM.getTime()); t !== undefined && t <= TO.getTime(); t = next(t)) out.push(new Date(t));
  return out;
}

const iso = (ds: Date[]) => ds.map((d) => d.toISOString());

describe('the job scheduler and digest/period agree on every fire time (one year, DST in four zones)', () => {
  for (const tz of ZONES) {
    it(`${tz}: daily "at" schedules`, () => {
      for (const at of AT) {
        const d = { schedule: { at, tz } };
        const bull = bullmqFires(cronFor(d), tz);
        expect(iso(firesBetween(d, FROM, TO)), `${at} ${tz}`).toEqual(iso(bull));
        // Each fire closes exactly one period, on its own local day, so a day is never built twice nor skipped.
        const periods = bull.map((f) => periodFor(d.schedule, f).period);
        expect(new Set(periods).size, `${at} ${tz}: one period per fire`).toBe(periods.length);
        expect(periods, `${at} ${tz}: a fire closes the period of its local day`).toEqual(bull.map((f) => ymd(localParts(f, tz))));
      }
    });

    it(`${tz}: cron schedules`, () => {
      for (const cron of CRON) {
        const d = { schedule: { cron, tz } };
        expect(iso(firesBetween(d, FROM, TO)), `${cron} ${tz}`).toEqual(iso(bullmqFires(cron, tz)));
      }
    });
  }

  it('a start date in the future is where the search begins; no pattern, no cron fire', () => {
    const startDate = '2026-06-01T12:00:00Z';
    expect(repeatStrategy(FROM.getTime(), { pattern: '0 7 * * *', tz: 'UTC', startDate })).toBe(Date.parse('2026-06-02T07:00:00Z'));
    expect(repeatStrategy(FROM.getTime(), { every: 60_000 })).toBeUndefined();
  });

  it('the year holds the DST days it claims to test', () => {
    // Kyiv's spring-forward day is 23 h: the 07:00 fires on either side of it are 23 h apart.
    const fires = bullmqFires('0 7 * * *', 'Europe/Kyiv');
    const gaps = fires.slice(1).map((f, i) => (f.getTime() - fires[i].getTime()) / 3_600_000);
    expect(gaps.filter((h) => h === 23)).toHaveLength(1);
    expect(gaps.filter((h) => h === 25)).toHaveLength(1);
    expect(fires).toHaveLength(365);
  });
});
