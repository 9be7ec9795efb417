// Parsed stored digests, kept per store: a stored digest's content never changes once filled (store/digests.ts), so
// the topic pages, which read the recent thirty on every request, parse each one once instead of 2 MB of JSON a time.
import type { Kysely } from 'kysely';
import type { Digest } from '../digest/types.js';
import { digestContents, listDigestKeys } from '../store/digests.js';
import type { Database } from '../store/schema.js';

/** Parsed digests kept per store (the oldest-parsed dropped first past it). */
export const PARSED_DIGESTS_KEPT = 200;

const parsedByStore = new WeakMap<object, Map<string, Digest>>();

/** The most recent `limit` built digests (any digest id), newest period first. */
export async function recentDigests(db: Kysely<Database>, limit: number): Promise<Digest[]> {
  let parsed = parsedByStore.get(db);
  if (!parsed) parsedByStore.set(db, (parsed = new Map()));
  const keys = await listDigestKeys(db, { limit });
  // built_at is in the key: a digest row deleted and built again is a different digest.
  const name = (k: { digest_id: string; period: string; built_at: string }) => `${k.digest_id}\u0000${k.period}\u0000${k.built_at}`;
  const missing = keys.filter((k) => !parsed.has(name(k)));
  for (const row of await digestContents(db, missing)) {
    parsed.set(name(row), JSON.parse(row.content) as Digest);
    if (parsed.size > PARSED_DIGESTS_KEPT) parsed.delete(parsed.keys().next().value!);
  }
  return keys.map((k) => parsed.get(name(k))).filter((d): d is Digest => !!d);
}
