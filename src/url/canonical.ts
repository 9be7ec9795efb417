// The one URL canonicaliser. Two callers want different *policies* from the same code: an item's identity must map
// every spelling of a link to one key (sorted query, no userinfo, http(s) only), while a page's canonical URL is an
// address shown to and followed by people (query order and encoding kept unless a tracking parameter goes).
import { isTrackingParam } from './tracking.js';

export interface CanonicalPolicy {
  /** Sort the remaining query parameters by name (stable for equal names) and always re-serialise the query. */
  sortQuery: boolean;
  /** Remove `user:password@`. */
  dropUserinfo: boolean;
  /** Anything but an absolute http(s) URL throws TypeError; otherwise an unparseable URL is returned as given. */
  strict: boolean;
}

/** Item identity (feeds/identity.ts): the key the same story gets from every feed and every poll. */
export const IDENTITY_POLICY: CanonicalPolicy = Object.freeze({ sortQuery: true, dropUserinfo: true, strict: true });
/** A page's address (extract/): tracking parameters and the fragment removed, nothing else touched. */
export const ADDRESS_POLICY: CanonicalPolicy = Object.freeze({ sortQuery: false, dropUserinfo: false, strict: false });

/**
 * `url` with the fragment and tracking parameters (utm_*, fbclid, gclid, …: url/tracking.ts) removed, scheme and
 * host lower-cased and the default port dropped (WHATWG URL does both), then shaped by `policy`.
 */
export function canonicalise(url: string, policy: CanonicalPolicy): string {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch (err) {
    if (policy.strict) throw new TypeError(`url: not an absolute URL (${url})`, { cause: err });
    return url;
  }
  if (policy.strict && u.protocol !== 'http:' && u.protocol !== 'https:') throw new TypeError(`url: not an http(s) URL (${url})`);
  // Each URL setter re-serialises the whole href (~1 µs): set only what changes (identity runs per feed item).
  // An empty fragment or query (`…#`, `…?`) reads as '' but is still in the href.
  if (u.hash || u.href.includes('#')) u.hash = '';
  if (policy.dropUserinfo) {
    if (u.username) u.username = '';
    if (u.password) u.password = '';
  }
  if (!u.search && !u.href.includes('?')) return u.toString();
  const params = [...u.searchParams];
  const kept = params.filter(([k]) => !isTrackingParam(k));
  if (policy.sortQuery) kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  // Untouched queries keep their own encoding: URLSearchParams would re-encode (`%20` → `+`).
  if (policy.sortQuery || kept.length !== params.length) u.search = kept.length ? new URLSearchParams(kept).toString() : '';
  return u.toString();
}

/** The canonical form of an item's link (IDENTITY_POLICY). Throws TypeError for anything but an absolute http(s) URL. */
export function identityUrl(url: string): string {
  return canonicalise(url, IDENTITY_POLICY);
}

/** `url` without tracking parameters and fragment (ADDRESS_POLICY); unparseable → as given. */
export function stripTracking(url: string): string {
  return canonicalise(url, ADDRESS_POLICY);
}

/**
 * The canonical URL of a page: its <link rel=canonical> when that is http(s) on the same site (same host, or one host
 * a subdomain of the other's parent), else the page URL; tracking parameters stripped either way.
 */
export function pageCanonicalUrl(pageUrl: string, canonicalHref: string | undefined): string {
  if (canonicalHref) {
    try {
      const page = new URL(pageUrl);
      const canon = new URL(canonicalHref, page);
      if ((canon.protocol === 'https:' || canon.protocol === 'http:') && sameSite(page.hostname, canon.hostname)) {
        return stripTracking(canon.toString());
      }
    } catch {
      // an unparseable canonical is not trustworthy: fall through to the page URL
    }
  }
  return stripTracking(pageUrl);
}

function sameSite(a: string, b: string): boolean {
  const base = (h: string): string => h.toLowerCase().replace(/^www\./, '').split('.').slice(-2).join('.');
  return base(a) === base(b);
}
