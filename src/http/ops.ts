// Operations routes on the web app: /healthz (the process is up), /readyz (Redis and the store answer),
// /metrics (Prometheus text) and the bull-board queue dashboard under /ops/queues. /healthz and /readyz are open (load
// balancers and orchestrators call them); /metrics and the dashboard go through the same auth as the web pages.
import type { Env, Hono, MiddlewareHandler } from 'hono';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { sql, type Kysely } from 'kysely';
import type { Registry } from 'prom-client';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Database } from '../store/schema.js';
import { registerCollectors } from '../ops/collect.js';

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
}

async function check(p: () => Promise<unknown>, ms: number): Promise<string> {
  let t: NodeJS.Timeout | undefined;
  try {
    await Promise.race([p(), new Promise((_, rej) => (t = setTimeout(() => rej(new Error(`no answer within ${ms} ms`)), ms)))]);
    return 'ok';
  } catch (err) {
    return (err as Error).message || 'error';
  } finally {
    clearTimeout(t);
  }
}

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
    return c.json({ status: ok ? 'ok' : 'unavailable', redis, store }, ok ? 200 : 503);
  });

  app.get('/metrics', auth, async (c) => {
    const body = await deps.registry.metrics();
    return c.body(body, 200, { 'content-type': deps.registry.contentType });
  });

  if (deps.dashboard !== false) {
    const base = deps.dashboardPath ?? '/ops/queues';
    const board = new HonoAdapter(serveStatic);
    board.setBasePath(base);
    createBullBoard({ queues: Object.values(deps.queues).map((q) => new BullMQAdapter(q)), serverAdapter: board });
    app.use(base, auth);
    app.use(`${base}/*`, auth);
    app.route(base, board.registerPlugin());
  }
}
