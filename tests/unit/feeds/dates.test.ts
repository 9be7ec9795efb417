import { describe, expect, it } from 'vitest';
import { parseFeedDate } from '../../../src/feeds/dates.js';

describe('parseFeedDate', () => {
  it.each([
    ['Tue, 05 Mar 2024 14:22:01 +0300', undefined, '2024-03-05T11:22:01.000Z'],
    ['Tue, 05 Mar 24 14:22:01 +0300', undefined, '2024-03-05T11:22:01.000Z'],
    ['Mon, 05 Mar 2024 14:22:01 +0300', undefined, '2024-03-05T11:22:01.000Z'], // wrong weekday: trust the date
    ['Tue, 5 Mar 2024 14:22:01 EEST', undefined, '2024-03-05T11:22:01.000Z'],
    ['Tue, 05 Mar 2024 14:22:01 MSK', undefined, '2024-03-05T11:22:01.000Z'],
    ['Thu, 01 Jan 2004 19:48:21 GMT', undefined, '2004-01-01T19:48:21.000Z'],
    ['Mon, 5 Mar 2024 2:22 PM EST', undefined, '2024-03-05T19:22:00.000Z'],
    ['2024-03-05T14:22:01+03:00', undefined, '2024-03-05T11:22:01.000Z'],
    ['2024-03-05T14:22:01.123456+0530', undefined, '2024-03-05T08:52:01.123Z'],
    ['2003-12-31T10:14:55Z', undefined, '2003-12-31T10:14:55.000Z'],
    ['2024-03-05 14:22:01 +0300', undefined, '2024-03-05T11:22:01.000Z'],
    ['05.03.2024', undefined, '2024-03-05T00:00:00.000Z'], // 5 March, day first
    ['05.03.2024 14:22', undefined, '2024-03-05T14:22:00.000Z'],
    ['Вт, 05 мар 2024 14:22:01 +0300', undefined, '2024-03-05T11:22:01.000Z'],
    ['1709637721', undefined, '2024-03-05T11:22:01.000Z'],
    ['March 5, 2024', undefined, '2024-03-05T00:00:00.000Z'],
    // Zone-less: the feed's zone (DST-aware), else UTC — never the machine's zone.
    ['2024-03-05 14:22:01', undefined, '2024-03-05T14:22:01.000Z'],
    ['2024-03-05 14:22:01', 'Europe/Kyiv', '2024-03-05T12:22:01.000Z'],
    ['2024-07-05 14:22:01', 'Europe/Kyiv', '2024-07-05T11:22:01.000Z'],
    ['05.03.2024 14:22', 'Europe/Moscow', '2024-03-05T11:22:00.000Z'],
  ])('%s (tz %s) → %s', (input, tz, iso) => {
    expect(parseFeedDate(input, tz)).toBe(iso);
  });

  it.each(['yesterday', '', 'not a date', '2024-13-45T99:99:99Z', 'Sun, 31 Feb 2024 10:00:00 GMT', 'x'.repeat(500)])(
    'leaves %j undefined',
    (input) => {
      expect(parseFeedDate(input)).toBeUndefined();
    },
  );

  it('does not depend on the process time zone', () => {
    const before = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      expect(parseFeedDate('2024-03-05 14:22:01')).toBe('2024-03-05T14:22:01.000Z');
    } finally {
      process.env.TZ = before;
    }
  });
});
