// The outbox table: one row per (digest, period, channel), the primary key makes it unique. Every state change is
// a conditional UPDATE (… WHERE state = <expected>), so of two racing workers exactly one moves a row (M3); what
// the states mean and when to move between them is deliver/'s business (deliver/outbox.ts, deliver/deliver.ts).
import type { ExpressionBuilder, Kysely, UpdateObject } from 'kysely';
import type { Database, OutboxTable } from './schema.js';

export type OutboxRow = OutboxTable;
export type OutboxState = 'pending' | 'sending' | 'sent' | 'failed' | 'unknown';

export interface OutboxKey {
  digestId: string;
  period: string;
  channel: string;
}

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

/** The row's primary key as a filter (Kysely's object form of `and`). */
const pk = (k: OutboxKey) => ({ digest_id: k.digestId, period: k.period, channel: k.channel });

type Change = UpdateObject<Database, 'outbox'> | ((eb: ExpressionBuilder<Database, 'outbox'>) => UpdateObject<Database, 'outbox'>);

/**
 * Move the row to a new state only while it is still in one of `from` (and, with `updatedAt`, untouched since that
 * time). True when this call moved it.
 */
async function transition(db: Kysely<Database>, k: OutboxKey, from: OutboxState[], set: Change, updatedAt?: string): Promise<boolean> {
  let q = db.updateTable('outbox').where((eb) => eb.and(pk(k))).set(set).where('state', 'in', from);
  if (updatedAt !== undefined) q = q.where('updated_at', '=', updatedAt);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** pending → sending, counting the attempt. True when this caller won the row. */
export function claimOutbox(db: Kysely<Database>, k: OutboxKey, now: string): Promise<boolean> {
  return transition(db, k, ['pending'], (eb) => ({ state: 'sending', attempts: eb('attempts', '+', 1), updated_at: now, error: null }));
}

/** sending → state. Conditional, so a row another worker already resolved is left alone. */
export function finishOutbox(
  db: Kysely<Database>,
  k: OutboxKey,
  state: Exclude<OutboxState, 'sending'>,
  now: string,
  extra: { receipt?: unknown; error?: string } = {},
): Promise<boolean> {
  const receipt = extra.receipt !== undefined ? { receipt: JSON.stringify(extra.receipt) } : {};
  return transition(db, k, ['sending'], { state, updated_at: now, error: extra.error ?? null, ...receipt });
}

/**
 * sending → `to`, for a row a dead worker left behind, unless another worker touched it since `row` was read.
 * True if moved.
 */
export function recoverStale(db: Kysely<Database>, row: OutboxRow, to: 'pending' | 'unknown', now: string, error: string): Promise<boolean> {
  const k = { digestId: row.digest_id, period: row.period, channel: row.channel };
  return transition(db, k, ['sending'], { state: to, updated_at: now, error }, row.updated_at);
}

/** Operator action: put a `failed` or `unknown` row back to `pending` (e.g. after checking the mailbox). */
export function resetOutbox(db: Kysely<Database>, k: OutboxKey, now: string): Promise<boolean> {
  return transition(db, k, ['failed', 'unknown'], { state: 'pending', updated_at: now, error: null });
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
