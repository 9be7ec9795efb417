// `wirewatch serve [--host H] [--port N]`: the web server alone (digest archive, topic pages, article view, Atom
// feeds). Needs only the store; binds http.host (127.0.0.1 by default; another address only with auth or
// http.allow_unauthenticated_public). Ctrl-C or SIGTERM closes it cleanly.
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { Config } from '../config/load.js';
import type { Logger } from '../log.js';
import { createWebApp, startWebServer, type WebDeps } from '../http/app.js';
import { authMiddleware } from '../http/auth.js';
import { assertSafeBind } from '../http/exposure.js';
import { allowedHostsFor } from '../http/guard.js';
import { createAuthThrottle } from '../http/throttle.js';
import { registerOpsRoutes } from '../http/ops.js';
import { createOpsMetrics } from '../ops/metrics.js';
import { producerConnection } from '../queue/connection.js';
import { closeQueues, createQueues } from '../queue/queues.js';
import { waitForSignal } from '../runtime/signals.js';
import type { Database } from '../store/schema.js';
import type { CommandContext } from './context.js';

/**
 * The web app's dependencies from the loaded config (used by `serve` and by the all-in-one service); `host` is the
 * address the server binds (it joins the allowed Host names when it is a name).
 */
export function webDepsFrom(cfg: Config, db: Kysely<Database>, log: Logger, host: string = cfg.http.host): WebDeps {
  return {
    db,
    log,
    digests: cfg.digests,
    topics: cfg.topics.topics.map((t) => ({ id: t.id, title: t.title })),
    baseUrl: cfg.http.base_url,
    auth: cfg.http.basic_auth || cfg.http.token ? { basic: cfg.http.basic_auth, token: cfg.http.token } : undefined,
    allowedHosts: allowedHostsFor(cfg.http, host),
    authThrottle: createAuthThrottle({ maxFailures: cfg.http.auth_max_failures, windowMs: cfg.http.auth_window_s * 1000 }),
  };
}

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  let values: { host?: string; port?: string };
  try {
    ({ values } = parseArgs({ args: argv, strict: true, options: { host: { type: 'string' }, port: { type: 'string' } } }));
  } catch (err) {
    ctx.stderr.write(`serve: ${(err as Error).message}\nusage: wirewatch serve [--host H] [--port N]\n`);
    return 2;
  }
  const port = values.port !== undefined ? Number(values.port) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    ctx.stderr.write(`serve: --port must be 0–65535, got "${values.port}"\n`);
    return 2;
  }
  const cfg = ctx.config();
  const host = values.host ?? cfg.http.host;
  assertSafeBind(host, cfg.http);
  const store = await ctx.openStore(cfg);
  const log = ctx.log.child({ stage: 'http' });
  // Health, readiness, metrics and the queue dashboard need Redis; a producer connection fails fast, so the pages
  // still serve (and /readyz says so) while Redis is down.
  const redis = producerConnection(cfg.redis.url);
  redis.on('error', (err) => log.warn({ err: err.message }, 'redis connection error'));
  const queues = createQueues(redis, cfg.redis.prefix);
  const deps = webDepsFrom(cfg, store.db, log, host);
  const app = createWebApp(deps, [
    (a) =>
      registerOpsRoutes(a, {
        registry: createOpsMetrics().registry, queues, db: store.db, redis, log,
        auth: deps.auth ? authMiddleware(deps.auth, []) : undefined, dashboardWrite: cfg.http.dashboard_write,
      }),
  ]);
  const server = await startWebServer(app, { host, port: port ?? cfg.http.port });
  log.info({ host, port: server.port, auth: Boolean(cfg.http.basic_auth || cfg.http.token) }, `web server listening on http://${host.includes(':') ? `[${host}]` : host}:${server.port}/`);
  await waitForSignal(ctx.log);
  await server.close().catch((err: unknown) => log.error({ err }, 'http: close failed'));
  await closeQueues(queues);
  redis.disconnect();
  await store.db.destroy().catch((err: unknown) => log.error({ err }, 'store: close failed'));
  return 0;
}
