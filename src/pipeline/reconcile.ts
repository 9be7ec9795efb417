// The reconciler: the database is the source of truth, Redis only the work queue. Items still `discovered` long
// after discovery lost their job (Redis wiped or restarted without AOF, a job stalled past maxStalledCount, a job
// removed by hand): re-enqueue them. Re-adding an existing job id is a no-op in BullMQ, so this is always safe.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { stuckItems } from '../store/items.js';

export interface ReconcileDeps {
  db: Kysely<Database>;
  /** Enqueue the given items (queue/queues.enqueueItems). */
  enqueue: (items: { itemId: string; feedId: string; contentHash: string }[]) => Promise<void>;
  olderThanS: number;
  batch?: number;
  now?: () => Date;
}

export async function reconcile(d: ReconcileDeps): Promise<{ requeued: number }> {
  const now = d.now?.() ?? new Date();
  const cutoff = new Date(now.getTime() - d.olderThanS * 1000).toISOString();
  let requeued = 0;
  // Bounded: at most 20 batches per run; the next run continues.
  for (let round = 0; round < 20; round++) {
    const rows = await stuckItems(d.db, cutoff, d.batch ?? 500);
    if (!rows.length) break;
    await d.enqueue(rows.map((r) => ({ itemId: r.id, feedId: r.feed_id, contentHash: r.content_hash })));
    // Touch state_at so the same rows are not picked again in this run (and the next waits a full bound).
    await d.db.updateTable('items').set({ state_at: now.toISOString() }).where('id', 'in', rows.map((r) => r.id)).where('state', '=', 'discovered').execute();
    requeued += rows.length;
    if (rows.length < (d.batch ?? 500)) break;
  }
  return { requeued };
}
