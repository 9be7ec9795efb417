// The outbox's rules (its rows and SQL live in store/outbox.ts). One row per (digest, period, channel):
//   pending → sending → sent | failed | unknown      (sending → pending again after a transient failure)
// Claiming pending → sending is conditional, so of two racing workers exactly one sends (M3). A row left in
// `sending` by a worker that died mid-send is resolved here, by deliverOne when it meets the row and by the outbox
// sweeper when nobody does: a channel where repeating a send is harmless goes back to pending (same idempotency
// key), any other becomes `unknown` and is never resent automatically (M1).
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { recoverStale, type OutboxRow } from '../store/outbox.js';

export interface Released {
  to: 'pending' | 'unknown';
  /** Why, as stored in the row's error and logged. */
  why: string;
}

/**
 * Move an interrupted `sending` row on: to pending when `repeatable`, else to unknown. Undefined when another
 * worker touched the row since it was read (it is theirs to resolve). `foundBy` names who noticed, for the reason.
 */
export async function releaseInterrupted(
  db: Kysely<Database>,
  row: OutboxRow,
  repeatable: boolean,
  now: string,
  foundBy?: string,
): Promise<Released | undefined> {
  const to = repeatable ? 'pending' : 'unknown';
  const why = `interrupted while sending (attempt ${row.attempts}, since ${row.updated_at})${foundBy ? `; found by ${foundBy}` : ''}`;
  return (await recoverStale(db, row, to, now, why)) ? { to, why } : undefined;
}
