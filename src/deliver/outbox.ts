// The outbox: one row per (digest, period, channel), the primary key makes it unique. States:
//   pending → sending → sent | failed | unknown      (sending → pending again after a transient failure)
// The claim is a conditional UPDATE … WHERE state = 'pending': of two racing workers exactly one changes the row
// (M3). A row left in `sending` by a crash is resolved by recoverStale: repeatable channels go back to pending,
// the others become `unknown` and are never resent automatically (M1).
import type { Kysely } from 'kysely';
import type { Database, OutboxTable } from '../store/schema.js';

export type OutboxRow = OutboxTable;
export type OutboxState = 'pending' | 'sending' | 'sent' | 'failed' | 'unknown';

export interface OutboxKey {
  digestId: string;
  period: string;
  channel: string;
}

/** The row's primary key as a filter (Kysely's object form of `and`). */
const pk = (k: OutboxKey) => ({ digest_id: k.digestId, period: k.period, channel: k.channel });

/** Insert the row as pending unless it exists. The key is deterministic, so a racing insert writes the same. */
export async function ensureOutbox(db: Kysely<Database>, k: OutboxKey, idempotencyKey: string, now: string): Promise<void> {
  await db
    .insertInto('outbox')
    .values({
      digest_id: k.digestId, period: k.period, channel: k.channel, state: 'pending', attempts: 0,
      idempotency_key: idempotencyKey, receipt: null, error: null, created_at: now, updated_at: now,
    })
    .onConflict((oc) => oc.columns(['digest_id', 'period', 'channel']).doNothing())
    .execute();
}

export async function getOutbox(db: Kysely<Database>, k: OutboxKey): Promise<OutboxRow | undefined> {
  return db.selectFrom('outbox').selectAll().where((eb) => eb.and(pk(k))).executeTakeFirst();
}

/** pending → sending. True when this caller won the row. */
export async function claimOutbox(db: Kysely<Database>, k: OutboxKey, now: string): Promise<boolean> {
  const r = await db
    .updateTable('outbox')
    .where((eb) => eb.and(pk(k)))
    .set((eb) => ({ state: 'sending', attempts: eb('attempts', '+', 1), updated_at: now, error: null }))
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** sending → state. Conditional, so a row another worker already resolved is left alone. */
export async function finishOutbox(
  db: Kysely<Database>,
  k: OutboxKey,
  state: Exclude<OutboxState, 'sending'>,
  now: string,
  extra: { receipt?: unknown; error?: string } = {},
): Promise<boolean> {
  const r = await db
    .updateTable('outbox')
    .where((eb) => eb.and(pk(k)))
    .set({
      state, updated_at: now, error: extra.error ?? null,
      ...(extra.receipt !== undefined ? { receipt: JSON.stringify(extra.receipt) } : {}),
    })
    .where('state', '=', 'sending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * A row stuck in `sending` since before `staleBefore` belongs to a worker that died mid-send. Move it to
 * `to` ('pending' to resend, 'unknown' to alert) unless another worker touched it meanwhile. True if moved.
 */
export async function recoverStale(
  db: Kysely<Database>,
  row: OutboxRow,
  to: 'pending' | 'unknown',
  now: string,
  error: string,
): Promise<boolean> {
  const r = await db
    .updateTable('outbox')
    .where((eb) => eb.and(pk({ digestId: row.digest_id, period: row.period, channel: row.channel })))
    .set({ state: to, updated_at: now, error })
    .where('state', '=', 'sending')
    .where('updated_at', '=', row.updated_at)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Operator action: put a `failed` or `unknown` row back to `pending` (e.g. after checking the mailbox). */
export async function resetOutbox(db: Kysely<Database>, k: OutboxKey, now: string): Promise<boolean> {
  const r = await db
    .updateTable('outbox')
    .where((eb) => eb.and(pk(k)))
    .set({ state: 'pending', updated_at: now, error: null })
    .where('state', 'in', ['failed', 'unknown'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function listOutbox(
  db: Kysely<Database>,
  q: { digestId?: string; period?: string; states?: OutboxState[]; limit?: number } = {},
): Promise<OutboxRow[]> {
  let s = db.selectFrom('outbox').selectAll();
  if (q.digestId) s = s.where('digest_id', '=', q.digestId);
  if (q.period) s = s.where('period', '=', q.period);
  if (q.states?.length) s = s.where('state', 'in', q.states);
  return s.orderBy('period', 'desc').orderBy('digest_id').orderBy('channel').limit(q.limit ?? 200).execute();
}
