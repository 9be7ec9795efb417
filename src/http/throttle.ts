// Failed-authentication throttle: per client (IPv4 address, IPv6 /64), at most `maxFailures` failures per window;
// past that every answer is 429 with Retry-After until the window that began with the first failure ends. In memory,
// per process, bounded: the oldest clients are forgotten first when `maxClients` is reached.
import ipaddr from 'ipaddr.js';

export interface ThrottleOptions {
  maxFailures: number;
  windowMs: number;
  /** Clients remembered at once (default 10,000). */
  maxClients?: number;
  now?: () => number;
}

export interface AuthThrottle {
  /** Milliseconds until `client` may try again, or 0 when it may try now. */
  blockedFor(client: string): number;
  failed(client: string): void;
  succeeded(client: string): void;
}

interface Entry {
  since: number;
  failures: number;
}

/** The throttle key of a remote address: IPv6 by /64 (one host usually holds a whole /64), IPv4 as is. */
export function clientKey(address: string | undefined): string {
  if (!address) return 'unknown';
  try {
    const addr = ipaddr.process(address);
    if (addr.kind() === 'ipv6') return `${(addr as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16)).join(':')}::/64`;
    return addr.toString();
  } catch {
    return address;
  }
}

export function createAuthThrottle(opts: ThrottleOptions): AuthThrottle {
  const now = opts.now ?? Date.now;
  const maxClients = opts.maxClients ?? 10_000;
  const entries = new Map<string, Entry>();
  const live = (client: string): Entry | undefined => {
    const e = entries.get(client);
    if (e && now() - e.since >= opts.windowMs) {
      entries.delete(client);
      return undefined;
    }
    return e;
  };
  return {
    blockedFor(client) {
      const e = live(client);
      return e && e.failures >= opts.maxFailures ? Math.max(1, e.since + opts.windowMs - now()) : 0;
    },
    failed(client) {
      const e = live(client);
      if (e) {
        e.failures++;
        return;
      }
      if (entries.size >= maxClients) entries.delete(entries.keys().next().value as string);
      entries.set(client, { since: now(), failures: 1 });
    },
    succeeded(client) {
      entries.delete(client);
    },
  };
}
