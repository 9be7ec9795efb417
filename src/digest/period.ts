// Which period a digest run covers. Computed from the scheduled fire time in the digest's zone, never from the
// wall clock at run time, so a late, repeated or racing run builds the same digest (T1, T2).
import { Cron } from 'croner';
import type { ScheduleConfig } from './config.js';
import { addDays, localParts, ymd, zonedTime } from './time.js';

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
export function periodFor(schedule: Pick<ScheduleConfig, 'at' | 'cron' | 'tz'>, fireTime: Date): Period {
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
export function periodForDate(schedule: Pick<ScheduleConfig, 'at' | 'cron' | 'tz'>, date: string): Period {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`digest: --date must be YYYY-MM-DD, got "${date}"`);
  const tz = schedule.tz || 'UTC';
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (schedule.at) {
    const [hour, minute] = schedule.at.split(':').map(Number);
    return periodFor(schedule, zonedTime(tz, y, mo, d, hour, minute));
  }
  const dayStart = zonedTime(tz, y, mo, d, 0, 0);
  const first = schedule.cron ? new Cron(schedule.cron, { timezone: tz, paused: true }).nextRun(new Date(dayStart.getTime() - 1000)) : null;
  const fire = first && ymd(localParts(first, tz)) === date ? first : zonedTime(tz, y, mo, d, 23, 59);
  return periodFor({ ...schedule, at: undefined, cron: schedule.cron ?? '59 23 * * *' }, fire);
}
