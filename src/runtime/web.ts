// The web server of a running service: the digest UI (http/app) plus the operations routes (health, readiness,
// metrics, queue dashboard) on the same app, so one auth setting guards pages, feeds, metrics and the dashboard.
import type { Logger } from '../log.js';
import { createWebApp, startWebServer } from '../http/app.js';
import { authMiddleware } from '../http/auth.js';
import { assertSafeBind } from '../http/exposure.js';
import { registerOpsRoutes } from '../http/ops.js';
import { webDepsFrom } from '../commands/serve.js';
import type { Service } from './service.js';

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
  ]);
  const server = await startWebServer(app, { host, port: over.port ?? cfg.http.port });
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${server.port}/`;
  log.info({ url, auth: Boolean(deps.auth) }, 'web server listening');
  return { url, port: server.port, close: () => server.close() };
}
