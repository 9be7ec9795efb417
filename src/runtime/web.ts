// The web server of a running service: the digest UI (http/app) plus the operations routes (health, readiness,
// metrics, queue dashboard) on the same app, so one auth setting guards pages, feeds, metrics and the dashboard.
import type { Logger } from '../log.js';
import { createWebApp, startWebServer } from '../http/app.js';
import { authMiddleware } from '../http/auth.js';
import { assertSafeBind } from '../http/exposure.js';
import { registerOpsRoutes } from '../http/ops.js';
import { webDepsFrom } from '../commands/serve.js';
import type { Service } from './service.js';
import { registerWebsubRoutes } from '../http/routes/websub.js';
import { websubCallback } from '../websub/config.js';
import { renewBeforeMs } from '../websub/lease.js';
import { getSubscription } from '../store/websub.js';
import { enqueueWebsubPush, enqueueWebsubSubscribe } from '../queue/queues.js';
import { jobIds } from '../queue/names.js';

export async function startWeb(svc: Service, log: Logger, over: { host?: string; port?: number } = {}): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const { cfg } = svc;
  const host = over.host ?? cfg.http.host;
  assertSafeBind(host, cfg.http);
  const deps = webDepsFrom(cfg, svc.store.db, log.child({ stage: 'http' }), host);
  // Routes read digests and topics per request: make them follow reloads (SIGHUP / file change).
  Object.defineProperties(deps, {
    digests: { get: () => svc.current().digests, enumerable: true },
    topics: { get: () => svc.current().topics.topics.map((t) => ({ id: t.id, title: t.title })), enumerable: true },
  });
  const app = createWebApp(deps, [
    (a) =>
      registerOpsRoutes(a, {
        registry: svc.metrics.registry,
        queues: svc.queues,
        db: svc.store.db,
        redis: svc.producer,
        log: deps.log,
        // createWebApp already applies auth to every route; the dashboard's own mount needs no second check.
        auth: deps.auth ? authMiddleware(deps.auth, []) : undefined,
        dashboardWrite: cfg.http.dashboard_write,
      }),
    // WebSub callback (issue 16), only where hubs are asked to call it.
    ...(websubCallback(cfg) ? [(a: Parameters<typeof registerWebsubRoutes>[0]) => registerWebsubRoutes(a, {
      db: svc.store.db, log: deps.log, maxBytes: cfg.fetch.max_bytes, maxPushesPerMinute: cfg.websub.max_pushes_per_minute,
      onPush: (feedId, body, contentType, hash) => enqueueWebsubPush(svc.queues, { feedId, body: body.toString('base64'), contentType, receivedAt: new Date().toISOString() }, jobIds.websubPush(feedId, hash)),
      onVerified: async (feedId, leaseS) => {
        const row = await getSubscription(svc.store.db, feedId);
        if (!row?.expires_at) return;
        const expires = Date.parse(row.expires_at);
        await enqueueWebsubSubscribe(svc.queues, { feedId, hub: row.hub, topic: row.topic, force: true }, jobIds.websubRenew(feedId, expires), new Date(expires - renewBeforeMs(leaseS)));
      },
    })] : []),
  ]);
  const server = await startWebServer(app, { host, port: over.port ?? cfg.http.port });
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${server.port}/`;
  log.info({ url, auth: Boolean(deps.auth) }, 'web server listening');
  return { url, port: server.port, close: () => server.close() };
}
