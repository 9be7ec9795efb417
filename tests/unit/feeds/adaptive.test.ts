// Adaptive polling (issue 16): the learned interval follows the feed's rhythm within the politeness limits, and
// every plan says why.
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLL_POLICY, gapShare, planNextPoll, type PollOutcome } from '../../../src/feeds/poll-policy.js';
import type { ParsedFeed } from '../../../src/model.js';

const now = new Date('2026-12-07T12:00:00Z');
const policy = { ...DEFAULT_POLL_POLICY, minIntervalS: 300, defaultIntervalS: 900 };
const mid = () => 0.5;
/** A feed with 10 items `everyS` apart, the newest just now. */
function ok(everyS: number, extra: Partial<ParsedFeed> = {}): PollOutcome {
  const items = Array.from({ length: 10 }, (_, i) => ({ title: `t${i}`, published: new Date(now.getTime() - i * everyS * 1000).toISOString() }));
  return { kind: 'ok', feed: { title: 'f', items, ...extra } as ParsedFeed, headers: {}, newItems: 1 };
}

describe('adaptive polling', () => {
  it('a third of the gap for hourly-or-faster feeds, half from two-hourly', () => {
    expect(gapShare(900)).toBeCloseTo(1 / 3);
    expect(gapShare(3_600)).toBeCloseTo(1 / 3);
    expect(gapShare(5_400)).toBeCloseTo(5 / 12);
    expect(gapShare(7_200)).toBeCloseTo(1 / 2);
  });
  it('hot feeds are read every few minutes, never under min_interval_s; quiet ones rarely; each plan says why', () => {
    const hot = planNextPoll({ consecutiveFailures: 0 }, ok(60), policy, now, undefined, mid);
    expect(hot.intervalS).toBe(300);
    expect(hot.why).toMatch(/^learned: items every 1 min \(median of 9 gaps\), polled at 33 % of it; at the 5 min minimum/);
    const quarterHour = planNextPoll({ consecutiveFailures: 0 }, ok(900), policy, now, undefined, mid);
    expect(quarterHour.intervalS).toBe(300);
    const hourly = planNextPoll({ consecutiveFailures: 0 }, ok(3_600), policy, now, undefined, mid);
    expect(hourly.intervalS).toBe(1_200);
    expect(hourly.why).toBe('learned: items every 1 h (median of 9 gaps), polled at 33 % of it');
    const daily = planNextPoll({ consecutiveFailures: 0 }, ok(86_400), policy, now, undefined, mid);
    expect(daily.intervalS).toBe(43_200);
  });
  it('says when the interval was configured, asked for by the feed, defaulted or backed off', () => {
    expect(planNextPoll({ consecutiveFailures: 0 }, ok(60), policy, now, 1_800, mid).why).toBe('configured (interval_s)');
    expect(planNextPoll({ consecutiveFailures: 0 }, ok(60, { ttlMinutes: 60 }), policy, now, undefined, mid).why).toMatch(/raised to 1 h: the feed or server asks/);
    expect(planNextPoll({ consecutiveFailures: 0 }, { kind: 'not_modified', headers: {} }, policy, now, undefined, mid).why).toBe('default: nothing learned yet');
    expect(planNextPoll({ consecutiveFailures: 0, intervalS: 600 }, { kind: 'not_modified', headers: {} }, policy, now, undefined, mid)).toMatchObject({ intervalS: 600, why: 'kept: not modified' });
    const err = planNextPoll({ consecutiveFailures: 1 }, { kind: 'error', error: { code: 'http_503', permanent: false } }, policy, now, undefined, mid);
    expect(err.why).toMatch(/^backing off after 2 failed polls \(http_503\)/);
  });
});

describe('feeds list', () => {
  it('shows each feed\'s interval and why', async () => {
    const { formatHealth } = await import('../../../src/commands/feeds.js');
    const text = formatHealth([{ feedId: 'wire', url: 'https://w/', consecutiveFailures: 0, lastPollAt: '2026-12-07T12:00:00.000Z', intervalS: 1_200, intervalWhy: 'learned: items every 1 h (median of 9 gaps), polled at 33 % of it' }]);
    expect(text).toContain('interval 20 min — learned: items every 1 h (median of 9 gaps), polled at 33 % of it');
  });
});

describe('jitter at the floor', () => {
  it('a feed held at min_interval_s is polled within 2 % of it, not up to 10 % later', () => {
    const delay = (rand: number) => (Date.parse(planNextPoll({ consecutiveFailures: 0 }, ok(60), policy, now, undefined, () => rand).nextPollAt) - now.getTime()) / 1000;
    expect(delay(0)).toBe(300);
    expect(delay(1)).toBe(306);
    // Above the floor the ±10 % spread stays.
    const hourly = (rand: number) => (Date.parse(planNextPoll({ consecutiveFailures: 0 }, ok(3_600), policy, now, undefined, () => rand).nextPollAt) - now.getTime()) / 1000;
    expect(hourly(0)).toBe(1_080);
    expect(hourly(1)).toBe(1_320);
  });
});
