// The one web wiring, for `run` and `serve` alike: the digest UI (http/app) plus the operations routes (health,
// readiness, metrics, queue dashboard) on the same app, so one auth setting guards pages, feeds, metrics and the
// dashboard. Also the small metrics listener of a process without the web server. The auth, the failed-auth
// throttle and the allowed Host names are derived from the config here and nowhere else.
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Registry } from 'prom-client';
import type { Logger } from '../log.js';
import type { Config } from '../config/load.js';
import type { Database } from '../store/schema.js';
import { openDb } from '../store/db.js';
import { producerConnection } from '../queue/connection.js';
import { closeQueues, createQueues, type Queues } from '../queue/queues.js';
import { createOpsMetrics } from '../ops/metrics.js';
import { createWebApp, startWebServer, type WebAuth, type WebDeps } from '../http/app.js';
import { authMiddleware, webAuthFrom } from '../http/auth.js';
import { assertSafeBind } from '../http/exposure.js';
import { allowedHostsFor } from '../http/guard.js';
import { startMetricsServer } from '../http/metrics-server.js';
import { registerOpsRoutes } from '../http/ops.js';
import { createAuthThrottle, type AuthThrottle } from '../http/throttle.js';
import { openWithCloser, type Closer } from './closer.js';
import { topicTitles, type LiveConfig } from './live-config.js';
import { storeOptionsFrom } from './policies.js';
import type { Resources } from './resources.js';
import { websubRoutes } from './push.js';

export interface RunningWeb {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** What the web server reads: the store, the queues and Redis (ops routes), a metrics registry. */
export interface WebParts {
  cfg: Config;
  db: Kysely<Database>;
  queues: Queues;
  /** Answers /readyz's PING: a producer connection (fails fast while Redis is down). */
  redis: Redis;
  registry: Registry;
  /** Digests and topics to read per request, following reloads; default: those of `cfg`, fixed. */
  live?: LiveConfig;
}

/** Auth and its throttle from http.*: one derivation for every listener. */
function guardsFrom(http: Config['http']): { auth?: WebAuth; throttle: AuthThrottle } {
  return { auth: webAuthFrom(http), throttle: createAuthThrottle({ maxFailures: http.auth_max_failures, windowMs: http.auth_window_s * 1000 }) };
}

/** The web app's dependencies from the loaded config; `host` is the bound address (a name joins the allowed hosts). */
export function webDepsFrom(cfg: Config, db: Kysely<Database>, log: Logger, host: string = cfg.http.host): WebDeps {
  const { auth, throttle } = guardsFrom(cfg.http);
  return {
    db, log, digests: cfg.digests, topics: topicTitles(cfg), baseUrl: cfg.http.base_url,
    auth, allowedHosts: allowedHostsFor(cfg.http, host), authThrottle: throttle,
  };
}

/** Build the app and listen on `over.host`/`over.port` (default http.host/http.port). Refuses an unsafe bind. */
export async function startWeb(p: WebParts, log: Logger, over: { host?: string; port?: number } = {}): Promise<RunningWeb> {
  const { cfg } = p;
  const host = over.host ?? cfg.http.host;
  assertSafeBind(host, cfg.http);
  const deps = webDepsFrom(cfg, p.db, log.child({ stage: 'http' }), host);
  const live = p.live;
  if (live) {
    // Routes read digests and topics per request: make them follow reloads (SIGHUP / file change).
    Object.defineProperties(deps, {
      digests: { get: () => live.current().digests, enumerable: true },
      topics: { get: () => live.topics(), enumerable: true },
    });
  }
  const app = createWebApp(deps, [
    (a) =>
      registerOpsRoutes(a, {
        registry: p.registry, queues: p.queues, db: p.db, redis: p.redis, log: deps.log,
        // A second, unthrottled check behind createWebApp's guard (which already authenticates and throttles every
        // request): /metrics and the dashboard stay closed even on an app built without that guard.
        auth: deps.auth ? authMiddleware(deps.auth, []) : undefined,
        dashboardWrite: cfg.http.dashboard_write,
      }),
    ...websubRoutes(cfg, p.db, p.queues, deps.log),
  ]);
  const server = await startWebServer(app, { host, port: over.port ?? cfg.http.port });
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${server.port}/`;
  log.info({ url, host, port: server.port, auth: Boolean(deps.auth) }, 'web server listening');
  return { url, port: server.port, close: () => server.close() };
}

/**
 * `serve`: the web server alone, on its own store and Redis connection. Health, readiness, metrics and the queue
 * dashboard need Redis; a producer connection fails fast, so the pages still serve (and /readyz says so) while Redis
 * is down. The bind is checked before the store is opened: a refused start creates nothing.
 */
export function startWebAlone(cfg: Config, log: Logger, over: { host?: string; port?: number } = {}): Promise<RunningWeb> {
  assertSafeBind(over.host ?? cfg.http.host, cfg.http);
  return openWithCloser(log, async (closer) => {
    const store = await openDb(storeOptionsFrom(cfg));
    closer.add('store', () => store.db.destroy());
    const redis = producerConnection(cfg.redis.url);
    redis.on('error', (err) => log.warn({ stage: 'http', err: err.message }, 'redis connection error'));
    closer.add('redis', () => redis.disconnect());
    const queues = createQueues(redis, cfg.redis.prefix);
    closer.add('queues', () => closeQueues(queues));
    const web = await startWeb({ cfg, db: store.db, queues, redis, registry: createOpsMetrics().registry }, log, over);
    closer.add('web server', () => web.close());
    return { url: web.url, port: web.port, close: () => closer.close() };
  });
}

/**
 * For a process without the web server: /healthz, /readyz and /metrics on http.metrics_port (or
 * WIREWATCH_METRICS_PORT), when set. A port in use must not stop a worker from working: it is logged and skipped.
 */
export async function startMetricsListener(res: Resources, closer: Closer): Promise<void> {
  const { cfg, log } = res;
  const metricsPort = cfg.http.metrics_port;
  if (!(metricsPort > 0)) return;
  const { auth, throttle } = guardsFrom(cfg.http);
  try {
    const ms = await startMetricsServer({
      registry: res.metrics.registry, queues: res.queues, db: res.store.db, redis: res.producer, host: cfg.http.host, port: metricsPort,
      auth, http: cfg.http, throttle, log,
    });
    closer.add('metrics server', () => ms.close());
    log.info({ host: cfg.http.host, port: ms.port }, 'serving /metrics, /healthz, /readyz');
  } catch (err) {
    log.error({ err: (err as Error).message }, 'metrics server not started');
  }
}
