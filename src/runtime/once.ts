// `run --once`: poll every feed once, wait for exactly the work this run started (its poll jobs, the article jobs
// they enqueued, and its feeds' items left unstored by an earlier process), build the digests, stop. For cron users and tests. Schedules, delayed jobs and stalled jobs
// that other processes (a `wirewatch run` stopped or SIGKILLed on the same Redis) left behind are not waited for.
import type { Job, Queue } from 'bullmq';
import type { Logger } from '../log.js';
import { upsertFeeds } from '../store/feeds.js';
import { discoveredItems } from '../store/items.js';
import { enqueueRecorded } from '../pipeline/requeue.js';
import { JOBS, jobIds, type PollPayload } from '../queue/names.js';
import type { Service } from './service.js';
import { jobStandings } from '../queue/job-states.js';

export interface OnceResult {
  feeds: number;
  drained: boolean;
  digests: { digestId: string; period: string; built: boolean }[];
}

/** What `run --once` has done so far (the progress line and the final log). */
export interface OnceProgress {
  feedsPolled: number;
  feeds: number;
  articlesDone: number;
  articles: number;
  failures: number;
}

/** Longest time between two Redis look-ups of the pending article jobs while worker events keep settling them. */
const LOOKUP_EVERY_MS = 10_000;

/**
 * Tracks a set of job ids until each is finished (completed or failed — or gone: removed by retention, so done).
 * Events from this process's workers settle ids at once; the rest are looked up in Redis, so a job another
 * process ran is seen too. A job of ours that waits in `delayed` (an earlier run's retry backoff on the same job
 * id) is promoted: this run wants it now.
 */
class JobSet {
  readonly pending = new Set<string>();
  readonly failed = new Set<string>();
  readonly settledIds = new Set<string>();
  done = 0;
  constructor(private readonly queue: Queue) {}
  add(ids: string[]): void {
    for (const id of ids) if (!this.settledIds.has(id)) this.pending.add(id);
  }
  settle(id: string, failed: boolean): boolean {
    if (!this.pending.delete(id)) return false;
    this.settledIds.add(id);
    this.done++;
    if (failed) this.failed.add(id);
    return true;
  }
  /**
   * Look the pending ids up (one script call per 500, queue/job-states.ts); returns the jobs that finished as
   * completed when `withJobs` (their return values: the poll jobs' article job ids), else none.
   */
  async refresh(withJobs = false): Promise<Job[]> {
    const finished: Job[] = [];
    for (const [id, st] of await jobStandings(this.queue, [...this.pending])) {
      if (st === 'delayed') await (await this.queue.getJob(id))?.promote().catch(() => undefined);
      if (st !== 'completed' && st !== 'failed' && st !== 'missing') continue;
      const job = st === 'completed' && withJobs ? await this.queue.getJob(id) : undefined;
      if (this.settle(id, st === 'failed') && job) finished.push(job);
    }
    return finished;
  }
}

/**
 * Items of the configured feeds another process discovered but never stored (it was stopped or killed first) are
 * this run's work too: re-adding their job ids is a no-op for live jobs, and a stalled one is recovered by this
 * process's workers (lock 30 s + stalled check 30 s). Returns their article job ids.
 *
 * Only items that went `discovered` before this run started: this run's own polls enqueued the rest already, and
 * adding them again cost one BullMQ script call and one state look-up each (in a 2,000-article bench:e2e burst,
 * 1,964 of its 4,164 add-job calls).
 */
async function adoptDiscovered(svc: Service, log: Logger, runStarted: number): Promise<string[]> {
  const left = await discoveredItems(svc.store.db, svc.cfg.feeds.map((f) => f.id), 10_000, new Date(runStarted).toISOString());
  const items = left.map((r) => ({ itemId: r.id, feedId: r.feed_id, contentHash: r.content_hash }));
  return enqueueRecorded(svc.queues, svc.store.db, items, { fast: true, log });
}

export async function runOnce(
  svc: Service,
  log: Logger,
  opts: { drainTimeoutMs: number; buildDigests: (now: Date) => Promise<OnceResult['digests']>; onProgress?: (p: OnceProgress) => void },
): Promise<OnceResult> {
  const { cfg, store, queues } = svc;
  const started = Date.now();
  await upsertFeeds(store.db, cfg.feeds, new Date().toISOString());
  const polls = new JobSet(queues.poll);
  const articles = new JobSet(queues.article);
  const pollIds = cfg.feeds.map((f) => jobIds.pollOnce(f.id, started));
  polls.add(pollIds);
  const articlesOf = (result: unknown) => ((result as { articleJobs?: string[] } | undefined)?.articleJobs ?? []);
  // A poll that ran but could not fetch or parse its feed completes with status "error": a failure to report.
  const pollFailed = (result: unknown) => (result as { status?: string } | undefined)?.status === 'error';
  const onPoll = (job: Job | undefined, result: unknown, failed: boolean) => {
    if (job?.id && polls.settle(job.id, failed || pollFailed(result))) articles.add(articlesOf(result));
  };
  const onPollDone = (job: Job, result: unknown) => onPoll(job, result, false);
  const onPollFail = (job: Job | undefined) => onPoll(job, undefined, true);
  const onArticleDone = (job: Job) => void (job.id && articles.settle(job.id, false));
  const onArticleFail = (job: Job | undefined, _err: Error) => {
    // A failure with attempts left is retried (stays ours); only the final one settles it.
    if (job?.id && job.attemptsMade >= (job.opts.attempts ?? 1)) articles.settle(job.id, true);
  };
  svc.workers.poll?.on('completed', onPollDone).on('failed', onPollFail);
  svc.workers.article?.on('completed', onArticleDone).on('failed', onArticleFail);
  const progress = (): OnceProgress => ({
    feedsPolled: polls.done, feeds: pollIds.length, articlesDone: articles.done, articles: articles.done + articles.pending.size,
    failures: polls.failed.size + articles.failed.size,
  });
  let drained = false;
  try {
    await queues.poll.addBulk(
      cfg.feeds.map((f, i) => ({ name: JOBS.pollFeed, data: { feedId: f.id, force: true } satisfies PollPayload, opts: { jobId: pollIds[i], attempts: 1 } })),
    );
    let round = 0;
    let adopted = false;
    let doneAtLookup = -1;
    let lookedUpAt = 0;
    while (Date.now() - started < opts.drainTimeoutMs) {
      // Redis lookups every ~1 s; worker events settle our jobs in between.
      if (round++ % 5 === 0) {
        for (const job of await polls.refresh(true)) {
          if (pollFailed(job.returnvalue)) polls.failed.add(job.id!);
          articles.add(articlesOf(job.returnvalue));
        }
        if (!polls.pending.size && !adopted) {
          adopted = true;
          articles.add(await adoptDiscovered(svc, log, started));
        }
        // Article lookups cost one script call per pending job: asked every second they were ~20 Redis calls per
        // article in a 2,000-article burst (issue 15). This process's worker events settle its own jobs as they
        // finish, so Redis is asked only when those events stall (another process runs our jobs, a retry waits in
        // delayed) and at least every LOOKUP_EVERY_MS.
        if (articles.done === doneAtLookup || Date.now() - lookedUpAt >= LOOKUP_EVERY_MS) {
          await articles.refresh();
          lookedUpAt = Date.now();
        }
        doneAtLookup = articles.done;
      }
      opts.onProgress?.(progress());
      if (!polls.pending.size && !articles.pending.size) {
        drained = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    svc.workers.poll?.off('completed', onPollDone).off('failed', onPollFail);
    svc.workers.article?.off('completed', onArticleDone).off('failed', onArticleFail);
  }
  opts.onProgress?.(progress());
  if (!drained) log.warn({ timeout_ms: opts.drainTimeoutMs, ...progress() }, 'run --once: its jobs did not finish in time; building digests with what is stored');
  const digests = await opts.buildDigests(new Date());
  log.info({ drained, duration_ms: Date.now() - started, ...progress(), digests }, 'run --once finished');
  return { feeds: cfg.feeds.length, drained, digests };
}
