// The second half of process assembly: start the roles this process plays on the opened resources — the workers
// for its queues, the scheduler, the metrics listener of a process without the web server, the config reloader —
// registering each with the Closer. The only file under src/ that knows the BullMQ consumers in workers/.
import type { Worker } from 'bullmq';
import type { Logger } from '../log.js';
import type { Config, Overrides } from '../config/load.js';
import { ALL_QUEUES, jobIds, type QueueKey } from '../queue/names.js';
import { createFeedSlots, defaultPerFeed } from '../queue/feed-slots.js';
import { enqueueDigest } from '../queue/queues.js';
import { topicsHash } from '../classify/model/types.js';
import { SENDING_LEASE_MS } from '../deliver/deliver.js';
import { assertUniqueNames } from '../deliver/channel.js';
import { requeueItems } from '../pipeline/requeue.js';
import { createSearchIndexer, type SearchIndexer } from '../pipeline/search-index.js';
import { instrumentDigestWorker, instrumentWorker } from '../ops/instrument.js';
import { startPollWorker } from '../../workers/poll.js';
import { startArticleWorker } from '../../workers/article.js';
import { startDigestWorker } from '../../workers/digest.js';
import { startMaintenanceWorker } from '../../workers/maintenance.js';
import { ALERT_JOBS, alertProcessor } from '../../workers/alert.js';
import { WEBSUB_JOBS, websubProcessor } from '../../workers/websub.js';
import { alertDeps, alertOnStored, alertSweep, pollExtras, type Parts as PushParts } from './push.js';
import type { Closer } from './closer.js';
import { createLiveConfig, type LiveConfig } from './live-config.js';
import { pollPolicyFrom } from './policies.js';
import { startReloader } from './reload.js';
import type { Resources } from './resources.js';
import { startSchedulerRole, type SchedulerRole } from './scheduler-role.js';
import { startMetricsListener, startWeb, type RunningWeb } from './web.js';

export interface Roles {
  scheduler: boolean;
  /** Queues this process consumes. */
  workers: QueueKey[];
  serve: boolean;
}

export interface RoleOptions {
  /** run --once: short retries so queues drain in seconds; no schedule guard, catch-up, metrics listener or reload. */
  once?: boolean;
  /** Override per-queue concurrency (`worker --concurrency N`). */
  concurrency?: number;
  /** Reload topics/feeds/digests on SIGHUP or file change (default: on, except with `once`). */
  reload?: boolean;
  /** The command line's config overrides, so a reload reads the same files (default: derived from cfg). */
  overrides?: Overrides;
}

export interface RunningRoles {
  workers: Partial<Record<QueueKey, Worker>>;
  live: LiveConfig;
  /** The web server, when the process serves (`roles.serve`). */
  web?: RunningWeb;
  /** Swap topics, feeds and digests for those of `next` and re-apply schedules (scheduler role). */
  applyConfig(next: Config): Promise<void>;
}

/** What a worker starter may need beyond the resources: the search indexer the article path nudges; alerts and WebSub. */
interface Extras { searchIndex?: SearchIndexer; push: PushParts }

type Starter = (res: Resources, live: LiveConfig, concurrency: (n: number) => number, opts: RoleOptions, extras: Extras) => Worker;

/**
 * Stored articles are indexed for search in batches right behind the article worker. Registered before the workers
 * so that the Closer (newest first) flushes it after they stop and before the store closes.
 */
function startSearchIndex(res: Resources, closer: Closer): SearchIndexer {
  const searchLog = res.log.child({ stage: 'search_index' });
  const searchIndex = createSearchIndexer(res.store.db, { onError: (err) => searchLog.warn({ err }, 'search index: sync failed; retried on the next article') });
  closer.add('search index', () => searchIndex.flush());
  return searchIndex;
}

export async function startRoles(roles: Roles, res: Resources, closer: Closer, opts: RoleOptions = {}): Promise<RunningRoles> {
  const { cfg, log } = res;
  const live = createLiveConfig(cfg);
  const concurrency = (n: number) => opts.concurrency ?? n;
  const workers: Partial<Record<QueueKey, Worker>> = {};
  const extras: Extras = { push: { cfg, current: () => live.current(), db: res.store.db, queues: res.queues, log, once: opts.once } };
  if (roles.workers.includes('article') && res.extractor) extras.searchIndex = startSearchIndex(res, closer);
  // Registered before the first worker starts: workers close first (stop taking jobs, finish the ones in hand),
  // then everything they use, which was registered earlier.
  closer.add('workers', () => Promise.allSettled(Object.values(workers).map((w) => w!.close())));
  for (const k of ALL_QUEUES.filter((q) => roles.workers.includes(q))) {
    if (k === 'article' && !res.extractor) continue;
    const w = STARTERS[k](res, live, concurrency, opts, extras);
    workers[k] = w;
    w.on('error', (err) => log.error({ err, queue: k }, 'worker error'));
    instrumentWorker(k, w, res.metrics);
  }
  if (workers.digest) instrumentDigestWorker(workers.digest, res.store.db, res.metrics, (err) => log.warn({ err }, 'metrics: cannot read delivered digest'));

  let scheduler: SchedulerRole | undefined;
  const applyConfig = async (next: Config): Promise<void> => {
    await scheduler?.apply(next);
    live.swap(next);
  };
  if (roles.scheduler) scheduler = await startSchedulerRole(res, closer, { once: opts.once, reapply: () => applyConfig(live.current()) });
  if (!roles.serve && !opts.once) await startMetricsListener(res, closer);
  if (opts.reload ?? !opts.once) {
    const reloader = startReloader({ cfg, log, overrides: opts.overrides, current: () => live.current(), apply: applyConfig });
    closer.add('reloader', () => reloader.close());
  }
  // Last: the pages answer only once everything they show is running.
  const web = roles.serve ? await startWeb({ cfg, db: res.store.db, queues: res.queues, redis: res.producer, registry: res.metrics.registry, live }, log) : undefined;
  if (web) closer.add('web server', () => web.close());
  return { workers, live, web, applyConfig };
}

const STARTERS: Record<QueueKey, Starter> = {
  poll: (res, live, c, opts, extras) => {
    // WebSub: safety-net polling, subscribing after polls, and the WebSub jobs, which share the poll queue.
    const { websub, ...push } = pollExtras({ ...extras.push, fetcher: res.fetcher, feedById: live.feed });
    return startPollWorker({
      ...common(res), db: res.store.db, fetcher: res.fetcher, queues: res.queues, concurrency: c(res.cfg.workers.poll_concurrency),
      maxItems: res.cfg.poll.max_items, policy: pollPolicyFrom(res.cfg), feedById: live.feed, fast: opts.once,
      ...push, ...(websub ? { others: { names: WEBSUB_JOBS, run: websubProcessor(websub) } } : {}),
    });
  },
  article: (res, live, c, _opts, extras) => {
    const { cfg, metrics } = res;
    logSecondOpinion(cfg, res.log);
    const onStoredAlert = alertOnStored(extras.push);
    return startArticleWorker({
      searchIndex: extras.searchIndex,
      ...common(res), db: res.store.db, fetcher: res.fetcher, extractor: res.extractor!, concurrency: c(cfg.workers.article_concurrency),
      matcher: () => live.current().topics.matcher,
      secondOpinion: () => live.current().secondOpinion,
      feedSlots: createFeedSlots(res.producer, {
        prefix: cfg.redis.prefix, perFeed: cfg.workers.article_per_feed ?? defaultPerFeed(c(cfg.workers.article_concurrency)),
      }),
      onStored: (r) => {
        metrics.stored(r);
        onStoredAlert(r);
      },
    });
  },
  digest: (res, live, c, _opts, extras) =>
    startDigestWorker({
      ...common(res), db: res.store.db, outputDir: res.cfg.outputDir, concurrency: c(res.cfg.workers.digest_concurrency),
      digestById: live.digest, topics: live.topics, baseUrl: res.cfg.http.base_url,
      // The alert jobs share the digest queue.
      others: { names: ALERT_JOBS, run: alertProcessor(alertDeps(extras.push)) },
    }),
  maintenance: (res, live, _c, _opts, extras) => {
    const { cfg, queues, metrics, log } = res;
    return startMaintenanceWorker({
      ...common(res), db: res.store.db, olderThanS: cfg.workers.reconcile_after_s,
      // Also retries jobs that failed for good (stalled twice, Q8) while their item is still discovered.
      enqueue: async (items) => {
        const r = await requeueItems(queues, items, log.child({ stage: 'reconcile' }));
        metrics.requeued('added', r.added);
        metrics.requeued('retried', r.retried);
      },
      sweep: {
        leaseMs: SENDING_LEASE_MS,
        repeatable: (digestId, channel) => {
          const alert = alertSweep(extras.push, digestId);
          if (alert) return alert.repeatable(channel);
          const d = live.digest(digestId);
          const i = d ? assertUniqueNames(d.channels).indexOf(channel) : -1;
          return i < 0 ? undefined : d!.channels[i].type !== 'email';
        },
        redrive: (digestId, period) =>
          alertSweep(extras.push, digestId)?.redrive(period) ?? enqueueDigest(queues, digestId, period, jobIds.redrive(digestId, period, Math.floor(Date.now() / 3_600_000))),
        onSwept: (to) => metrics.swept(to, 1),
      },
      prune: { retentionDays: cfg.store.retention_days },
    });
  },
};

function common(res: Resources) {
  return { connection: res.workerConnection, prefix: res.cfg.redis.prefix, log: res.log };
}

/** Say at start whether the second-opinion model is in force, missing, or trained for other topics. */
function logSecondOpinion(cfg: Config, log: Logger): void {
  if (!cfg.classify.model.enabled) return;
  const so = cfg.secondOpinion;
  if (!so) {
    log.warn({ model_file: cfg.modelFile }, 'classify.model is enabled but the model file is missing: no "possibly relevant" matches (run `wirewatch topics train`)');
    return;
  }
  const topicIds = cfg.topics.list.map((t) => t.id);
  const stale = so.model.file.topicsHash !== topicsHash(topicIds);
  log[stale ? 'warn' : 'info'](
    { model_file: cfg.modelFile, threshold: so.threshold, model_topics: so.model.file.topicIds, data_hash: so.model.file.dataHash.slice(0, 12), stale },
    stale ? 'second-opinion model was trained for other topics: only topics in both are scored (retrain with `wirewatch topics train`)' : 'second-opinion model loaded',
  );
}
