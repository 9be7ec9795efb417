// Built digests: one row per (digest, period). The insert is the claim: whoever inserts first built it. A row is
// inserted with empty content together with its cut (store/cuts.ts), then filled in; readers see filled rows only.
import { sql, type Kysely } from 'kysely';
import type { Database, DigestsTable } from './schema.js';

export type DigestRow = DigestsTable;

/** Store a built digest unless one exists for (digest, period). Returns true when this call stored it. */
export async function putDigest(db: Kysely<Database>, row: DigestRow): Promise<boolean> {
  const r = await db.insertInto('digests').values(row).onConflict((oc) => oc.columns(['digest_id', 'period']).doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Fill in a claimed row's content (only while it is still empty). True when this call wrote it. */
export async function fillDigest(db: Kysely<Database>, digestId: string, period: string, content: string): Promise<boolean> {
  const r = await db.updateTable('digests').set({ content }).where('digest_id', '=', digestId).where('period', '=', period).where('content', '=', '').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A built digest (claimed rows still being built are not returned). */
export async function getDigest(db: Kysely<Database>, digestId: string, period: string): Promise<DigestRow | undefined> {
  const r = await getDigestRow(db, digestId, period);
  return r?.content ? r : undefined;
}

/** The row whatever its state: a claim whose content is still empty included. */
export async function getDigestRow(db: Kysely<Database>, digestId: string, period: string): Promise<DigestRow | undefined> {
  return db.selectFrom('digests').selectAll().where('digest_id', '=', digestId).where('period', '=', period).executeTakeFirst();
}

export async function listDigests(db: Kysely<Database>, opts: { digestId?: string; limit?: number } = {}): Promise<DigestRow[]> {
  let q = db.selectFrom('digests').selectAll().where('content', '<>', '');
  if (opts.digestId) q = q.where('digest_id', '=', opts.digestId);
  return q.orderBy('period', 'desc').orderBy('digest_id').limit(opts.limit ?? 100).execute();
}

export type DigestKey = Pick<DigestsTable, 'digest_id' | 'period' | 'built_at'>;

/**
 * The built digests' keys, newest period first, without their content (pages that list periods, or that keep parsed
 * digests, read no JSON for this). `length(content)` reads no content in SQLite (only the record's length).
 */
export async function listDigestKeys(db: Kysely<Database>, opts: { digestId?: string; limit?: number } = {}): Promise<DigestKey[]> {
  let q = db.selectFrom('digests').select(['digest_id', 'period', 'built_at']).where(sql<number>`length(content)`, '>', 0);
  if (opts.digestId) q = q.where('digest_id', '=', opts.digestId);
  return q.orderBy('period', 'desc').orderBy('digest_id').limit(opts.limit ?? 100).execute();
}

/** The content of these built digests (any order). */
export async function digestContents(db: Kysely<Database>, keys: Pick<DigestKey, 'digest_id' | 'period'>[]): Promise<DigestRow[]> {
  if (!keys.length) return [];
  return db.selectFrom('digests').selectAll()
    .where((eb) => eb.or(keys.map((k) => eb.and([eb('digest_id', '=', k.digest_id), eb('period', '=', k.period)]))))
    .where('content', '<>', '').execute();
}
