// Canonical URLs: tracking parameters removed (the list shared with feed-item identity), fragment dropped.
import { isTrackingParam } from '../url/tracking.js';

/** `url` without tracking parameters (utm_*, fbclid, gclid, …) and without its fragment; unparseable → as given. */
export function stripTracking(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  u.hash = '';
  const keep = [...u.searchParams].filter(([k]) => !isTrackingParam(k));
  if (keep.length !== [...u.searchParams].length) {
    u.search = keep.length ? new URLSearchParams(keep).toString() : '';
  }
  return u.toString();
}

/**
 * The canonical URL for a page: <link rel=canonical> when it is http(s) on the same site (same host, or one host a
 * subdomain of the other's parent), else the page URL; tracking parameters stripped either way.
 */
export function canonicalUrl(pageUrl: string, canonicalHref: string | undefined): string {
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
