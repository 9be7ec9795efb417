// Item identity: canonical URLs, the item id used as BullMQ jobId and store key, and the content hash that tells an
// edit from a new item. Pure. GUID ∪ canonical URL: the same story in two feeds, or re-polled, gets one id (Q7).
import { createHash } from 'node:crypto';
import type { FeedItem, FeedSource } from '../model.js';
import { isTrackingParam } from '../url/tracking.js';

/**
 * Canonical form of an http(s) URL: scheme and host lower-cased (by WHATWG URL), default port, fragment, userinfo and
 * tracking parameters removed, remaining query parameters sorted by name (stable for equal names).
 * Throws TypeError for anything that is not an absolute http/https URL.
 */
export function canonicalUrl(url: string): string {
  const u = new URL(url.trim());
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TypeError(`identity: not an http(s) URL (${url})`);
  u.hash = '';
  u.username = '';
  u.password = '';
  // WHATWG URL already drops the scheme's default port and lower-cases the host; this keeps the intent explicit.
  if ((u.protocol === 'http:' && u.port === '80') || (u.protocol === 'https:' && u.port === '443')) u.port = '';
  const kept = [...u.searchParams.entries()].filter(([k]) => !isTrackingParam(k));
  kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  u.search = kept.length ? new URLSearchParams(kept).toString() : '';
  if (u.pathname === '') u.pathname = '/';
  return u.toString();
}

function sha256Hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

/** Hex sha256 of a canonical URL (or other identity key), first 32 chars: safe as a BullMQ jobId (no ':'). */
export function itemId(canonical: string): string {
  return sha256Hex(canonical).slice(0, 32);
}

function normaliseTitle(title: string): string {
  return title.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Identity of a feed item. `id` comes from the canonical link when the item has an http(s) link; otherwise from
 * feedId + guid, else feedId + normalised title. `contentHash` covers title + summary + content, so an edited item
 * keeps its id and changes its hash.
 */
export function itemIdentity(
  item: FeedItem,
  feed: FeedSource,
): { id: string; canonicalUrl?: string; guidKey?: string; contentHash: string } {
  let canonical: string | undefined;
  if (item.url) {
    try {
      canonical = canonicalUrl(item.url);
    } catch {
      canonical = undefined;
    }
  }
  const guid = item.guid?.trim();
  // U+001F, not NUL: the key is stored, and PostgreSQL text columns reject 0x00.
  const guidKey = guid ? `${feed.id}\u001f${guid}` : undefined;
  const id = canonical
    ? itemId(canonical)
    : guidKey
      ? itemId(`guid\u0000${guidKey}`)
      : itemId(`title\u0000${feed.id}\u0000${normaliseTitle(item.title ?? '')}`);
  const contentHash = sha256Hex(
    [item.title ?? '', item.summary ?? '', item.contentHtml ?? ''].map((s) => s.replace(/\s+/g, ' ').trim()).join('\u0000'),
  ).slice(0, 32);
  return { id, ...(canonical ? { canonicalUrl: canonical } : {}), ...(guidKey ? { guidKey } : {}), contentHash };
}
