// Optional HTTP Basic or Bearer authentication for the whole app (either credential is accepted when both are
// configured), with a list of public paths for health probes. Comparisons are constant-time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { WebAuth } from './deps.js';

function same(a: string, b: string): boolean {
  // Hash first so lengths never leak and timingSafeEqual gets equal-length buffers.
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(a), h(b));
}

export function authMiddleware(auth: WebAuth | undefined, publicPaths: string[]): MiddlewareHandler {
  const open = new Set(publicPaths);
  return async (c, next) => {
    if (!auth || (!auth.basic && !auth.token) || open.has(c.req.path)) return next();
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
    if (ok) return next();
    const challenge = auth.basic ? 'Basic realm="wirewatch", charset="UTF-8"' : 'Bearer realm="wirewatch"';
    return c.text('authentication required\n', 401, { 'WWW-Authenticate': challenge });
  };
}
