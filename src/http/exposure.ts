// Safe binding (W3): a web server on an address other than loopback must have authentication, unless the operator
// says in so many words that something in front of it does (http.allow_unauthenticated_public).
import ipaddr from 'ipaddr.js';

/** True for 127.0.0.0/8, ::1 (and ::ffff:127.x) and the name `localhost`. 0.0.0.0 and :: are every address. */
export function isLoopbackBind(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost') return true;
  if (!ipaddr.isValid(bare)) return false;
  return ipaddr.process(bare).range() === 'loopback';
}

export interface ExposureSettings {
  basic_auth?: unknown;
  token?: unknown;
  allow_unauthenticated_public: boolean;
}

/**
 * Throws when `host` is not loopback and neither http.basic_auth nor http.token is set, unless
 * http.allow_unauthenticated_public is true. The message names the settings to change.
 */
export function assertSafeBind(host: string, http: ExposureSettings, what = 'web server'): void {
  if (isLoopbackBind(host) || http.basic_auth || http.token || http.allow_unauthenticated_public) return;
  throw new Error(
    `http: refusing to serve the ${what} on ${host} without authentication: set http.basic_auth or http.token, ` +
      'bind http.host to 127.0.0.1 behind a reverse proxy, or set http.allow_unauthenticated_public: true if something in front of it authenticates',
  );
}
