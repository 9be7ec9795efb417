// Exactly-once delivery of one digest through one channel, driven by its outbox row (states: outbox.ts).
// Returns the row's final state for this run; never sends when the row says sent, failed, unknown, or another
// worker is sending right now.
import type { Kysely } from 'kysely';
import type { Logger } from '../log.js';
import type { Digest } from '../digest/types.js';
import { isPermanent, TransientError } from '../errors.js';
import type { Database } from '../store/schema.js';
import { DeliveryUnknownError, idempotencyKey, type Channel } from './channel.js';
import { claimOutbox, ensureOutbox, finishOutbox, getOutbox, type OutboxKey, type OutboxState } from '../store/outbox.js';
import { releaseInterrupted } from './outbox.js';

/** A `sending` row older than this belongs to a dead worker (a send takes at most a few minutes). */
export const SENDING_LEASE_MS = 15 * 60_000;
/** After this many transient failures over all runs the row is marked failed. */
export const MAX_ATTEMPTS = 8;

export interface DeliveryResult {
  channel: string;
  state: OutboxState;
  /** True when this call performed a send attempt. */
  attempted: boolean;
  error?: string;
}

export interface DeliverDeps {
  db: Kysely<Database>;
  log: Logger;
  now: () => Date;
  leaseMs?: number;
  maxAttempts?: number;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export async function deliverOne(deps: DeliverDeps, d: Digest, channel: Channel): Promise<DeliveryResult> {
  const { db } = deps;
  const k: OutboxKey = { digestId: d.digestId, period: d.period, channel: channel.name };
  const key = idempotencyKey(d.digestId, d.period, channel.name);
  const log = deps.log.child({ channel: channel.name, idempotency_key: key });
  const iso = () => deps.now().toISOString();
  await ensureOutbox(db, k, key, iso());
  let row = await getOutbox(db, k);
  if (!row) throw new Error(`deliver: outbox row vanished for ${channel.name}`);

  if (row.state === 'sending') {
    const age = deps.now().getTime() - Date.parse(row.updated_at);
    if (age < (deps.leaseMs ?? SENDING_LEASE_MS)) return { channel: channel.name, state: 'sending', attempted: false };
    const moved = await releaseInterrupted(db, row, channel.repeatable, iso());
    if (moved?.to === 'unknown') log.error({ state: 'unknown' }, `deliver: ${channel.name} outcome unknown: ${moved.why}; not resent — check the recipient, then reset it`);
    else if (moved) log.warn(`deliver: ${channel.name} ${moved.why}; resending with the same key`);
    row = (await getOutbox(db, k))!;
  }
  if (row.state !== 'pending') {
    if (row.state === 'unknown') log.warn({ state: row.state }, `deliver: ${channel.name} outcome unknown; not resent`);
    return { channel: channel.name, state: row.state as OutboxState, attempted: false, error: row.error ?? undefined };
  }
  if (!(await claimOutbox(db, k, iso()))) {
    const now = await getOutbox(db, k);
    return { channel: channel.name, state: (now?.state ?? 'pending') as OutboxState, attempted: false };
  }

  const started = Date.now();
  try {
    const receipt = await channel.send(d, key);
    if (!(await finishOutbox(db, k, 'sent', iso(), { receipt }))) {
      // The lease ran out mid-send and another run moved the row on; the send did happen: say so loudly.
      log.error({ receipt }, `deliver: ${channel.name} sent, but its outbox row had already left "sending"; check for a duplicate`);
    }
    log.info({ duration_ms: Date.now() - started, receipt }, `deliver: ${channel.name} sent`);
    return { channel: channel.name, state: 'sent', attempted: true };
  } catch (err) {
    const msg = message(err);
    let state: Exclude<OutboxState, 'sending'>;
    if (isPermanent(err)) state = 'failed';
    else if (err instanceof TransientError) state = row.attempts + 1 >= (deps.maxAttempts ?? MAX_ATTEMPTS) ? 'failed' : 'pending';
    // Unknown outcome: harmless to repeat → retry later with the same key; plain SMTP → alert, never resend.
    else state = channel.repeatable ? 'pending' : 'unknown';
    await finishOutbox(db, k, state, iso(), { error: msg });
    const level = state === 'pending' ? 'warn' : 'error';
    log[level]({ err, state, duration_ms: Date.now() - started }, `deliver: ${channel.name} ${state}: ${msg}`);
    return { channel: channel.name, state, attempted: true, error: msg };
  }
}

export { DeliveryUnknownError };
