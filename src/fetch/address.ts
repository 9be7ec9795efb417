// SSRF address policy: which IP addresses and URLs the fetch client may connect to.
// Every address that is not public unicast is private (loopback, RFC 1918, link-local incl. 169.254.169.254 cloud
// metadata, CGNAT, ULA, multicast, Teredo…). IPv4-mapped IPv6 (::ffff:127.0.0.2) is judged as its IPv4; so are
// NAT64 (64:ff9b::/96, RFC 6052) and 6to4 (2002::/16, RFC 3056) by the IPv4 they embed; all of IPv4-compatible
// ::/96 (RFC 4291 §2.5.5.1, deprecated, never routed: [::127.0.0.1] is [::7f00:1]) is private.
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { PermanentError } from '../errors.js';

export interface AddressPolicy {
  /** Lift the address check (private, loopback, link-local all allowed). Ports stay `allowedPorts`. */
  allowPrivateNetworks: boolean;
  allowHosts?: string[];
  allowedPorts: number[];
  /** Any port on a loopback address or `localhost` (local test sites listen on whatever port they got). */
  allowLoopbackAnyPort?: boolean;
  treatAsPublic?: string[];
}

/** The canonical text of an IP address (IPv4-mapped IPv6 unwrapped), or undefined when `ip` is not one. */
export function canonicalIp(ip: string): string | undefined {
  let bare = ip.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return undefined;
  // ipaddr.js 2.5 parses the dotted form "::a.b.c.d" as if it were "::ffff:a.b.c.d"; the WHATWG URL parser (the
  // same one checkUrl uses) writes it in hex ("::7f00:1"), which ipaddr.js reads right.
  if (net.isIPv6(bare) && bare.includes('.')) bare = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  return ipaddr.process(bare).toString();
}

/** True when the canonical address `canon` is public unicast (see the header for the IPv6 transition ranges). */
function isPublic(canon: string): boolean {
  const addr = ipaddr.parse(canon);
  if (addr.kind() === 'ipv4') return addr.range() === 'unicast';
  const b = (addr as ipaddr.IPv6).toByteArray();
  if (b.slice(0, 12).every((x) => x === 0)) return false; // ::/96, IPv4-compatible (and :: and ::1)
  const embedded = (at: number) => ipaddr.fromByteArray(b.slice(at, at + 4)).range() === 'unicast';
  // 64:ff9b::/96 only; the local-use 64:ff9b:1::/48 (RFC 8215) stays private.
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b.slice(4, 12).every((x) => x === 0)) return embedded(12);
  if (b[0] === 0x20 && b[1] === 0x02) return embedded(2);
  return addr.range() === 'unicast';
}

/** True for a loopback IP literal (127.0.0.0/8, ::1, ::ffff:127.x) or the name `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost') return true;
  const canon = canonicalIp(bare);
  return canon !== undefined && ipaddr.parse(canon).range() === 'loopback';
}

/** True when `ip` may be connected to under `policy` (given the hostname it came from, for allowHosts). */
export function addressAllowed(ip: string, policy: AddressPolicy, hostname?: string): boolean {
  const canon = canonicalIp(ip);
  if (!canon) return false;
  if (policy.allowPrivateNetworks) return true;
  if (policy.treatAsPublic?.some((a) => canonicalIp(a) === canon)) return true;
  if (hostAllowListed(hostname, canon, policy.allowHosts)) return true;
  return isPublic(canon);
}

/** True when `port` may be used for `host` under `policy` (the connected peer is checked again by the client). */
export function portAllowed(port: number, host: string, policy: AddressPolicy): boolean {
  return policy.allowedPorts.includes(port) || (policy.allowLoopbackAnyPort === true && isLoopbackHost(host));
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
  if (!portAllowed(port, url.hostname, policy)) {
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
