import { describe, expect, it } from 'vitest';
import { periodFor, periodForDate } from '../../../src/digest/period.js';
import { zonedTime } from '../../../src/digest/time.js';

const hours = (p: { start: string; end: string }) => (Date.parse(p.end) - Date.parse(p.start)) / 3_600_000;

describe('periodFor', () => {
  it('is the 24 h ending at the fire time, named by the local date', () => {
    const p = periodFor({ at: '07:00', tz: 'Europe/Kyiv' }, new Date('2026-11-26T05:00:00Z'));
    expect(p).toEqual({ period: '2026-11-26', start: '2026-11-25T05:00:00.000Z', end: '2026-11-26T05:00:00.000Z' });
  });

  it('a late or repeated run names the same period (T1)', () => {
    const on = periodFor({ at: '07:00', tz: 'Europe/Kyiv' }, new Date('2026-11-26T05:00:00Z'));
    expect(periodFor({ at: '07:00', tz: 'Europe/Kyiv' }, new Date('2026-11-26T05:00:00.999Z'))).toEqual(on);
    expect(periodFor({ at: '07:00', tz: 'Europe/Kyiv' }, new Date('2026-11-26T09:30:00Z'))).toEqual(on);
    expect(periodFor({ at: '07:00', tz: 'Europe/Kyiv' }, new Date('2026-11-27T04:59:00Z'))).toEqual(on);
    // A fire time just before 07:00 belongs to the previous day's period.
    expect(periodFor({ at: '07:00', tz: 'Europe/Kyiv' }, new Date('2026-11-26T04:59:00Z')).period).toBe('2026-11-25');
  });

  it('spring forward in Kyiv (2026-03-29): 23 h period, ends 07:00 EEST', () => {
    const p = periodFor({ at: '07:00', tz: 'Europe/Kyiv' }, new Date('2026-03-29T04:00:00Z'));
    expect(p).toEqual({ period: '2026-03-29', start: '2026-03-28T05:00:00.000Z', end: '2026-03-29T04:00:00.000Z' });
    expect(hours(p)).toBe(23);
  });

  it('fall back in Kyiv (2026-10-25): 25 h period', () => {
    const p = periodFor({ at: '07:00', tz: 'Europe/Kyiv' }, new Date('2026-10-25T05:00:00Z'));
    expect(p).toEqual({ period: '2026-10-25', start: '2026-10-24T04:00:00.000Z', end: '2026-10-25T05:00:00.000Z' });
    expect(hours(p)).toBe(25);
  });

  it('New York spring forward (2026-03-08) and fall back (2026-11-01)', () => {
    const spring = periodFor({ at: '07:00', tz: 'America/New_York' }, new Date('2026-03-08T11:00:00Z'));
    expect(spring).toEqual({ period: '2026-03-08', start: '2026-03-07T12:00:00.000Z', end: '2026-03-08T11:00:00.000Z' });
    const fall = periodFor({ at: '07:00', tz: 'America/New_York' }, new Date('2026-11-01T12:00:00Z'));
    expect(fall).toEqual({ period: '2026-11-01', start: '2026-10-31T11:00:00.000Z', end: '2026-11-01T12:00:00.000Z' });
    expect(hours(spring)).toBe(23);
    expect(hours(fall)).toBe(25);
  });

  it('consecutive periods tile time with no gap or overlap across DST (T2)', () => {
    for (const tz of ['Europe/Kyiv', 'America/New_York', 'Europe/Paris']) {
      let fire = zonedTime(tz, 2026, 3, 1, 7, 0);
      let prev = periodFor({ at: '07:00', tz }, fire);
      const seen = new Set([prev.period]);
      for (let i = 0; i < 250; i++) {
        fire = new Date(Date.parse(prev.end) + 26 * 3_600_000); // any instant inside the next period
        const p = periodFor({ at: '07:00', tz }, fire);
        expect(p.start).toBe(prev.end);
        expect(seen.has(p.period)).toBe(false);
        seen.add(p.period);
        prev = p;
      }
    }
  });

  it('a time in the spring-forward gap moves forward', () => {
    expect(zonedTime('America/New_York', 2026, 3, 8, 2, 30).toISOString()).toBe('2026-03-08T07:30:00.000Z'); // 03:30 EDT
    // Ambiguous 01:30 on fall-back day: the first (EDT) one.
    expect(zonedTime('America/New_York', 2026, 11, 1, 1, 30).toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('cron schedules end at the fire time (to the minute)', () => {
    const p = periodFor({ cron: '0 18 * * 1-5', tz: 'UTC' }, new Date('2026-11-26T18:00:05Z'));
    expect(p).toEqual({ period: '2026-11-26', start: '2026-11-25T18:00:00.000Z', end: '2026-11-26T18:00:00.000Z' });
  });

  it('periodForDate names the period ending on that local date', () => {
    expect(periodForDate({ at: '07:00', tz: 'Europe/Kyiv' }, '2026-11-26')).toEqual(
      periodFor({ at: '07:00', tz: 'Europe/Kyiv' }, new Date('2026-11-26T05:00:00Z')),
    );
    expect(() => periodForDate({ at: '07:00', tz: 'UTC' }, '26.11.2026')).toThrow(/YYYY-MM-DD/);
    expect(periodForDate({ cron: '30 18 * * *', tz: 'America/New_York' }, '2026-11-26')).toEqual({
      period: '2026-11-26', start: '2026-11-25T23:30:00.000Z', end: '2026-11-26T23:30:00.000Z',
    });
    // Not firing that day (weekday-only cron on a Saturday): the local day ending 23:59.
    expect(periodForDate({ cron: '0 7 * * 1-5', tz: 'UTC' }, '2026-11-28').end).toBe('2026-11-28T23:59:00.000Z');
  });
});
