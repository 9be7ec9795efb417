// Catch-up on start: a digest whose scheduled fire was missed (service or Redis down at 07:00) is enqueued once.
// Missed periods are merged: only the latest missed fire is built, and because a digest carries every match not
// yet delivered (the cut, pipeline/digest.ts), it carries the skipped days' matches too — one digest, nothing lost,
// nothing twice. Fires older than the horizon, or from before wirewatch first knew the digest (a fresh install,
// a newly added digest), are never caught up.
import type { Kysely } from 'kysely';
import type { Logger } from '../log.js';
import type { DigestConfig } from '../digest/config.js';
import { firesBetween, periodFor } from '../digest/period.js';
import type { Database } from '../store/schema.js';
import { getDigestRow } from '../store/digests.js';
import { digestSince } from '../store/meta.js';

export interface CatchUpDeps {
  db: Kysely<Database>;
  log: Logger;
  digests: DigestConfig[];
  horizonDays: number;
  /** Enqueue one digest job for this fire (jobId from the period: enqueueing twice is one job). */
  enqueue: (digestId: string, fireTime: Date, period: string) => Promise<void>;
  now?: Date;
}

export async function catchUpDigests(d: CatchUpDeps): Promise<{ digestId: string; period: string; missed: number }[]> {
  const now = d.now ?? new Date();
  const out: { digestId: string; period: string; missed: number }[] = [];
  if (d.horizonDays <= 0) return out;
  const horizon = new Date(now.getTime() - d.horizonDays * 86_400_000);
  for (const digest of d.digests) {
    const since = new Date(await digestSince(d.db, digest.id, now));
    const after = new Date(Math.max(since.getTime(), horizon.getTime()) - 1);
    const fires = firesBetween(digest, after, now);
    const last = fires.at(-1);
    if (!last) continue;
    const p = periodFor(digest.schedule, last);
    if (await getDigestRow(d.db, digest.id, p.period)) continue;
    // Periods between the last built one and this fire that were never built: merged into this one.
    let missed = 0;
    for (const f of fires) if (!(await getDigestRow(d.db, digest.id, periodFor(digest.schedule, f).period))) missed++;
    await d.enqueue(digest.id, last, p.period);
    d.log.warn({ digest_id: digest.id, period: p.period, fire_time: last.toISOString(), missed_periods: missed }, 'digest: scheduled fire was missed; building it now (missed periods merged into this one)');
    out.push({ digestId: digest.id, period: p.period, missed });
  }
  return out;
}
