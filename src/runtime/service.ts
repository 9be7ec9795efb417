// The long-running service, by role: scheduler, workers (any subset of queues), web server — all in one process for
// `run`, or split across processes/machines (`scheduler`, `worker`, `serve`). Assembly in two steps on one Closer:
// openResources, then startRoles. A start that fails half-way closes what it had opened before the error reaches
// the caller; a running service closes through the same Closer.
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { Config } from '../config/load.js';
import type { DbHandle } from '../store/db.js';
import type { Fetcher } from '../fetch/client.js';
import type { PrivateRedis } from '../queue/private-redis.js';
import type { Queues } from '../queue/queues.js';
import type { QueueKey } from '../queue/names.js';
import type { OpsMetrics } from '../ops/metrics.js';
import { openWithCloser } from './closer.js';
import { openResources } from './resources.js';
import { startRoles, type RoleOptions, type Roles } from './roles.js';
import type { LiveConfig } from './live-config.js';
import type { RunningWeb } from './web.js';

export type { Roles } from './roles.js';
export type ServiceOptions = RoleOptions;

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
  /** Topics, feeds and digests in force (they change on reload). */
  live: LiveConfig;
  /** The web server, when started with `roles.serve`. */
  web?: RunningWeb;
  /** The configuration in force (changes on reload). */
  current(): Config;
  /** Swap topics, feeds and digests for those of `next` and re-apply schedules (scheduler role). */
  applyConfig(next: Config): Promise<void>;
  /** Close everything, newest first, each step even if another fails. Bounded by `timeoutMs`. */
  close(timeoutMs?: number): Promise<void>;
}

export function startService(cfg: Config, log: Logger, roles: Roles, opts: ServiceOptions = {}): Promise<Service> {
  return openWithCloser(log, async (closer) => {
    const res = await openResources(cfg, log, closer, { once: opts.once, extractor: roles.workers.includes('article') });
    const running = await startRoles(roles, res, closer, opts);
    return {
      cfg, store: res.store, queues: res.queues, producer: res.producer, fetcher: res.fetcher, privateRedis: res.privateRedis, metrics: res.metrics,
      workers: running.workers, live: running.live, web: running.web, current: () => running.live.current(), applyConfig: running.applyConfig,
      close: (timeoutMs) => closer.close(timeoutMs),
    };
  });
}
