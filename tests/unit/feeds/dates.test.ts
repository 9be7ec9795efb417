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

describe('RFC 1123 fast path', () => {
  const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');
  // Deterministic pseudo-random instants (1900–2100) and offsets (−12:00 … +14:00, in 15-minute steps).
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const cases = Array.from({ length: 500 }, () => {
    const ms = Date.UTC(1900, 0, 1) + Math.floor(rnd() * (Date.UTC(2100, 0, 1) - Date.UTC(1900, 0, 1)) / 1000) * 1000;
    const off = (Math.floor(rnd() * 105) - 48) * 15;
    const local = new Date(ms + off * 60_000);
    const zone = rnd() < 0.3 ? 'GMT' : `${off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(off) / 60))}${pad(Math.abs(off) % 60)}`;
    const shown = zone === 'GMT' ? new Date(ms) : local;
    const text = `${DAYS[shown.getUTCDay()]}, ${pad(shown.getUTCDate())} ${MONTHS[shown.getUTCMonth()]} ${shown.getUTCFullYear()} ` +
      `${pad(shown.getUTCHours())}:${pad(shown.getUTCMinutes())}:${pad(shown.getUTCSeconds())} ${zone}`;
    return { text, iso: new Date(ms).toISOString() };
  });

  it('reads 500 generated RFC 1123 dates to their instant, as the general grammar does', () => {
    for (const c of cases) {
      expect(parseFeedDate(c.text), c.text).toBe(c.iso);
      // Two spaces after the comma miss the fast path; the general grammar must agree with it.
      expect(parseFeedDate(c.text.replace(', ', ',  ')), c.text).toBe(c.iso);
    }
  });

  it('leaves to the general grammar what it does not read exactly', () => {
    expect(parseFeedDate('Sat, 31 Dec 2016 23:59:60 GMT')).toBe('2016-12-31T23:59:59.000Z');
    expect(parseFeedDate('Thu, 31 Feb 2026 08:00:00 GMT')).toBeUndefined();
    expect(parseFeedDate('Sun, 29 Feb 2032 08:00:00 +0100')).toBe('2032-02-29T07:00:00.000Z');
    expect(parseFeedDate('Sat, 29 Feb 2100 08:00:00 GMT')).toBeUndefined();
    expect(parseFeedDate('Tue, 01 Jan 0001 00:30:00 +0100')).toBeUndefined();
    expect(parseFeedDate('Thu, 26 Nov 0026 08:00:00 GMT')).toBe('0026-11-26T08:00:00.000Z');
    expect(parseFeedDate('Mon, 07 Dec 2026 10:15:30 EST')).toBe('2026-12-07T15:15:30.000Z');
  });
});
