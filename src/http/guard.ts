// Request guards in front of every route: the Host allow-list (DNS rebinding) and the cross-site check on
// state-changing requests (CSRF, including the queue dashboard's API, whose adapter parses a text/plain body as JSON).
import { isIP } from 'node:net';
import type { Env, Hono, MiddlewareHandler } from 'hono';
import { authMiddleware } from './auth.js';
import type { WebAuth } from './deps.js';
import { securityHeaders } from './headers.js';
import type { AuthThrottle } from './throttle.js';

/** Host names every web server answers to: a browser on this machine reaching a loopback bind. */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The host names a server answers to (IP literals always pass, see hostGuard): loopback names, `base_url`'s host,
 * the bound host when it is a name, and `allowed_hosts` ("*" turns the check off). Names are lower-case, IPv6 in
 * brackets, without port.
 */
export function allowedHostsFor(http: { base_url?: string; allowed_hosts?: readonly string[] }, boundHost?: string): string[] {
  const hosts = new Set(LOOPBACK_HOSTS);
  if (http.base_url) hosts.add(new URL(http.base_url).hostname);
  if (boundHost && boundHost !== '0.0.0.0' && boundHost !== '::') hosts.add(hostName(boundHost));
  for (const h of http.allowed_hosts ?? []) hosts.add(h === '*' ? '*' : hostName(h));
  return [...hosts];
}

/** "Example.org:8080" → "example.org"; "::1" or "[::1]:80" → "[::1]". */
function hostName(h: string): string {
  const bare = h.trim().toLowerCase();
  if (bare.includes(':') && !bare.startsWith('[') && !/^[^:]+:\d+$/.test(bare)) return `[${bare}]`;
  try {
    return new URL(`http://${bare}/`).hostname;
  } catch {
    return bare;
  }
}

/**
 * 421 Misdirected Request unless the request's host (from the Host header, as the URL carries it) is allowed or is
 * an IP literal: rebinding needs a name the attacker controls, and a page whose origin is an IP address of ours was
 * served by us (so a scraper or browser reaching http://10.0.0.5:8080/ works without configuration).
 * `exempt` paths (health probes) skip the check: they are read-only and say nothing an attacker could use.
 */
export function hostGuard(allowed: readonly string[], exempt: readonly string[] = []): MiddlewareHandler {
  const any = allowed.includes('*');
  const hosts = new Set(allowed.map((h) => h.toLowerCase()));
  const open = new Set(exempt);
  return async (c, next) => {
    if (any || open.has(c.req.path)) return next();
    const host = new URL(c.req.url).hostname.toLowerCase();
    if (hosts.has(host) || isIP(host.replace(/^\[|\]$/g, '')) !== 0) return next();
    return c.text('misdirected request: this host name is not served here (http.allowed_hosts)\n', 421);
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * 403 for a state-changing request (any method but GET/HEAD/OPTIONS) that a browser sent from another site:
 * `Sec-Fetch-Site` other than same-origin (or none: typed by the user), else an `Origin` whose host and port are not
 * the request's. A request with neither header did not come from a current browser's page; it passes only when it
 * authenticated (a browser would have sent Origin with a POST), so with no auth configured it is refused too.
 */
export function crossSiteGuard(signedPaths: readonly string[] = []): MiddlewareHandler {
  const signed = new Set(signedPaths);
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method) || signed.has(c.req.path)) return next();
    const site = c.req.header('sec-fetch-site')?.toLowerCase();
    const origin = c.req.header('origin');
    let ok: boolean;
    if (site) ok = site === 'same-origin' || site === 'none';
    else if (origin) ok = sameOrigin(origin, c.req.url);
    else ok = c.get('authenticated') === true;
    if (ok && origin && !sameOrigin(origin, c.req.url)) ok = false;
    if (ok) return next();
    return c.text('forbidden: cross-site request\n', 403);
  };
}

function sameOrigin(origin: string, requestUrl: string): boolean {
  if (origin === 'null') return false;
  try {
    return new URL(origin).host === new URL(requestUrl).host;
  } catch {
    return false;
  }
}

export interface GuardOptions {
  allowedHosts: readonly string[];
  /** Reachable without auth and without the Host check (health probes). */
  publicPaths: readonly string[];
  auth?: WebAuth;
  throttle?: AuthThrottle;
  /**
   * Paths a server elsewhere posts to, each request authenticated by its own signature (the WebSub callback, checked
   * by its route): no auth, no cross-site check. The Host check still applies.
   */
  signedPaths?: readonly string[];
}

/**
 * Register, in order, on every route of `app` (call before any route): security headers, the Host allow-list,
 * auth (throttled), the cross-site check. Every listener of ours goes through this one function.
 */
export function applyWebGuards<E extends Env>(app: Hono<E>, o: GuardOptions): void {
  app.use('*', securityHeaders());
  app.use('*', hostGuard(o.allowedHosts, o.publicPaths));
  app.use('*', authMiddleware(o.auth, [...o.publicPaths, ...(o.signedPaths ?? [])], o.throttle));
  app.use('*', crossSiteGuard(o.signedPaths));
}
