// Which URLs and addresses the fetcher may reach. Feed and article links come from strangers, so everything that is
// not a public unicast address is refused (loopback, private, link-local, CGNAT, multicast, unspecified, metadata,
// IPv4-mapped IPv6 unwrapped first) unless the configuration allows private networks or names the host.
import ipaddr from 'ipaddr.js';
import { PermanentError } from '../errors.js';

export interface AddressPolicy {
  allowPrivateNetworks: boolean;
  /** Hostnames, IPs or CIDRs allowed even when private. */
  allowHosts?: string[];
  allowedPorts: number[];
  /** Test hook: addresses treated as public. */
  treatAsPublic?: string[];
}

/** Parse an address, unwrapping IPv4-mapped IPv6 (::ffff:127.0.0.1 → 127.0.0.1). */
function parse(addr: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const a = addr.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(a)) return undefined;
  return ipaddr.process(a);
}

function inAllowList(host: string, ip: ipaddr.IPv4 | ipaddr.IPv6 | undefined, p: AddressPolicy): boolean {
  for (const entry of p.allowHosts ?? []) {
    if (entry.includes('/')) {
      try {
        const [net, bits] = ipaddr.parseCIDR(entry);
        if (ip && ip.kind() === net.kind() && ip.match([net, bits] as never)) return true;
      } catch {
        continue;
      }
    } else if (entry.toLowerCase() === host.toLowerCase() || (ip && parse(entry)?.toString() === ip.toString())) {
      return true;
    }
  }
  return false;
}

/** True when the fetcher may connect to `addr` (an IP) reached for `host`. */
export function addressAllowed(addr: string, host: string, p: AddressPolicy): boolean {
  if (p.allowPrivateNetworks) return true;
  const ip = parse(addr);
  if (!ip) return false;
  if (p.treatAsPublic?.some((t) => parse(t)?.toString() === ip.toString())) return true;
  if (inAllowList(host, ip, p)) return true;
  // ipaddr's range names everything special; only plain unicast is public.
  return ip.range() === 'unicast';
}

/**
 * Validate a URL before any connection: http/https only, no userinfo, an allowed port, and — for IP literals, which
 * `new URL` has already normalised (http://2130706433/, http://0x7f.1/ → 127.0.0.1) — an allowed address.
 */
export function checkUrl(raw: string, p: AddressPolicy): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new PermanentError('bad_url', `fetch: not a valid URL (${raw.slice(0, 200)})`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new PermanentError('bad_scheme', `fetch: scheme ${u.protocol} is not allowed (${raw.slice(0, 200)})`);
  if (u.username || u.password) throw new PermanentError('userinfo', `fetch: URLs with credentials are refused (${u.host})`);
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  // Allowing private networks is the local-test switch: a test site listens on whatever port it got.
  if (!p.allowedPorts.includes(port) && !p.allowPrivateNetworks) {
    throw new PermanentError('bad_port', `fetch: port ${port} is not allowed (${u.origin})`);
  }
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host) && !addressAllowed(host, host, p)) {
    throw new PermanentError('ssrf_blocked', `fetch: address ${host} is not public (${u.origin})`);
  }
  return u;
}
