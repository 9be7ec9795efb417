// Optional HTTP Basic or Bearer authentication for the whole app (either credential is accepted when both are
// configured), with a list of public paths for health probes. Comparisons are constant-time; failed attempts are
// throttled per client when a throttle is given (429 with Retry-After, credentials not even checked).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { WebAuth } from './deps.js';
import { clientKey, type AuthThrottle } from './throttle.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by authMiddleware when the request carried valid credentials. */
    authenticated?: boolean;
  }
}

function same(a: string, b: string): boolean {
  // Hash first so lengths never leak and timingSafeEqual gets equal-length buffers.
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(a), h(b));
}

/** The peer address of the request's socket (node-server), undefined in-process. */
export function remoteAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

/**
 * The credentials `http.basic_auth` and `http.token` configure, or undefined when neither is set (no auth). Every
 * listener (web pages, a worker's metrics listener) derives its auth here, so they cannot disagree.
 */
export function webAuthFrom(http: { basic_auth?: { user: string; password: string }; token?: string }): WebAuth | undefined {
  return http.basic_auth || http.token ? { basic: http.basic_auth, token: http.token } : undefined;
}

export function authMiddleware(auth: WebAuth | undefined, publicPaths: string[], throttle?: AuthThrottle): MiddlewareHandler {
  const open = new Set(publicPaths);
  return async (c, next) => {
    if (!auth || (!auth.basic && !auth.token) || open.has(c.req.path)) return next();
    const client = clientKey(remoteAddress(c));
    const wait = throttle?.blockedFor(client) ?? 0;
    if (wait > 0) return c.text('too many failed authentications; try again later\n', 429, { 'Retry-After': String(Math.ceil(wait / 1000)) });
    const header = c.req.header('authorization') ?? '';
    const [scheme, value = ''] = header.split(/\s+/, 2);
    let ok = false;
    if (auth.token && /^bearer$/i.test(scheme)) ok = same(value, auth.token);
    if (!ok && auth.basic && /^basic$/i.test(scheme)) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      // Both compared every time, so a wrong user name takes as long as a wrong password.
      const userOk = same(i >= 0 ? decoded.slice(0, i) : decoded, auth.basic.user);
      const passOk = same(i >= 0 ? decoded.slice(i + 1) : '', auth.basic.password);
      ok = i >= 0 && userOk && passOk;
    }
    if (ok) {
      throttle?.succeeded(client);
      c.set('authenticated', true);
      return next();
    }
    // A request with no credentials at all is a browser's first visit, not a guess: it does not count.
    if (header) throttle?.failed(client);
    const challenge = auth.basic ? 'Basic realm="wirewatch", charset="UTF-8"' : 'Bearer realm="wirewatch"';
    return c.text('authentication required\n', 401, { 'WWW-Authenticate': challenge });
  };
}
