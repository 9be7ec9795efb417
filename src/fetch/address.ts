// SSRF address policy: which IP addresses and URLs the fetch client may connect to.
// Every address that is not public unicast is private (loopback, RFC 1918, link-local incl. 169.254.169.254 cloud
// metadata, CGNAT, ULA, multicast, 6to4/Teredo…). IPv4-mapped IPv6 (::ffff:127.0.0.2) is judged as its IPv4.
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { PermanentError } from '../errors.js';

export interface AddressPolicy {
  allowPrivateNetworks: boolean;
  allowHosts?: string[];
  allowedPorts: number[];
  treatAsPublic?: string[];
}

/** The canonical text of an IP address (IPv4-mapped IPv6 unwrapped), or undefined when `ip` is not one. */
export function canonicalIp(ip: string): string | undefined {
  const bare = ip.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return undefined;
  return ipaddr.process(bare).toString();
}

/** True when `ip` may be connected to under `policy` (given the hostname it came from, for allowHosts). */
export function addressAllowed(ip: string, policy: AddressPolicy, hostname?: string): boolean {
  const canon = canonicalIp(ip);
  if (!canon) return false;
  if (policy.allowPrivateNetworks) return true;
  if (policy.treatAsPublic?.some((a) => canonicalIp(a) === canon)) return true;
  if (hostAllowListed(hostname, canon, policy.allowHosts)) return true;
  return ipaddr.parse(canon).range() === 'unicast';
}

function hostAllowListed(hostname: string | undefined, canon: string, allowHosts: string[] | undefined): boolean {
  if (!allowHosts?.length) return false;
  const addr = ipaddr.parse(canon);
  for (const entry of allowHosts) {
    const e = entry.trim().toLowerCase();
    if (hostname && e === hostname.toLowerCase().replace(/^\[|\]$/g, '')) return true;
    if (e.includes('/')) {
      try {
        const [range, bits] = ipaddr.parseCIDR(e);
        if (range.kind() === addr.kind() && addr.match([range, bits] as [typeof addr, number])) return true;
      } catch {
        // not a CIDR: ignore (config validation reports it)
      }
    } else if (canonicalIp(e) === canon) return true;
  }
  return false;
}

/**
 * Check a URL before anything is opened: scheme http(s), no userinfo, an allowed port, and — when the host is an IP
 * literal (after WHATWG normalisation: 2130706433, 0x7f.1 and 127.1 are all 127.0.0.1) — an allowed address.
 * Returns the parsed URL; throws PermanentError bad_url / bad_scheme / userinfo / bad_port / ssrf_blocked.
 */
export function checkUrl(raw: string, policy: AddressPolicy, context = ''): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PermanentError('bad_url', `fetch: not a valid URL${context} (${raw})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PermanentError('bad_scheme', `fetch: scheme ${url.protocol} not allowed${context} (${raw})`);
  }
  if (url.username || url.password) {
    throw new PermanentError('userinfo', `fetch: credentials in URL not allowed${context} (${redact(url)})`);
  }
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  if (!policy.allowedPorts.includes(port)) {
    throw new PermanentError('bad_port', `fetch: port ${port} not allowed${context} (${raw})`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host) && !addressAllowed(host, policy, host)) {
    throw new PermanentError('ssrf_blocked', `fetch: ${context ? 'redirect to blocked address' : 'blocked private address'} ${host} (${raw})`);
  }
  return url;
}

function redact(url: URL): string {
  const u = new URL(url.toString());
  u.username = '';
  u.password = '';
  return u.toString();
}
