// How BullMQ's job schedulers find a cron pattern's next fire. Left to itself BullMQ uses its bundled cron parser,
// which disagrees with digest/period.ts around DST: an ambiguous 03:00 in Kyiv (autumn) fires at the first one
// where croner takes the second, and in Australia/Lord_Howe, whose clocks move by 30 minutes, the parser finds no
// next fire at all after the April change, so the scheduler silently stops. Handing BullMQ this strategy makes one
// engine (digest/period.ts) decide both when a digest job fires and which period that fire closes
// (tests/unit/digest/fire-times.test.ts holds them together across a year in four zones).
import type { RepeatStrategy } from 'bullmq';
import { nextCronFire } from '../digest/period.js';

export const repeatStrategy: RepeatStrategy = (millis, opts) => {
  if (!opts.pattern) return undefined;
  if (opts.immediately) return Date.now();
  // As BullMQ's own strategy: a start date in the future is where the search begins.
  const start = opts.startDate ? new Date(opts.startDate).getTime() : Number.NaN;
  const after = Number.isFinite(start) && start > millis ? start : millis;
  return nextCronFire(opts.pattern, opts.tz, new Date(after))?.getTime();
};
