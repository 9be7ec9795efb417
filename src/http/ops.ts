// Operations routes on the web app: /healthz (the process is up), /readyz (Redis and the store answer),
// /metrics (Prometheus text) and the bull-board queue dashboard under /ops/queues (read-only unless
// http.dashboard_write). /healthz and /readyz are open (load balancers and orchestrators call them) and say only
// which component is down; /metrics and the dashboard go through the same auth as the web pages.
import type { Env, Hono, MiddlewareHandler } from 'hono';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { sql, type Kysely } from 'kysely';
import type { Registry } from 'prom-client';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Logger } from '../log.js';
import type { Database } from '../store/schema.js';
import { registerCollectors } from '../ops/collect.js';
import { withDeadline } from '../deadline.js';

export interface OpsRouteDeps {
  registry: Registry;
  queues: Record<string, Queue>;
  db: Kysely<Database>;
  /** A connection that answers PING (the service's producer connection). */
  redis: Redis;
  /** The web pages' auth middleware; none when the web app has none configured. */
  auth?: MiddlewareHandler;
  /** Per-check deadline for /readyz and per-source deadline for /metrics (default 2000 ms). */
  timeoutMs?: number;
  /** Where the dashboard lives (default /ops/queues). */
  dashboardPath?: string;
  /** Serve the dashboard (default true). */
  dashboard?: boolean;
  /** Let the dashboard change jobs (retry, remove, add…); read-only otherwise (default false). */
  dashboardWrite?: boolean;
  /** Where /readyz logs why a component is down (the answer itself names the component only). */
  log?: Logger;
}

/** 'ok', or the reason the check failed (for the log; /readyz answers 'down' only). */
async function check(p: () => Promise<unknown>, ms: number): Promise<string> {
  try {
    await withDeadline(p(), ms, `no answer within ${ms} ms`);
    return 'ok';
  } catch (err) {
    return (err as Error).message || 'error';
  }
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Add the operations routes to `app`. Call once per app; the scrape-time gauges register on `deps.registry`. */
export function registerOpsRoutes<E extends Env>(app: Hono<E>, deps: OpsRouteDeps): void {
  const ms = deps.timeoutMs ?? 2000;
  const auth: MiddlewareHandler = deps.auth ?? (async (_c, next) => next());
  registerCollectors(deps.registry, { queues: deps.queues, db: deps.db, timeoutMs: ms });

  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.get('/readyz', async (c) => {
    const [redis, store] = await Promise.all([
      check(() => deps.redis.ping(), ms),
      check(() => sql`select 1`.execute(deps.db), ms),
    ]);
    const ok = redis === 'ok' && store === 'ok';
    // The answer is open to anyone (probes): component names only; error text and addresses go to the log (W6).
    if (!ok) deps.log?.warn({ redis, store }, 'readyz: not ready');
    const state = (r: string) => (r === 'ok' ? 'ok' : 'down');
    return c.json({ status: ok ? 'ok' : 'unavailable', redis: state(redis), store: state(store) }, ok ? 200 : 503);
  });

  app.get('/metrics', auth, async (c) => {
    const body = await deps.registry.metrics();
    return c.body(body, 200, { 'content-type': deps.registry.contentType });
  });

  if (deps.dashboard !== false) {
    const base = deps.dashboardPath ?? '/ops/queues';
    const board = new HonoAdapter(serveStatic);
    board.setBasePath(base);
    const write = deps.dashboardWrite === true;
    createBullBoard({ queues: Object.values(deps.queues).map((q) => new BullMQAdapter(q, { readOnlyMode: !write })), serverAdapter: board });
    app.use(base, auth);
    app.use(`${base}/*`, auth);
    // Read-only unless http.dashboard_write: refuse every write here too, not only in the adapter's buttons.
    if (!write) {
      const readOnly: MiddlewareHandler = async (c, next) =>
        WRITE_METHODS.has(c.req.method) ? c.text('forbidden: the queue dashboard is read-only (http.dashboard_write)\n', 403) : next();
      app.use(base, readOnly);
      app.use(`${base}/*`, readOnly);
    }
    app.route(base, board.registerPlugin());
  }
}
