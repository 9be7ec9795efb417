// Item identity: the item id used as BullMQ jobId and store key, and the content hash that tells an
// edit from a new item. Pure. GUID ∪ canonical URL: the same story in two feeds, or re-polled, gets one id (Q7).
import { createHash } from 'node:crypto';
import type { FeedItem, FeedSource } from '../model.js';
import { identityUrl } from '../url/canonical.js';

function sha256Hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

/** Hex sha256 of a canonical URL (or other identity key), first 32 chars: safe as a BullMQ jobId (no ':'). */
export function itemId(canonical: string): string {
  return sha256Hex(canonical).slice(0, 32);
}

/** Whitespace runs → one space, trimmed; most text needs neither, and the test is cheaper than the replace. */
function squash(s: string): string {
  return NEEDS_SQUASH.test(s) ? s.replace(/\s+/g, ' ').trim() : s;
}
/** Whitespace other than a single inner space: a non-space whitespace character, two in a row, or one at an end. */
const NEEDS_SQUASH = /[^\S ]|\s\s|^\s|\s$/;

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
      canonical = identityUrl(item.url);
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
  const contentHash = sha256Hex(`${squash(item.title ?? '')}\u0000${squash(item.summary ?? '')}\u0000${squash(item.contentHtml ?? '')}`).slice(0, 32);
  return { id, ...(canonical ? { canonicalUrl: canonical } : {}), ...(guidKey ? { guidKey } : {}), contentHash };
}
