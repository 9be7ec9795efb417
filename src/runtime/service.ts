// The long-running service, by role: scheduler, workers (any subset of queues), web server — all in one process for
// `run`, or split across processes/machines (`scheduler`, `worker`, `serve`). Wires stages to queues by hand and
// owns shutdown: every close step runs even when another fails.
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { Config } from '../config/load.js';
import type { DbHandle } from '../store/db.js';
import { openDb } from '../store/db.js';
import { createFetcher, type Fetcher } from '../fetch/client.js';
import { createExtractor, type Extractor } from '../extract/pool.js';
import { closeFeedParser } from '../feeds/parse.js';
import { createHostGate } from '../queue/host-gate.js';
import { createFeedSlots, defaultPerFeed } from '../queue/feed-slots.js';
import { producerConnection, redisAnswers, redisWarnings, workerConnection } from '../queue/connection.js';
import { isLocalRedisUrl, redisServerInstalled, startPrivateRedis, type PrivateRedis } from '../queue/private-redis.js';
import { closeQueues, createQueues, enqueueDigest, enqueueItems, type Queues } from '../queue/queues.js';
import type { QueueKey } from '../queue/names.js';
import { applySchedules } from '../scheduler.js';
import { fetchPolicyFrom } from '../commands/context.js';
import { startPollWorker } from '../../workers/poll.js';
import { startArticleWorker } from '../../workers/article.js';
import { startDigestWorker } from '../../workers/digest.js';
import { startMaintenanceWorker } from '../../workers/maintenance.js';
import { createOpsMetrics, type OpsMetrics } from '../ops/metrics.js';
import { instrumentDigestWorker, instrumentFetcher, instrumentWorker } from '../ops/instrument.js';
import { startReloader } from './reload.js';
import { startScheduleGuard } from '../ops/schedule-guard.js';
import { requeueItems } from '../ops/requeue.js';
import { startMetricsServer } from '../ops/metrics-server.js';
import { createAuthThrottle } from '../http/throttle.js';
import { jobIds } from '../queue/names.js';
import { topicsHash } from '../classify/model/types.js';
import { catchUpDigests } from '../pipeline/catch-up.js';
import { SENDING_LEASE_MS } from '../deliver/deliver.js';
import { assertUniqueNames } from '../deliver/channel.js';
import { alertOnStored, alertSweep, digestExtras, pollExtras } from './push-alerts.js';

export interface Roles {
  scheduler: boolean;
  /** Queues this process consumes. */
  workers: QueueKey[];
  serve: boolean;
}

export interface ServiceOptions {
  /** run --once: short retries so queues drain in seconds. */
  once?: boolean;
  /** Override per-queue concurrency (`worker --concurrency N`). */
  concurrency?: number;
  /** Reload topics/feeds/digests on SIGHUP or file change (default: on, except with `once`). */
  reload?: boolean;
  /** The command line's config overrides, so a reload reads the same files (default: derived from cfg). */
  overrides?: import('../config/load.js').Overrides;
}

export interface Service {
  cfg: Config;
  store: DbHandle;
  queues: Queues;
  producer: Redis;
  fetcher: Fetcher;
  workers: Partial<Record<QueueKey, Worker>>;
  privateRedis?: PrivateRedis;
  /** This process's Prometheus registry and instruments (ops/). */
  metrics: OpsMetrics;
  /** The configuration in force (changes on reload). */
  current(): Config;
  /** Swap topics, feeds and digests for those of `next` and re-apply schedules (scheduler role). */
  applyConfig(next: Config): Promise<void>;
  /** Close everything, in order, each step even if another fails. Bounded by `timeoutMs`. */
  close(timeoutMs?: number): Promise<void>;
}

/** Make sure a Redis answers at the configured URL: start a private one when allowed and possible. */
export async function ensureRedis(cfg: Config, log: Logger): Promise<PrivateRedis | undefined> {
  const url = cfg.redis.url;
  if (await redisAnswers(url)) return undefined;
  if (cfg.redis.start_private && isLocalRedisUrl(url) && redisServerInstalled()) {
    const pr = await startPrivateRedis(url, cfg.dataDir);
    log.info({ redis_url: url, dir: `${cfg.dataDir}/redis` }, 'started a private redis-server (AOF on); it stops when wirewatch exits');
    return pr;
  }
  throw new Error(
    `redis: nothing answers at ${url}. Start Redis (e.g. "apt-get install redis-server" or "docker compose up redis"), ` +
      'or set REDIS_URL / redis.url in config/wirewatch.yml. wirewatch starts a private redis-server by itself when one is installed and the URL is local.',
  );
}

export async function startService(cfg: Config, log: Logger, roles: Roles, opts: ServiceOptions = {}): Promise<Service> {
  const privateRedis = await ensureRedis(cfg, log);
  const steps: [string, () => Promise<unknown>][] = [];
  const onFail = async (err: unknown) => {
    for (const [, fn] of steps.reverse()) await fn().catch(() => undefined);
    throw err;
  };
  let store: DbHandle;
  try {
    store = await openDb({ url: cfg.store.url || undefined, dataDir: cfg.dataDir, poolMax: cfg.store.pool_max });
  } catch (err) {
    await privateRedis?.stop();
    throw err;
  }
  if (privateRedis) steps.push(['private redis', () => privateRedis.stop()]);
  steps.push(['store', () => store.db.destroy()]);
  log.info({ store: store.where, dialect: store.dialect }, 'store open');

  const producer = producerConnection(cfg.redis.url);
  producer.on('error', (err) => log.warn({ err: err.message }, 'redis producer connection error'));
  steps.push(['producer', () => producer.quit()]);
  const queues = createQueues(producer, cfg.redis.prefix);
  steps.push(['queues', () => closeQueues(queues)]);
  try {
    // The producer has no offline queue: wait (bounded) for its first connection, or ping fails at once.
    if (producer.status !== 'ready') {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no connection within 10 s')), 10_000);
        producer.once('ready', () => { clearTimeout(t); resolve(); });
      });
    }
    await producer.ping();
  } catch (err) {
    await onFail(new Error(`redis: cannot reach ${cfg.redis.url}: ${(err as Error).message}`));
  }
  for (const w of await redisWarnings(producer)) log.warn({ redis_url: cfg.redis.url }, `WARNING: ${w}`);

  // One connection for every worker in this process and one for the host gate (blocking commands are per worker).
  const wconn = workerConnection(cfg.redis.url);
  wconn.on('error', (err) => log.warn({ err: err.message }, 'redis worker connection error'));
  steps.push(['worker connection', () => wconn.quit()]);
  const hostGate = createHostGate(producer, {
    prefix: cfg.redis.prefix,
    maxConcurrent: cfg.fetch.per_host_concurrency,
    minGapMs: opts.once ? Math.min(cfg.fetch.per_host_min_gap_ms, 50) : cfg.fetch.per_host_min_gap_ms,
  });
  const metrics = createOpsMetrics();
  const fetcher = instrumentFetcher(createFetcher({ ...fetchPolicyFrom(cfg), hostGate }), metrics);
  steps.push(['fetcher', () => fetcher.close()]);
  const extractor: Extractor | undefined = roles.workers.includes('article')
    ? createExtractor({ threads: cfg.workers.extract_threads, timeoutMs: cfg.workers.extract_timeout_ms, heapMb: cfg.workers.extract_heap_mb, maxHtmlBytes: cfg.fetch.max_bytes,
      maxElements: cfg.workers.extract_max_elements, maxDepth: cfg.workers.extract_max_depth })
    : undefined;
  if (extractor) steps.push(['extractor', () => extractor.close()]);
  steps.push(['feed parser', () => closeFeedParser()]);

  // Swapped whole on reload (applyConfig): workers read them through the closures below.
  let current = cfg;
  let feeds = new Map(cfg.feeds.map((f) => [f.id, f]));
  let digests = new Map(cfg.digests.map((d) => [d.id, d]));
  const workers: Partial<Record<QueueKey, Worker>> = {};
  // Alerts and WebSub (issue 16): their jobs ride the digest and poll queues.
  const push = { cfg, current: () => current, db: store.db, queues, log, once: opts.once };
  const onStoredAlert = alertOnStored(push);
  const common = { connection: wconn, prefix: cfg.redis.prefix, log };
  const c = (n: number) => opts.concurrency ?? n;
  if (roles.workers.includes('poll')) {
    workers.poll = startPollWorker({
      ...common, db: store.db, fetcher, queues, concurrency: c(cfg.workers.poll_concurrency), maxItems: cfg.poll.max_items,
      policy: pollPolicyFrom(cfg), feedById: (id) => feeds.get(id), fast: opts.once,
      ...pollExtras({ ...push, fetcher, feedById: (id) => feeds.get(id) }),
    });
  }
  if (roles.workers.includes('article') && extractor) {
    logSecondOpinion(cfg, log);
    workers.article = startArticleWorker({
      ...common, db: store.db, fetcher, extractor, concurrency: c(cfg.workers.article_concurrency), matcher: () => current.topics.matcher,
      secondOpinion: () => current.secondOpinion,
      feedSlots: createFeedSlots(producer, {
        prefix: cfg.redis.prefix, perFeed: cfg.workers.article_per_feed ?? defaultPerFeed(c(cfg.workers.article_concurrency)),
      }),
      onStored: (r) => {
        metrics.stored(r);
        onStoredAlert(r);
      },
    });
  }
  if (roles.workers.includes('digest')) {
    workers.digest = startDigestWorker({
      ...common, db: store.db, outputDir: cfg.outputDir, concurrency: c(cfg.workers.digest_concurrency),
      digestById: (id) => digests.get(id), topics: () => current.topics.topics.map((t) => ({ id: t.id, title: t.title })),
      baseUrl: cfg.http.base_url,
      ...digestExtras(push),
    });
  }
  if (roles.workers.includes('maintenance')) {
    workers.maintenance = startMaintenanceWorker({
      ...common, db: store.db, olderThanS: cfg.workers.reconcile_after_s,
      // Also retries jobs that failed for good (stalled twice, Q8) while their item is still discovered.
      enqueue: async (items) => {
        const r = await requeueItems(queues, items, log.child({ stage: 'reconcile' }));
        metrics.requeued('added', r.added);
        metrics.requeued('retried', r.retried);
      },
      sweep: {
        leaseMs: SENDING_LEASE_MS,
        repeatable: (digestId, channel) => {
          const alert = alertSweep(push, digestId);
          if (alert) return alert.repeatable(channel);
          const d = digests.get(digestId);
          const i = d ? assertUniqueNames(d.channels).indexOf(channel) : -1;
          return i < 0 ? undefined : d!.channels[i].type !== 'email';
        },
        redrive: (digestId, period) => alertSweep(push, digestId)?.redrive(period) ?? enqueueDigest(queues, digestId, period, jobIds.redrive(digestId, period, Math.floor(Date.now() / 3_600_000))),
        onSwept: (to) => metrics.swept(to, 1),
      },
      prune: { retentionDays: cfg.store.retention_days },
    });
  }
  for (const [k, w] of Object.entries(workers)) {
    w!.on('error', (err) => log.error({ err, queue: k }, 'worker error'));
    instrumentWorker(k, w!, metrics);
  }
  if (workers.digest) instrumentDigestWorker(workers.digest, store.db, metrics, (err) => log.warn({ err }, 'metrics: cannot read delivered digest'));
  // Workers close first (stop taking jobs, finish the ones in hand), then everything they use.
  steps.push(['workers', () => Promise.allSettled(Object.values(workers).map((w) => w!.close()))]);

  if (roles.scheduler) {
    await applySchedules(store.db, queues, {
      feeds: cfg.feeds, digests: cfg.digests, checkIntervalS: cfg.poll.min_interval_s, reconcileEveryS: cfg.workers.reconcile_every_s,
    });
    log.info({ feeds: cfg.feeds.length, digests: cfg.digests.length }, 'schedules registered');
    if (!opts.once) {
      await catchUpDigests({
        db: store.db, log, digests: cfg.digests, horizonDays: cfg.workers.digest_catch_up_days,
        enqueue: (digestId, fireTime, period) => enqueueDigest(queues, digestId, period, jobIds.digest(digestId, period), fireTime),
      });
    }
  }

  const applyConfig = async (next: Config): Promise<void> => {
    if (roles.scheduler) {
      await applySchedules(store.db, queues, {
        feeds: next.feeds, digests: next.digests, checkIntervalS: next.poll.min_interval_s, reconcileEveryS: next.workers.reconcile_every_s,
      });
    }
    current = next;
    feeds = new Map(next.feeds.map((f) => [f.id, f]));
    digests = new Map(next.digests.map((d) => [d.id, d]));
  };
  if (roles.scheduler && !opts.once) {
    const guard = startScheduleGuard({
      maintenance: queues.maintenance, schedulerId: jobIds.reconcileScheduler, everyMs: Math.max(5, cfg.workers.reconcile_every_s) * 1000, log,
      reapply: () => applyConfig(current),
    });
    steps.push(['schedule guard', async () => guard.close()]);
  }
  const metricsPort = Number(process.env.WIREWATCH_METRICS_PORT ?? cfg.http.metrics_port);
  if (!roles.serve && !opts.once && metricsPort > 0) {
    const auth = cfg.http.basic_auth || cfg.http.token ? { basic: cfg.http.basic_auth, token: cfg.http.token } : undefined;
    // A metrics port in use must not stop a worker from working: say so and go on.
    const throttle = createAuthThrottle({ maxFailures: cfg.http.auth_max_failures, windowMs: cfg.http.auth_window_s * 1000 });
    await startMetricsServer({ registry: metrics.registry, queues, db: store.db, redis: producer, host: cfg.http.host, port: metricsPort, auth, http: cfg.http, throttle, log }).then(
      (ms) => {
        steps.push(['metrics server', () => ms.close()]);
        log.info({ host: cfg.http.host, port: ms.port }, 'serving /metrics, /healthz, /readyz');
      },
      (err: Error) => log.error({ err: err.message }, 'metrics server not started'),
    );
  }
  if (opts.reload ?? !opts.once) {
    const reloader = startReloader({ cfg, log, overrides: opts.overrides, current: () => current, apply: applyConfig });
    steps.push(['reloader', () => reloader.close()]);
  }

  const close = async (timeoutMs = 30_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    for (const [name, fn] of [...steps].reverse()) {
      const left = Math.max(1000, deadline - Date.now());
      try {
        await Promise.race([fn(), new Promise((_, rej) => setTimeout(() => rej(new Error(`timed out after ${left} ms`)), left).unref())]);
      } catch (err) {
        log.warn({ step: name, err: (err as Error).message }, 'shutdown step failed');
      }
    }
  };
  return { cfg, store, queues, producer, fetcher, workers, privateRedis, metrics, current: () => current, applyConfig, close };
}

export function pollPolicyFrom(cfg: Config) {
  return {
    minIntervalS: cfg.poll.min_interval_s,
    maxIntervalS: cfg.poll.max_interval_s,
    defaultIntervalS: cfg.poll.default_interval_s,
    maxBackoffS: cfg.poll.max_backoff_s,
    unconditionalAfterS: cfg.poll.unconditional_after_s,
  };
}

/** Say at start whether the second-opinion model is in force, missing, or trained for other topics. */
function logSecondOpinion(cfg: Config, log: Logger): void {
  if (!cfg.classify.model.enabled) return;
  const so = cfg.secondOpinion;
  if (!so) {
    log.warn({ model_file: cfg.modelFile }, 'classify.model is enabled but the model file is missing: no "possibly relevant" matches (run `wirewatch topics train`)');
    return;
  }
  const topicIds = cfg.topics.topics.map((t) => t.id);
  const stale = so.model.file.topicsHash !== topicsHash(topicIds);
  log[stale ? 'warn' : 'info'](
    { model_file: cfg.modelFile, threshold: so.threshold, model_topics: so.model.file.topicIds, data_hash: so.model.file.dataHash.slice(0, 12), stale },
    stale ? 'second-opinion model was trained for other topics: only topics in both are scored (retrain with `wirewatch topics train`)' : 'second-opinion model loaded',
  );
}
