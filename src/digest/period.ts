// A digest's calendar, all in one place: its cron pattern, its fire times, and which period a fire closes.
// Periods come from the scheduled fire time in the digest's zone, never from the wall clock at run time, so a
// late, repeated or racing run builds the same digest (T1, T2). BullMQ's job scheduler fires the jobs with its
// own cron parser; tests/unit/digest/fire-times.test.ts holds the two engines to the same instants across a
// year of DST changes.
import { Cron } from 'croner';
import type { ScheduleConfig } from './config.js';
import { addDays, localParts, ymd, zonedTime } from './time.js';

type ScheduleLike = Pick<ScheduleConfig, 'at' | 'cron' | 'tz'>;

export interface Period {
  /** Local date of the period's end in the schedule's zone: "YYYY-MM-DD". */
  period: string;
  /** ISO instants, [start, end). */
  start: string;
  end: string;
}

/**
 * The period ending at a fire time: from the same wall-clock time on the previous local day to the fire time
 * (24 h, or 23 h / 25 h across a DST change). For `at` schedules the fire time is first snapped back to the
 * latest scheduled time at or before it, so a run that starts late still names the same period. For `cron`
 * schedules the fire time (truncated to the minute) is the end; several fires on one local day share the
 * period, so the digest is built once per day.
 */
export function periodFor(schedule: ScheduleLike, fireTime: Date): Period {
  const tz = schedule.tz || 'UTC';
  if (Number.isNaN(fireTime.getTime())) throw new RangeError('digest: fire time is not a valid date');
  let date: { year: number; month: number; day: number };
  let hour: number;
  let minute: number;
  let end: Date;
  if (schedule.at) {
    [hour, minute] = schedule.at.split(':').map(Number);
    const l = localParts(fireTime, tz);
    date = { year: l.year, month: l.month, day: l.day };
    end = zonedTime(tz, date.year, date.month, date.day, hour, minute);
    if (end.getTime() > fireTime.getTime()) {
      date = addDays(date.year, date.month, date.day, -1);
      end = zonedTime(tz, date.year, date.month, date.day, hour, minute);
    }
  } else {
    end = new Date(Math.floor(fireTime.getTime() / 60_000) * 60_000);
    const l = localParts(end, tz);
    date = { year: l.year, month: l.month, day: l.day };
    hour = l.hour;
    minute = l.minute;
  }
  const prev = addDays(date.year, date.month, date.day, -1);
  const start = zonedTime(tz, prev.year, prev.month, prev.day, hour, minute);
  return { period: ymd(date), start: start.toISOString(), end: end.toISOString() };
}

/**
 * Period for an explicit local date (`wirewatch digest --date`): the period whose end falls on that date — for a
 * cron schedule, the one ending at its first fire that day (23:59 when it does not fire that day).
 */
export function periodForDate(schedule: ScheduleLike, date: string): Period {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`digest: --date must be YYYY-MM-DD, got "${date}"`);
  const tz = schedule.tz || 'UTC';
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (schedule.at) {
    const [hour, minute] = schedule.at.split(':').map(Number);
    return periodFor(schedule, zonedTime(tz, y, mo, d, hour, minute));
  }
  const dayStart = zonedTime(tz, y, mo, d, 0, 0);
  const first = schedule.cron ? nextFireAfter({ schedule }, new Date(dayStart.getTime() - 1000)) : undefined;
  const fire = first && ymd(localParts(first, tz)) === date ? first : zonedTime(tz, y, mo, d, 23, 59);
  return periodFor({ ...schedule, at: undefined, cron: schedule.cron ?? '59 23 * * *' }, fire);
}

/** The cron pattern a digest fires on: its own, or "07:30" → "30 7 * * *" (read in the schedule's zone). */
export function cronFor(d: { schedule: ScheduleLike }): string {
  if (d.schedule.cron) return d.schedule.cron;
  const [h, m] = (d.schedule.at ?? '07:00').split(':').map(Number);
  return `${m} ${h} * * *`;
}

const engines = new Map<string, Cron>();

/** A paused croner instance per (pattern, zone): nextRun reads no state, and patterns come from config (few). */
function engine(pattern: string, tz: string | undefined): Cron {
  const key = `${tz || 'UTC'} ${pattern}`;
  let c = engines.get(key);
  if (!c) engines.set(key, (c = new Cron(pattern, { timezone: tz || 'UTC', paused: true })));
  return c;
}

/**
 * The first fire of a cron pattern in `tz` strictly after `after`. BullMQ's job schedulers use this too
 * (queue/repeat.ts), so the instant a digest job fires is the instant these functions list.
 */
export function nextCronFire(pattern: string, tz: string | undefined, after: Date): Date | undefined {
  return engine(pattern, tz).nextRun(after) ?? undefined;
}

/** Scheduled fire times of a digest in (after, until], oldest first (at most 20,000). */
export function firesBetween(d: { schedule: ScheduleLike }, after: Date, until: Date): Date[] {
  const cron = engine(cronFor(d), d.schedule.tz);
  const out: Date[] = [];
  for (let t = cron.nextRun(after), i = 0; t && t.getTime() <= until.getTime() && i < 20_000; i++, t = cron.nextRun(t)) out.push(t);
  return out;
}

/** The latest scheduled fire time of a digest at or before `now` (searching back at most 8 days). */
export function lastFireAtOrBefore(d: { schedule: ScheduleLike }, now: Date): Date | undefined {
  return firesBetween(d, new Date(now.getTime() - 8 * 86_400_000), now).pop();
}

/** The first scheduled fire time of a digest after `now` (undefined for a pattern that never fires again). */
export function nextFireAfter(d: { schedule: ScheduleLike }, now: Date): Date | undefined {
  return nextCronFire(cronFor(d), d.schedule.tz, now);
}
