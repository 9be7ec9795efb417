// The outbox sweeper (maintenance queue): a row left in `sending` past the lease belongs to a worker that died
// mid-send. A channel whose send may have happened and must not repeat (email) becomes `unknown` — error log,
// metric, web banner, `wirewatch deliveries list` — and is never resent automatically; a repeatable channel
// (files, webhook: same webhook-id) goes back to `pending`. `pending` rows older than the lease are re-driven by
// enqueueing their digest again (the outbox claim keeps that to one send).
import type { Kysely } from 'kysely';
import type { Logger } from '../log.js';
import type { Database } from '../store/schema.js';
import { listOutbox } from '../store/outbox.js';
import { releaseInterrupted } from '../deliver/outbox.js';

export interface SweepDeps {
  db: Kysely<Database>;
  log: Logger;
  leaseMs: number;
  /** Whether repeating a send on this channel is harmless; undefined when the digest or channel is gone. */
  repeatable: (digestId: string, channel: string) => boolean | undefined;
  /** Re-drive a pending delivery (enqueue its digest job). */
  redrive: (digestId: string, period: string) => Promise<void>;
  /** Counts each row moved (the metric). */
  onSwept?: (to: 'unknown' | 'pending') => void;
  now?: () => Date;
}

export async function sweepOutbox(d: SweepDeps): Promise<{ unknown: number; repending: number; redriven: number }> {
  const now = d.now?.() ?? new Date();
  const staleBefore = now.getTime() - d.leaseMs;
  const res = { unknown: 0, repending: 0, redriven: 0 };
  const periods = new Set<string>();
  for (const row of await listOutbox(d.db, { states: ['sending'], limit: 1000 })) {
    if (Date.parse(row.updated_at) >= staleBefore) continue;
    const moved = await releaseInterrupted(d.db, row, d.repeatable(row.digest_id, row.channel) === true, now.toISOString(), 'the outbox sweeper');
    if (!moved) continue;
    const { to, why } = moved;
    d.onSwept?.(to);
    const log = d.log.child({ digest_id: row.digest_id, period: row.period, channel: row.channel, idempotency_key: row.idempotency_key });
    if (to === 'unknown') {
      res.unknown++;
      log.error({ state: 'unknown' }, `deliver: ${row.channel} outcome unknown: ${why}; not resent — check the recipient, then: wirewatch deliveries retry --digest ${row.digest_id} --period ${row.period}`);
    } else {
      res.repending++;
      periods.add(JSON.stringify([row.digest_id, row.period]));
      log.warn({ state: 'pending' }, `deliver: ${row.channel} ${why}; will resend with the same key`);
    }
  }
  for (const row of await listOutbox(d.db, { states: ['pending'], limit: 1000 })) {
    if (Date.parse(row.updated_at) < staleBefore) periods.add(JSON.stringify([row.digest_id, row.period]));
  }
  for (const key of periods) {
    const [digestId, period] = JSON.parse(key) as [string, string];
    await d.redrive(digestId, period);
    res.redriven++;
  }
  if (res.redriven) d.log.warn({ redriven: res.redriven }, 'outbox sweeper re-drove pending deliveries');
  return res;
}
