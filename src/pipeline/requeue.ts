// The reconciler's enqueue: items still `discovered` in the store whose job is gone (Redis wiped), failed for good
// (stalled past maxStalledCount — Q8 —, or out of attempts) or even completed (its store write was lost) must run
// again. A plain add is a no-op while a job with that id exists, so failed and completed jobs are retried in place
// (attempt counters reset) and everything else is added; waiting/active/delayed jobs are left alone.
import type { Kysely } from 'kysely';
import type { Logger } from '../log.js';
import type { Database } from '../store/schema.js';
import { itemsInState } from '../store/items.js';
import { enqueueItems, type Queues } from '../queue/queues.js';
import { jobIds } from '../queue/names.js';
import { jobStandings } from '../queue/job-states.js';

export interface RequeueItem { itemId: string; feedId: string; contentHash: string }

export async function requeueItems(q: Queues, items: RequeueItem[], log?: Logger): Promise<{ added: number; retried: number }> {
  const fresh: RequeueItem[] = [];
  let retried = 0;
  for (const it of items) {
    const job = await q.article.getJob(jobIds.article(it.itemId, it.contentHash));
    const state = job ? await job.getState() : 'missing';
    if (job && (state === 'failed' || state === 'completed')) {
      await job.retry(state, { resetAttemptsMade: true, resetAttemptsStarted: true });
      retried++;
      // Alert: a job that ended without its item stored is a bug or a fault worth a look.
      log?.error({ item_id: it.itemId, job_id: job.id, state, failed_reason: job.failedReason }, `reconciler: item still discovered but its job is ${state}; retrying it`);
    } else if (!job) {
      fresh.push(it);
    }
  }
  await enqueueItems(q, fresh);
  return { added: fresh.length, retried };
}

/**
 * Enqueue the article jobs of items this store has just recorded (poll, WebSub push, `run --once` adopting what an
 * earlier process left). Returns their job ids.
 *
 * A job Redis already holds as completed or failed may have finished for another store on the same Redis prefix (a
 * second data dir, or a store deleted and started afresh): a plain add is then a no-op, and the item would wait for
 * the reconciler (up to workers.reconcile_after_s) — or, in `run --once`, never be stored at all. Such a job is
 * retried in place when, after Redis said it finished (one script call per 500 jobs), this store still has its item
 * `discovered`: a job this process's own workers finished in the meantime stored its item first (the store commit
 * precedes the job's completion), so it is not run twice.
 */
export async function enqueueRecorded(
  q: Queues,
  db: Kysely<Database>,
  items: { itemId: string; feedId: string; contentHash: string; discoveredAt?: string }[],
  opts: { fast?: boolean; log?: Logger } = {},
): Promise<string[]> {
  const ids = items.map((it) => jobIds.article(it.itemId, it.contentHash));
  if (!ids.length) return ids;
  await enqueueItems(q, items, { fast: opts.fast });
  const finished = new Map<string, 'completed' | 'failed'>();
  for (const [id, st] of await jobStandings(q.article, ids)) if (st === 'completed' || st === 'failed') finished.set(id, st);
  if (!finished.size) return ids;
  const itemOf = new Map(items.map((it, i) => [ids[i]!, it.itemId]));
  const waiting = await itemsInState(db, [...finished.keys()].map((id) => itemOf.get(id)!), 'discovered');
  let revived = 0;
  for (const [id, state] of finished) {
    if (!waiting.has(itemOf.get(id)!)) continue;
    const job = await q.article.getJob(id);
    if (!job) continue;
    await job.retry(state, { resetAttemptsMade: true, resetAttemptsStarted: true });
    revived++;
  }
  if (revived) opts.log?.warn({ revived }, 'new items whose article jobs had already finished (another store on this Redis prefix?): run again for this store');
  return ids;
}
