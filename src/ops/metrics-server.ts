// For processes without the web server (`wirewatch worker`, `wirewatch scheduler`): a small HTTP listener with
// /healthz, /readyz and /metrics only (no dashboard, no pages), behind the web auth when one is configured. Enabled by
// http.metrics_port (or WIREWATCH_METRICS_PORT); each worker process on a host needs its own port.
import { Hono } from 'hono';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Registry } from 'prom-client';
import type { Database } from '../store/schema.js';
import { authMiddleware } from '../http/auth.js';
import type { WebAuth } from '../http/deps.js';
import { registerOpsRoutes } from '../http/ops.js';
import { startWebServer, type WebServer } from '../http/server.js';

export async function startMetricsServer(d: {
  registry: Registry;
  queues: Record<string, Queue>;
  db: Kysely<Database>;
  redis: Redis;
  host: string;
  port: number;
  auth?: WebAuth;
}): Promise<WebServer> {
  const app = new Hono();
  app.use('*', authMiddleware(d.auth, ['/healthz', '/readyz']));
  registerOpsRoutes(app, { registry: d.registry, queues: d.queues, db: d.db, redis: d.redis, dashboard: false });
  return startWebServer(app, { host: d.host, port: d.port });
}
