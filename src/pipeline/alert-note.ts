// "A story that has alerted says so in the next digest": stories any of whose articles belong to a story that fired
// an alert rule get a note with the rule and the local time it fired.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { alertsOfItems } from '../store/alerts.js';
import { localHHMM } from '../digest/time.js';
import type { Digest } from '../digest/types.js';

/** Add the "alerted" note to the digest's stories in place; returns the digest. */
export async function noteAlerted(db: Kysely<Database>, d: Digest): Promise<Digest> {
  const ids = d.topics.flatMap((t) => t.stories.flatMap((s) => [s.itemId, ...s.others.map((o) => o.itemId)]));
  const byItem = await alertsOfItems(db, [...new Set(ids)]);
  if (!byItem.size) return d;
  for (const t of d.topics) {
    for (const s of t.stories) {
      const hits = [s.itemId, ...s.others.map((o) => o.itemId)].flatMap((id) => byItem.get(id) ?? []);
      if (!hits.length) continue;
      const first = new Map<string, string>();
      for (const h of hits.sort((a, b) => a.firedAt.localeCompare(b.firedAt))) if (!first.has(h.alertId)) first.set(h.alertId, h.firedAt);
      s.note = `Alerted: ${[...first].map(([id, at]) => `${id} at ${localHHMM(at, d.tz)}`).join(', ')}`;
    }
  }
  return d;
}
