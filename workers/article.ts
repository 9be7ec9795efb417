// The article worker: a thin shell. Reads { itemId }, calls pipeline/article, logs one line. Permanent failures
// become UnrecoverableError (no retry); anything else retries with the queue's backoff.
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../src/log.js';
import { isPermanent } from '../src/errors.js';
import { QUEUES, type ArticlePayload } from '../src/queue/names.js';
import { processArticle, type ArticleDeps } from '../src/pipeline/article.js';
import { DEFER_MS } from '../src/queue/feed-slots.js';

export interface ArticleWorkerDeps extends Omit<ArticleDeps, 'matcher' | 'secondOpinion'> {
  connection: Redis;
  prefix: string;
  log: Logger;
  concurrency: number;
  /** Current topics (reloadable). */
  matcher: () => ArticleDeps['matcher'];
  /** Current second-opinion model, if enabled (reloadable). */
  secondOpinion?: () => ArticleDeps['secondOpinion'];
  onStored?: (r: { itemId: string; topics: string[]; discoveredAt?: string; publishedAt?: string }) => void;
  /** Per-feed running cap (queue/feed-slots): undefined = no cap. */
  feedSlots?: (feedId: string) => Promise<(() => void) | undefined>;
}

export function startArticleWorker(d: ArticleWorkerDeps): Worker<ArticlePayload> {
  return new Worker<ArticlePayload>(
    QUEUES.article,
    async (job: Job<ArticlePayload>, token?: string) => {
      const started = Date.now();
      const log = d.log.child({ stage: 'article', job_id: job.id, item_id: job.data.itemId, feed_id: job.data.feedId });
      const release = d.feedSlots ? await d.feedSlots(job.data.feedId) : () => undefined;
      if (!release) {
        // The feed already runs its share of jobs: step aside (not a failed attempt) rather than hold this slot.
        await job.moveToDelayed(Date.now() + Math.round(DEFER_MS * (0.5 + Math.random())), token);
        log.debug({ status: 'deferred' }, 'article');
        throw new DelayedError();
      }
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      try {
        const res = await processArticle({ ...d, matcher: d.matcher(), secondOpinion: d.secondOpinion?.() }, job.data.itemId, { lastAttempt });
        const topics = res.status === 'stored' ? res.matches.map((m) => m.topicId) : [];
        const possible = res.status === 'stored' && res.possible.length ? { possible_topics: res.possible.map((m) => m.topicId) } : {};
        log.info({ status: res.status, duration_ms: Date.now() - started, topics, ...possible,
          ...(res.status === 'stored' ? { via: res.via, fallback: res.fallbackReason } : {}),
          ...(res.status === 'failed' ? { code: res.code, error: res.message } : {}) }, 'article');
        if (res.status === 'stored') d.onStored?.({ itemId: job.data.itemId, topics, discoveredAt: job.data.discoveredAt, publishedAt: res.publishedAt });
        return { status: res.status, topics };
      } catch (err) {
        log.warn({ err, duration_ms: Date.now() - started, attempt: job.attemptsMade + 1 }, 'article failed');
        if (isPermanent(err)) throw new UnrecoverableError((err as Error).message);
        throw err;
      } finally {
        release();
      }
    },
    // Extraction runs in worker threads, so this event loop stays free to renew job locks.
    { connection: d.connection, prefix: d.prefix, concurrency: d.concurrency, maxStalledCount: 2 },
  );
}
