// When an alert message may leave: not inside quiet hours (in the reader's zone), and not sooner than the
// coalescing window after the previous message of the same rule and topic. Pure: instants in, an instant out.
import { addDays, localParts, zonedTime } from '../digest/time.js';
import type { QuietHours } from './config.js';

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** True when `at` falls in the quiet hours [from, to) read in `q.tz` (over midnight when from > to). */
export function inQuietHours(at: Date, q: QuietHours): boolean {
  const l = localParts(at, q.tz);
  const m = l.hour * 60 + l.minute;
  const from = minutes(q.from);
  const to = minutes(q.to);
  return from < to ? m >= from && m < to : m >= from || m < to;
}

/** The end of the quiet hours `at` falls in (the next local `to`), or `at` itself when it is not quiet. */
export function quietEnd(at: Date, q: QuietHours | undefined): Date {
  if (!q || !inQuietHours(at, q)) return at;
  const l = localParts(at, q.tz);
  const to = minutes(q.to);
  // Before `to` on the local clock: it ends today; otherwise (evening part of an overnight span) tomorrow.
  const day = l.hour * 60 + l.minute < to ? l : addDays(l.year, l.month, l.day, 1);
  const end = zonedTime(q.tz, day.year, day.month, day.day, Math.floor(to / 60), to % 60);
  return end.getTime() > at.getTime() ? end : new Date(at.getTime() + 60_000);
}

/**
 * When a message of a rule and topic may go out, for a trigger at `now`: at once unless the previous message left
 * less than `coalesceMs` ago (then at the window's end, where every trigger meanwhile joins it), then moved past
 * quiet hours.
 */
export function sendAt(now: Date, opts: { lastSentAt?: Date; coalesceMs: number; quiet?: QuietHours }): Date {
  let t = now.getTime();
  if (opts.lastSentAt && opts.coalesceMs > 0) t = Math.max(t, opts.lastSentAt.getTime() + opts.coalesceMs);
  return quietEnd(new Date(t), opts.quiet);
}
