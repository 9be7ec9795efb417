// Small facts the store keeps about itself (table meta): when each digest definition was first seen, so catch-up
// never sends a back-dated digest for a time before wirewatch knew the digest.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export async function getMeta(db: Kysely<Database>, key: string): Promise<string | undefined> {
  return (await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst())?.value;
}

/** Set the key unless it exists; returns the value in force. */
export async function initMeta(db: Kysely<Database>, key: string, value: string): Promise<string> {
  await db.insertInto('meta').values({ key, value }).onConflict((oc) => oc.column('key').doNothing()).execute();
  return (await getMeta(db, key)) ?? value;
}

/**
 * When wirewatch first knew digest `digestId` (ISO): set on first sight to `now`, or, on a store that already
 * holds digests of it (an upgrade), to the start of its first stored period.
 */
export async function digestSince(db: Kysely<Database>, digestId: string, now: Date): Promise<string> {
  const key = `digest_since:${digestId}`;
  const have = await getMeta(db, key);
  if (have) return have;
  const r = await db.selectFrom('digests').select((eb) => eb.fn.min('period_start').as('first')).where('digest_id', '=', digestId).executeTakeFirst();
  return initMeta(db, key, (r?.first as string | null | undefined) ?? now.toISOString());
}
