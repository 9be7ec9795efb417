// The web app: digest archive and pages, per-topic pages, the article view, Atom feeds. Security headers, the Host
// allow-list, optional (throttled) auth and the cross-site check apply to every route, including routes other modules
// add (health, metrics, bull-board): pass them as `extra`, or register them on the returned app.
import { Hono } from 'hono';
import { allowedHostsFor, applyWebGuards } from './guard.js';
import type { RouteModule, WebDeps } from './deps.js';
import { htmlPage } from './headers.js';
import { page } from './layout.js';
import { registerArticleRoutes } from './routes/articles.js';
import { registerDigestRoutes } from './routes/digests.js';
import { registerTopicRoutes } from './routes/topics.js';
import { DESK_ROUTES } from './routes/desk.js';
import { WEBSUB_CALLBACK_PATH } from '../websub/config.js';

export type { RouteModule, WebDeps, WebAuth } from './deps.js';

export const DEFAULT_PUBLIC_PATHS = ['/healthz', '/readyz'];

/** Route modules of the digest UI, in registration order. */
export const DIGEST_ROUTES: RouteModule[] = [registerDigestRoutes, registerTopicRoutes, registerArticleRoutes, ...DESK_ROUTES];

export function createWebApp(deps: WebDeps, extra: RouteModule[] = []): Hono {
  const app = new Hono();
  applyWebGuards(app, {
    allowedHosts: deps.allowedHosts ?? allowedHostsFor({ base_url: deps.baseUrl }),
    publicPaths: deps.publicPaths ?? DEFAULT_PUBLIC_PATHS,
    auth: deps.auth,
    throttle: deps.authThrottle,
    // The WebSub callback verifies each delivery's signature itself (routes/websub.ts); 404 where not registered.
    signedPaths: [WEBSUB_CALLBACK_PATH],
  });
  // Extra modules first: their static paths (/healthz, /metrics, /queues) are never shadowed by ours.
  for (const register of [...extra, ...DIGEST_ROUTES]) register(app, deps);
  app.notFound((c) => htmlPage(c, page('Not found', '<h1>Not found</h1>'), 404));
  app.onError((err, c) => {
    deps.log?.error({ err, path: c.req.path }, 'http: request failed');
    return c.text('internal error\n', 500);
  });
  return app;
}

export { startWebServer, type WebServer } from './server.js';
