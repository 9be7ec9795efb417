// The first half of process assembly: everything a role needs that must be opened and later closed — Redis (a
// private one when allowed), the producer and worker connections, the queues, the store, the guarded fetcher, the
// extract threads — each registered with the Closer as soon as it is open. Redis comes first: without it no role can
// do anything, and it is what an operator is most often missing.
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { Config } from '../config/load.js';
import { openDb, type DbHandle } from '../store/db.js';
import { createFetcher, type Fetcher } from '../fetch/client.js';
import { createExtractor, type Extractor } from '../extract/pool.js';
import { closeFeedParser } from '../feeds/parse.js';
import { createHostGate } from '../queue/host-gate.js';
import { producerConnection, redisAnswers, redisWarnings, workerConnection } from '../queue/connection.js';
import { isLocalRedisUrl, redisServerInstalled, startPrivateRedis, type PrivateRedis } from '../queue/private-redis.js';
import { closeQueues, createQueues, type Queues } from '../queue/queues.js';
import { createOpsMetrics, type OpsMetrics } from '../ops/metrics.js';
import { instrumentFetcher } from '../ops/instrument.js';
import type { Closer } from './closer.js';
import { extractorOptionsFrom, fetchPolicyFrom, storeOptionsFrom } from './policies.js';

export interface Resources {
  cfg: Config;
  log: Logger;
  privateRedis?: PrivateRedis;
  /** Fails fast while Redis is down (no offline queue): for enqueueing and health checks. */
  producer: Redis;
  queues: Queues;
  /** Shared by every worker of this process; retries forever while Redis is down. */
  workerConnection: Redis;
  store: DbHandle;
  /** This process's Prometheus registry and instruments. */
  metrics: OpsMetrics;
  fetcher: Fetcher;
  /** Only when the process consumes the article queue. */
  extractor?: Extractor;
}

export interface OpenOptions {
  /** run --once: at most a 50 ms gap between requests to one host, so a local test site drains in seconds. */
  once?: boolean;
  /** Start the extract threads (the article role needs them). */
  extractor?: boolean;
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

/**
 * Open every resource in order, registering each with `closer` as it opens. Throws on the first failure, leaving
 * what was opened registered: the caller closes the Closer (see openWithCloser).
 */
export async function openResources(cfg: Config, log: Logger, closer: Closer, opts: OpenOptions = {}): Promise<Resources> {
  // First: the extraction threads load jsdom (~1 s of CPU each) on the other core while this thread connects to
  // Redis and opens (migrates) the store.
  const extractor = opts.extractor ? createExtractor(extractorOptionsFrom(cfg)) : undefined;
  if (extractor) closer.add('extractor', () => extractor.close());
  const privateRedis = await ensureRedis(cfg, log);
  if (privateRedis) closer.add('private redis', () => privateRedis.stop());
  const { producer, queues, workerConnection: wconn } = await openRedis(cfg, log, closer);

  const store = await openDb(storeOptionsFrom(cfg));
  closer.add('store', () => store.db.destroy());
  log.info({ store: store.where, dialect: store.dialect }, 'store open');

  const hostGate = createHostGate(producer, {
    prefix: cfg.redis.prefix,
    maxConcurrent: cfg.fetch.per_host_concurrency,
    minGapMs: opts.once ? Math.min(cfg.fetch.per_host_min_gap_ms, 50) : cfg.fetch.per_host_min_gap_ms,
  });
  const metrics = createOpsMetrics();
  const fetcher = instrumentFetcher(createFetcher({ ...fetchPolicyFrom(cfg), hostGate }), metrics);
  closer.add('fetcher', () => fetcher.close());
  // The feed parser starts its threads on first use; closing it when none ran is a no-op.
  closer.add('feed parser', () => closeFeedParser());
  return { cfg, log, privateRedis, producer, queues, workerConnection: wconn, store, metrics, fetcher, extractor };
}

/** The producer (checked to answer), the queues on it, and the worker connection. */
async function openRedis(cfg: Config, log: Logger, closer: Closer): Promise<Pick<Resources, 'producer' | 'queues' | 'workerConnection'>> {
  const producer = producerConnection(cfg.redis.url);
  producer.on('error', (err) => log.warn({ err: err.message }, 'redis producer connection error'));
  closer.add('producer', () => closeRedis(producer));
  const queues = createQueues(producer, cfg.redis.prefix);
  closer.add('queues', () => closeQueues(queues));
  try {
    await ready(producer, 10_000);
    await producer.ping();
  } catch (err) {
    throw new Error(`redis: cannot reach ${cfg.redis.url}: ${(err as Error).message}`);
  }
  for (const w of await redisWarnings(producer)) log.warn({ redis_url: cfg.redis.url }, `WARNING: ${w}`);

  // One connection for every worker in this process (BullMQ opens its own blocking connection per worker from it).
  const wconn = workerConnection(cfg.redis.url);
  wconn.on('error', (err) => log.warn({ err: err.message }, 'redis worker connection error'));
  closer.add('worker connection', () => closeRedis(wconn));
  return { producer, queues, workerConnection: wconn };
}

/** The producer has no offline queue: wait (bounded) for its first connection, or the first command fails at once. */
function ready(r: Redis, ms: number): Promise<void> {
  if (r.status === 'ready') return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no connection within ${ms / 1000} s`)), ms);
    r.once('ready', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/**
 * QUIT a connection that is up (pending replies arrive first); drop one that is not, since QUIT would wait in the
 * offline queue for a Redis that may never come back.
 */
export function closeRedis(r: Redis): Promise<unknown> {
  if (r.status === 'ready') return r.quit();
  r.disconnect();
  return Promise.resolve();
}
