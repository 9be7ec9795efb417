// For processes without the web server (`wirewatch worker`, `wirewatch scheduler`): a small HTTP listener with
// /healthz, /readyz and /metrics only (no dashboard, no pages), behind the same guards as the web pages (Host
// allow-list, auth when one is configured, safe binding). Enabled by http.metrics_port (or WIREWATCH_METRICS_PORT);
// each worker process on a host needs its own port.
import { Hono } from 'hono';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Registry } from 'prom-client';
import type { Database } from '../store/schema.js';
import type { Logger } from '../log.js';
import type { WebAuth } from './deps.js';
import { assertSafeBind } from './exposure.js';
import { allowedHostsFor, applyWebGuards } from './guard.js';
import type { AuthThrottle } from './throttle.js';
import { registerOpsRoutes } from './ops.js';
import { startWebServer, type WebServer } from './server.js';

export async function startMetricsServer(d: {
  registry: Registry;
  queues: Record<string, Queue>;
  db: Kysely<Database>;
  redis: Redis;
  host: string;
  port: number;
  auth?: WebAuth;
  /** Host names served besides loopback names and the bound address (see allowedHostsFor). */
  http?: { base_url?: string; allowed_hosts?: readonly string[]; allow_unauthenticated_public?: boolean };
  throttle?: AuthThrottle;
  log?: Logger;
}): Promise<WebServer> {
  assertSafeBind(d.host, { basic_auth: d.auth?.basic, token: d.auth?.token, allow_unauthenticated_public: d.http?.allow_unauthenticated_public === true }, 'metrics listener');
  const app = new Hono();
  applyWebGuards(app, { allowedHosts: allowedHostsFor(d.http ?? {}, d.host), publicPaths: ['/healthz', '/readyz'], auth: d.auth, throttle: d.throttle });
  registerOpsRoutes(app, { registry: d.registry, queues: d.queues, db: d.db, redis: d.redis, dashboard: false, log: d.log });
  return startWebServer(app, { host: d.host, port: d.port });
}
