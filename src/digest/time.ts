// Wall-clock arithmetic in an IANA zone with nothing but Intl: local parts of an instant, and the instant of a
// local wall time (DST-safe: a time in the spring-forward gap moves forward, an ambiguous one takes the first).

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const fmtCache = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = fmtCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    fmtCache.set(tz, f);
  }
  return f;
}

/** The wall-clock reading of an instant in `tz`. Throws RangeError on an unknown zone. */
export function localParts(at: Date, tz: string): LocalParts {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { year: p.year, month: p.month, day: p.day, hour: p.hour === 24 ? 0 : p.hour, minute: p.minute, second: p.second };
}

/** Offset of `tz` from UTC at an instant, in ms (Kyiv in summer: +3 h). */
export function zoneOffsetMs(at: Date, tz: string): number {
  const l = localParts(at, tz);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/**
 * The instant at which the clock in `tz` reads the given wall time. In the spring-forward gap the time is moved
 * forward by the gap (02:30 → 03:30 in New York); in the fall-back overlap the earlier instant is chosen.
 */
export function zonedTime(tz: string, year: number, month: number, day: number, hour: number, minute: number): Date {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  // Offsets either side of the wall time: equal on ordinary days, different on a DST day.
  const offsets = [zoneOffsetMs(new Date(guess - 14 * 3_600_000), tz), zoneOffsetMs(new Date(guess + 14 * 3_600_000), tz)];
  const matching = offsets
    .map((o) => guess - o)
    .filter((t) => {
      const l = localParts(new Date(t), tz);
      return l.year === year && l.month === month && l.day === day && l.hour === hour && l.minute === minute;
    });
  // Overlap: both read the wall time, take the earlier. Gap: neither does; the smaller (pre-change) offset moves
  // the time forward by the gap.
  return new Date(matching.length ? Math.min(...matching) : guess - Math.min(...offsets));
}

/** Calendar arithmetic on a local date (no zone involved). */
export function addDays(year: number, month: number, day: number, n: number): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(year, month - 1, day + n));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function ymd(p: { year: number; month: number; day: number }): string {
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** "08:12": local time of an ISO instant in `tz` ("" when the input is not a date). */
export function localHHMM(iso: string | undefined, tz: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const l = localParts(d, tz);
  return `${pad(l.hour)}:${pad(l.minute)}`;
}

/** "2026-11-26 08:12": local date and time of an ISO instant in `tz`. */
export function localDateTime(iso: string | undefined, tz: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const l = localParts(d, tz);
  return `${ymd(l)} ${pad(l.hour)}:${pad(l.minute)}`;
}
