// Poll scheduling policy: when to poll a feed next, one coherent etiquette. Pure (clock and randomness come in).
// - Success: a learned interval (half the median gap between recent items) or the configured one, never sooner than
//   the feed asks (RSS <ttl>, sy:updatePeriod, Cache-Control max-age, Expires), clamped to [min, max].
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
  return [...all]
    .filter((d) => Number.isFinite(Date.parse(d)))
    .sort((a, b) => Date.parse(b) - Date.parse(a))
    .slice(0, RECENT_ITEM_DATES);
}

/**
 * Interval learned from item frequency: half the median gap between consecutive items (so a feed that publishes
 * every hour is read about twice an hour), or undefined with fewer than 3 dated items. Not clamped.
 */
export function learnedIntervalS(itemDates: string[], now: Date): number | undefined {
  const times = itemDates
    .map((d) => Date.parse(d))
    .filter((t) => Number.isFinite(t) && t <= now.getTime() + 86_400_000)
    .sort((a, b) => b - a)
    .slice(0, RECENT_ITEM_DATES);
  if (times.length < 3) return undefined;
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push((times[i - 1] - times[i]) / 1000);
  gaps.sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)];
  // A feed silent for longer than its usual rhythm is probably slowing down: never poll faster than half the silence.
  const silence = (now.getTime() - times[0]) / 1000;
  return Math.max(median / 2, Math.min(silence / 4, median * 4));
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
): { nextPollAt: string; intervalS: number; consecutiveFailures: number } {
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
    return { nextPollAt: at(delay), intervalS: current, consecutiveFailures: failures };
  }

  let interval: number;
  if (configuredIntervalS !== undefined) {
    interval = configuredIntervalS;
  } else if (outcome.kind === 'ok') {
    const dates = mergeRecentItemDates(state.recentItemDates, outcome.feed);
    interval = learnedIntervalS(dates, now) ?? state.intervalS ?? defaultIntervalS;
  } else {
    interval = state.intervalS ?? defaultIntervalS;
  }
  // Never sooner than the feed or the server asks.
  const asked = Math.max(
    outcome.kind === 'ok' ? (feedHintS(outcome.feed) ?? 0) : 0,
    freshnessS(outcome.headers, now) ?? 0,
  );
  interval = clamp(Math.max(interval, asked), minIntervalS, maxIntervalS);
  const jittered = interval * (0.9 + 0.2 * rand());
  return { nextPollAt: at(clamp(jittered, minIntervalS, maxIntervalS)), intervalS: Math.round(interval), consecutiveFailures: 0 };
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
