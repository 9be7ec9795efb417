import { describe, expect, it } from 'vitest';
import type { ParsedFeed } from '../../../src/model.js';
import {
  DEFAULT_POLL_POLICY, firstPollDelayMs, planNextPoll, shouldSendValidators, type PollOutcome, type PollPolicy, type PollState,
} from '../../../src/feeds/poll-policy.js';

const policy: PollPolicy = { minIntervalS: 300, maxIntervalS: 86_400, defaultIntervalS: 3_600, maxBackoffS: 86_400, unconditionalAfterS: 86_400 };
const now = new Date('2026-11-26T08:00:00.000Z');
const mid = () => 0.5;
const delayS = (r: { nextPollAt: string }) => (Date.parse(r.nextPollAt) - now.getTime()) / 1000;
const fresh: PollState = { consecutiveFailures: 0 };
const feed = (over: Partial<ParsedFeed> = {}, hoursApart?: number): ParsedFeed => ({
  format: 'rss',
  items: hoursApart === undefined ? [] : Array.from({ length: 10 }, (_, i) => ({
    title: `t${i}`, published: new Date(now.getTime() - i * hoursApart * 3_600_000).toISOString(),
  })),
  ...over,
});
const ok = (f: ParsedFeed, headers: Record<string, string> = {}): PollOutcome => ({ kind: 'ok', feed: f, headers, newItems: 1 });
const err = (code: string, permanent: boolean, retryAfterMs?: number): PollOutcome => ({ kind: 'error', error: { code, permanent, retryAfterMs } });

describe('planNextPoll', () => {
  it('uses the default interval when nothing is known (±10 % jitter)', () => {
    const r = planNextPoll(fresh, ok(feed()), policy, now, undefined, mid);
    expect(r).toMatchObject({ intervalS: 3_600, consecutiveFailures: 0 });
    expect(delayS(r)).toBe(3_600);
    expect(delayS(planNextPoll(fresh, ok(feed()), policy, now, undefined, () => 0))).toBe(3_240);
  });

  it('learns the interval from item frequency and clamps it to [min, max]', () => {
    expect(planNextPoll(fresh, ok(feed({}, 2)), policy, now, undefined, mid).intervalS).toBe(3_600); // half of 2 h
    expect(planNextPoll(fresh, ok(feed({}, 0.01)), policy, now, undefined, mid).intervalS).toBe(300); // min
    expect(planNextPoll(fresh, ok(feed({}, 24 * 30)), policy, now, undefined, mid).intervalS).toBe(86_400); // max
  });

  it('honours ttl, sy:updatePeriod, Cache-Control max-age and Expires as lower bounds', () => {
    expect(planNextPoll(fresh, ok(feed({ ttlMinutes: 120 }, 0.5)), policy, now, undefined, mid).intervalS).toBe(7_200);
    expect(planNextPoll(fresh, ok(feed({ updatePeriodS: 86_400 * 2 }, 0.5)), policy, now, undefined, mid).intervalS).toBe(86_400);
    expect(planNextPoll(fresh, ok(feed({}, 0.5), { 'Cache-Control': 'public, max-age=5400' }), policy, now, undefined, mid).intervalS).toBe(5_400);
    const expires = new Date(now.getTime() + 10_800_000).toUTCString();
    expect(planNextPoll(fresh, ok(feed({}, 0.5), { expires }), policy, now, undefined, mid).intervalS).toBe(10_800);
  });

  it('keeps a configured interval (clamped) over the learned one', () => {
    expect(planNextPoll(fresh, ok(feed({}, 0.5)), policy, now, 900, mid).intervalS).toBe(900);
    expect(planNextPoll(fresh, ok(feed()), policy, now, 10, mid).intervalS).toBe(300);
  });

  it('on 304 keeps the interval, resets failures and honours cache headers', () => {
    const s: PollState = { intervalS: 1_800, consecutiveFailures: 3 };
    expect(planNextPoll(s, { kind: 'not_modified', headers: {} }, policy, now, undefined, mid)).toMatchObject({ intervalS: 1_800, consecutiveFailures: 0 });
    expect(planNextPoll(s, { kind: 'not_modified', headers: { 'cache-control': 'max-age=7200' } }, policy, now, undefined, mid).intervalS).toBe(7_200);
  });

  it('backs off exponentially with jitter up to the 24 h cap, and keeps retrying forever', () => {
    let state: PollState = { intervalS: 1_800, consecutiveFailures: 0 };
    const ceilings: number[] = [];
    for (let i = 0; i < 40; i++) {
      const r = planNextPoll(state, err('http_404', true), policy, now, undefined, () => 1);
      ceilings.push(delayS(r));
      state = { ...state, consecutiveFailures: r.consecutiveFailures, intervalS: r.intervalS };
    }
    expect(ceilings.slice(0, 4)).toEqual([1_800, 3_600, 7_200, 14_400]);
    expect(Math.max(...ceilings)).toBe(86_400);
    expect(ceilings.at(-1)).toBe(86_400);
    expect(state.consecutiveFailures).toBe(40); // never disabled: still scheduled
    expect(state.intervalS).toBe(1_800); // the normal interval survives the backoff
    // Jitter: the same failure spreads between half and all of its step.
    const low = delayS(planNextPoll({ consecutiveFailures: 3, intervalS: 1_800 }, err('http_404', true), policy, now, undefined, () => 0));
    expect(low).toBe(14_400 / 2);
  });

  it('backs off soft errors (timeouts, DNS, 5xx) more slowly than hard ones (404, not_a_feed)', () => {
    const s: PollState = { intervalS: 1_800, consecutiveFailures: 4 };
    const soft = delayS(planNextPoll(s, err('timeout', false), policy, now, undefined, () => 1));
    const soft5xx = delayS(planNextPoll(s, err('http_503', false), policy, now, undefined, () => 1));
    const hard = delayS(planNextPoll(s, err('not_a_feed', true), policy, now, undefined, () => 1));
    expect(soft).toBeLessThan(hard);
    expect(soft5xx).toBe(soft);
    expect(hard).toBe(1_800 * 2 ** 4);
  });

  it('honours Retry-After on 429/503', () => {
    const r = planNextPoll({ consecutiveFailures: 0, intervalS: 600 }, err('http_429', false, 7_200_000), policy, now, undefined, mid);
    expect(delayS(r)).toBe(7_200);
    const small = planNextPoll({ consecutiveFailures: 0, intervalS: 600 }, err('http_503', false, 1_000), policy, now, undefined, () => 1);
    expect(delayS(small)).toBe(600); // never sooner than our own backoff
  });
});

describe('firstPollDelayMs', () => {
  it('is deterministic and spreads 1,000 feeds over the interval', () => {
    expect(firstPollDelayMs('kyiv-independent', 3_600)).toBe(firstPollDelayMs('kyiv-independent', 3_600));
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 1_000; i++) {
      const d = firstPollDelayMs(`feed-${i}`, 3_600);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(3_600_000);
      buckets[Math.floor(d / 360_000)]++;
    }
    for (const b of buckets) expect(b).toBeGreaterThan(60);
  });
});

describe('shouldSendValidators', () => {
  it('sends validators until the unconditional fetch is older than unconditionalAfterS', () => {
    const recent = { consecutiveFailures: 0, lastUnconditionalAt: new Date(now.getTime() - 3_600_000).toISOString() };
    const old = { consecutiveFailures: 0, lastUnconditionalAt: new Date(now.getTime() - 90_000_000).toISOString() };
    expect(shouldSendValidators(recent, DEFAULT_POLL_POLICY, now)).toBe(true);
    expect(shouldSendValidators(old, DEFAULT_POLL_POLICY, now)).toBe(false);
    expect(shouldSendValidators({ consecutiveFailures: 0 }, DEFAULT_POLL_POLICY, now)).toBe(false);
  });
});
