// Poll scheduling policy: when to poll a feed next, one coherent etiquette. Pure (clock and randomness come in).
// - Success: a learned interval (a fraction of the median gap between recent items: a third for feeds publishing
//   hourly or more often, so an item waits at most about a third of the gap — issue 16 — rising to half for feeds
//   publishing every two hours or less) or the configured one, never sooner than the feed asks (RSS <ttl>,
//   sy:updatePeriod, Cache-Control max-age, Expires), clamped to [min, max]. Every plan says why (`why`), shown in
//   `wirewatch feeds list` and on /feeds.
// - 304: keep the interval, honour cache headers.
// - Errors: exponential backoff with jitter up to a cap (24 h), retried forever — a feed is never disabled. Soft
//   errors (timeouts, DNS, 5xx) grow half as fast as hard ones (404, not_a_feed). 429/503 Retry-After is honoured.
// - Validators (ETag / Last-Modified) are dropped for one poll every `unconditionalAfterS`, so a server whose 304s
//   lie is caught (Miniflux re-fetches unconditionally on a schedule for the same reason).
import { createHash } from 'node:crypto';
import type { ParsedFeed } from '../model.js';
import { POLL_DEFAULTS } from './defaults.js';

export interface PollPolicy {
  minIntervalS: number;
  maxIntervalS: number;
  defaultIntervalS: number;
  maxBackoffS: number;
  unconditionalAfterS: number;
}

export interface PollState {
  intervalS?: number;
  consecutiveFailures: number;
  lastSuccessAt?: string;
  lastUnconditionalAt?: string;
  recentItemDates?: string[];
}

export type PollOutcome =
  | { kind: 'ok'; feed: ParsedFeed; headers: Record<string, string>; newItems: number }
  | { kind: 'not_modified'; headers: Record<string, string> }
  | { kind: 'error'; error: { code: string; permanent: boolean; retryAfterMs?: number } };

/** The documented defaults (feeds/defaults.ts, shared with the config schema). */
export const DEFAULT_POLL_POLICY: PollPolicy = POLL_DEFAULTS;

/** Longest Retry-After honoured (a server asking for more is polled after a week anyway). */
const MAX_RETRY_AFTER_S = 7 * 86_400;
/** Item dates kept in PollState.recentItemDates. */
export const RECENT_ITEM_DATES = 20;

/** Error codes that mean "the server or network had a bad moment", not "this URL is wrong". */
const SOFT_CODES = /^(timeout|etimedout|econnreset|econnrefused|enotfound|eai_again|dns|network|socket|http_5\d\d|http_429|aborted|tls)/i;

export function isSoftError(error: { code: string; permanent: boolean }): boolean {
  return !error.permanent || SOFT_CODES.test(error.code);
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

function header(headers: Record<string, string>, name: string): string | undefined {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

/** Seconds the server says the response stays fresh (Cache-Control max-age, else Expires), if any. */
export function freshnessS(headers: Record<string, string>, now: Date): number | undefined {
  const cc = header(headers, 'cache-control');
  if (cc) {
    if (/\bno-store\b/i.test(cc)) return undefined;
    const m = /\bmax-age\s*=\s*"?(\d+)/i.exec(cc);
    if (m) return Number(m[1]);
  }
  const expires = header(headers, 'expires');
  if (expires) {
    const t = Date.parse(expires);
    if (Number.isFinite(t)) return Math.max(0, Math.round((t - now.getTime()) / 1000));
  }
  return undefined;
}

/** The feed's own hints (<ttl>, sy:updatePeriod), in seconds. */
function feedHintS(feed: ParsedFeed | undefined): number | undefined {
  if (!feed) return undefined;
  const hints = [feed.ttlMinutes ? feed.ttlMinutes * 60 : undefined, feed.updatePeriodS].filter((v): v is number => !!v && v > 0);
  return hints.length ? Math.max(...hints) : undefined;
}

/** Item dates of a fresh poll merged into the state's recent list: newest first, distinct, at most 20. */
export function mergeRecentItemDates(previous: string[] | undefined, feed: ParsedFeed): string[] {
  const all = new Set<string>(previous ?? []);
  for (const it of feed.items) {
    const d = it.published ?? it.updated;
    if (d) all.add(d);
  }
  // Each date parsed once, not once per comparison (this runs on every poll).
  return [...all]
    .map((d) => ({ d, t: Date.parse(d) }))
    .filter((x) => Number.isFinite(x.t))
    .sort((a, b) => b.t - a.t)
    .slice(0, RECENT_ITEM_DATES)
    .map((x) => x.d);
}

/**
 * The share of the median gap a feed is polled at: 1/3 up to an hourly rhythm, 1/2 from two-hourly, linear between.
 * A hot feed's items then wait about a sixth of their gap on average; a quiet feed costs few requests, which pays
 * for the hot ones (the sum stays under fixed 900 s polling for a realistic mix: bench/latency.ts).
 */
export function gapShare(medianS: number): number {
  return 1 / 3 + (1 / 6) * clamp((medianS - 3_600) / 3_600, 0, 1);
}

/** The median gap between the newest dated items and how many gaps it is taken over, or undefined below 3 items. */
export function medianGapS(itemDates: string[], now: Date): { medianS: number; gaps: number; silenceS: number } | undefined {
  const times = itemDates
    .map((d) => Date.parse(d))
    .filter((t) => Number.isFinite(t) && t <= now.getTime() + 86_400_000)
    .sort((a, b) => b - a)
    .slice(0, RECENT_ITEM_DATES);
  if (times.length < 3) return undefined;
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push((times[i - 1] - times[i]) / 1000);
  gaps.sort((a, b) => a - b);
  return { medianS: gaps[Math.floor(gaps.length / 2)], gaps: gaps.length, silenceS: (now.getTime() - times[0]) / 1000 };
}

/**
 * Interval learned from item frequency: gapShare() of the median gap between consecutive items (so a feed that
 * publishes every two hours is read about once an hour), or undefined with fewer than 3 dated items. Not clamped.
 */
export function learnedIntervalS(itemDates: string[], now: Date): number | undefined {
  const g = medianGapS(itemDates, now);
  if (!g) return undefined;
  // A feed silent for longer than its usual rhythm is probably slowing down: never poll faster than a quarter of the silence.
  return Math.max(g.medianS * gapShare(g.medianS), Math.min(g.silenceS / 4, g.medianS * 4));
}

/** "12 min" / "1.5 h" / "40 s": an interval for people. */
export function spanText(s: number): string {
  if (s >= 3_600) return `${(s / 3_600).toFixed(s % 3_600 ? 1 : 0)} h`;
  return s >= 60 ? `${Math.round(s / 60)} min` : `${Math.round(s)} s`;
}

/**
 * When to poll next. `rand` (default Math.random) jitters by ±10 % on success and spreads backoff between 50 % and
 * 100 % of its step ("equal jitter"). Returns the next poll time, the interval to remember for normal polling (the
 * learned/configured one, unchanged by backoff) and the new failure count. Never disables a feed.
 */
export function planNextPoll(
  state: PollState,
  outcome: PollOutcome,
  policy: PollPolicy,
  now: Date,
  configuredIntervalS?: number,
  rand: () => number = Math.random,
): { nextPollAt: string; intervalS: number; consecutiveFailures: number; why: string } {
  const { minIntervalS, maxIntervalS, defaultIntervalS, maxBackoffS } = policy;
  const at = (delayS: number) => new Date(now.getTime() + Math.round(delayS * 1000)).toISOString();
  const current = clamp(configuredIntervalS ?? state.intervalS ?? defaultIntervalS, minIntervalS, maxIntervalS);

  if (outcome.kind === 'error') {
    const failures = state.consecutiveFailures + 1;
    // Soft errors climb the ladder at half speed: a flaky server is retried sooner than a dead URL.
    const steps = isSoftError(outcome.error) ? (failures - 1) / 2 : failures - 1;
    const base = Math.max(minIntervalS, Math.min(current, 3_600));
    const ceiling = Math.min(maxBackoffS, base * 2 ** Math.min(steps, 30));
    let delay = ceiling / 2 + (ceiling / 2) * rand();
    const retryAfterS = outcome.error.retryAfterMs !== undefined ? outcome.error.retryAfterMs / 1000 : undefined;
    if (retryAfterS !== undefined && retryAfterS > 0) delay = Math.max(delay, Math.min(retryAfterS, MAX_RETRY_AFTER_S));
    delay = Math.max(delay, Math.min(minIntervalS, 60));
    const why = `backing off after ${failures} failed poll${failures === 1 ? '' : 's'} (${outcome.error.code}): next in ${spanText(delay)}`;
    return { nextPollAt: at(delay), intervalS: current, consecutiveFailures: failures, why };
  }

  let interval: number;
  let why: string;
  if (configuredIntervalS !== undefined) {
    interval = configuredIntervalS;
    why = 'configured (interval_s)';
  } else {
    const g = outcome.kind === 'ok' ? medianGapS(mergeRecentItemDates(state.recentItemDates, outcome.feed), now) : undefined;
    const learned = outcome.kind === 'ok' ? learnedIntervalS(mergeRecentItemDates(state.recentItemDates, outcome.feed), now) : undefined;
    if (learned !== undefined && g) {
      interval = learned;
      why = `learned: items every ${spanText(g.medianS)} (median of ${g.gaps} gaps)` +
        (learned > g.medianS * gapShare(g.medianS) + 1 ? `, slowed: silent for ${spanText(g.silenceS)}` : `, polled at ${Math.round(100 * gapShare(g.medianS))} % of it`);
    } else if (state.intervalS !== undefined) {
      interval = state.intervalS;
      why = outcome.kind === 'ok' ? 'kept: fewer than 3 dated items to learn from' : 'kept: not modified';
    } else {
      interval = defaultIntervalS;
      why = 'default: nothing learned yet';
    }
  }
  // Never sooner than the feed or the server asks.
  const asked = Math.max(
    outcome.kind === 'ok' ? (feedHintS(outcome.feed) ?? 0) : 0,
    freshnessS(outcome.headers, now) ?? 0,
  );
  if (asked > interval) why += `; raised to ${spanText(asked)}: the feed or server asks (ttl, updatePeriod, Cache-Control, Expires)`;
  const raw = Math.max(interval, asked);
  interval = clamp(raw, minIntervalS, maxIntervalS);
  if (raw < minIntervalS) why += `; at the ${spanText(minIntervalS)} minimum (poll.min_interval_s)`;
  if (raw > maxIntervalS) why += `; at the ${spanText(maxIntervalS)} maximum (poll.max_interval_s)`;
  // ±10 % spreads feeds apart; a feed held at the minimum (it publishes faster than we may poll) gets +0–2 % instead,
  // or the floor would make it wait 5 % longer on average than the minimum it is entitled to (issue 16).
  const jittered = raw < minIntervalS ? interval * (1 + 0.02 * rand()) : interval * (0.9 + 0.2 * rand());
  return { nextPollAt: at(clamp(jittered, minIntervalS, maxIntervalS)), intervalS: Math.round(interval), consecutiveFailures: 0, why };
}

/**
 * Deterministic start offset for a feed (ms in [0, intervalS)): a hash of its id, so 1,000 feeds added at once are
 * spread over their first interval, and a restart does not bunch them up again.
 */
export function firstPollDelayMs(feedId: string, intervalS: number): number {
  const h = createHash('sha256').update(feedId).digest();
  const fraction = h.readUInt32BE(0) / 0x1_0000_0000;
  return Math.floor(fraction * Math.max(0, intervalS) * 1000);
}

/**
 * Whether to send ETag / Last-Modified on this poll: false when the last unconditional fetch is older than
 * `unconditionalAfterS`, or was never recorded (the poller records `lastUnconditionalAt` on every poll sent without
 * validators, so the first poll establishes it).
 */
export function shouldSendValidators(state: PollState, policy: PollPolicy, now: Date): boolean {
  if (!state.lastUnconditionalAt) return false;
  const last = Date.parse(state.lastUnconditionalAt);
  if (!Number.isFinite(last)) return false;
  return now.getTime() - last < policy.unconditionalAfterS * 1000;
}
