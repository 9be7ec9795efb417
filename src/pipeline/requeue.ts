// The reconciler's enqueue: items still `discovered` in the store whose job is gone (Redis wiped), failed for good
// (stalled past maxStalledCount — Q8 —, or out of attempts) or even completed (its store write was lost) must run
// again. A plain add is a no-op while a job with that id exists, so failed and completed jobs are retried in place
// (attempt counters reset) and everything else is added; waiting/active/delayed jobs are left alone.
import type { Logger } from '../log.js';
import { enqueueItems, type Queues } from '../queue/queues.js';
import { jobIds } from '../queue/names.js';

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
 * Article jobs for items this store has only just recorded, which Redis already holds as completed or failed: they
 * finished for another store on the same Redis prefix (a second data dir, or a store deleted and started afresh), so
 * a plain add was a no-op and the item would wait for the reconciler (up to workers.reconcile_after_s) — or, in
 * `run --once`, never be stored at all. Retried in place, so they run again for this store. One state lookup per
 * job, run concurrently; returns how many were retried.
 */
export async function reviveFinished(q: Queues, jobIdList: string[], log?: Logger): Promise<number> {
  const states = await Promise.all(jobIdList.map((id) => q.article.getJobState(id)));
  let revived = 0;
  for (const [i, state] of states.entries()) {
    if (state !== 'completed' && state !== 'failed') continue;
    const job = await q.article.getJob(jobIdList[i]!);
    if (!job) continue;
    await job.retry(state, { resetAttemptsMade: true, resetAttemptsStarted: true });
    revived++;
  }
  if (revived) log?.warn({ revived }, 'new items whose article jobs had already finished (another store on this Redis prefix?): run again for this store');
  return revived;
}
