// Retention (maintenance queue): article text and html, and items, older than store.retention_days are pruned in
// small batches — each batch one short statement, so writers (SQLite has one) wait milliseconds, not minutes.
// Digests, matches, digest cuts and outbox rows are kept: stored digests carry their own copy of what they showed.
// An item still `discovered` is never pruned (it is work not done yet).
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

export interface PruneDeps {
  db: Kysely<Database>;
  retentionDays: number;
  batch?: number;
  /** Upper bound on batches per run; the next run continues. */
  maxBatches?: number;
  now?: () => Date;
}

export async function prune(d: PruneDeps): Promise<{ articles: number; items: number }> {
  const res = { articles: 0, items: 0 };
  if (d.retentionDays <= 0) return res;
  const now = d.now?.() ?? new Date();
  const cutoff = new Date(now.getTime() - d.retentionDays * 86_400_000).toISOString();
  const batch = d.batch ?? 500;
  const max = d.maxBatches ?? 200;
  for (let i = 0; i < max; i++) {
    const ids = (await d.db.selectFrom('articles').select('item_id').where('stored_at', '<', cutoff).where('text', '<>', '').limit(batch).execute()).map((r) => r.item_id);
    if (!ids.length) break;
    await d.db.updateTable('articles').set({ text: '', html: null, updated_at: now.toISOString() }).where('item_id', 'in', ids).execute();
    res.articles += ids.length;
    if (ids.length < batch) break;
  }
  for (let i = 0; i < max; i++) {
    const ids = (await d.db.selectFrom('items').select('id').where('discovered_at', '<', cutoff).where('state', '<>', 'discovered').limit(batch).execute()).map((r) => r.id);
    if (!ids.length) break;
    await d.db.deleteFrom('item_sources').where('item_id', 'in', ids).execute();
    await d.db.deleteFrom('items').where('id', 'in', ids).execute();
    res.items += ids.length;
    if (ids.length < batch) break;
  }
  return res;
}
