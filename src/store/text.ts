// Text at the store's edges, written and read the same way by every table's module.
import type { ArticleRef } from '../model.js';

/**
 * Text bound for the store: PostgreSQL text columns reject U+0000 (SQLite keeps it), and feeds and pages from
 * strangers can contain it. Strip it at the store's edge so both dialects store the same thing.
 */
export function noNul<T extends string | undefined | null>(s: T): T {
  return (typeof s === 'string' && s.includes('\u0000') ? s.replace(/\u0000/g, '') : s) as T;
}

interface ArticleColumns {
  item_id: string;
  url: string;
  canonical_url: string;
  title: string;
  site_name: string | null;
  feed_title: string | null;
  published_at: string | null;
  stored_at: string;
}

/** Who published an article, as the digest and pages name it: site name, else the feed's title, else the host. */
export function sourceOf(r: Pick<ArticleColumns, 'site_name' | 'feed_title' | 'url'>): string {
  if (r.site_name) return r.site_name;
  if (r.feed_title) return r.feed_title;
  try {
    return new URL(r.url).host;
  } catch {
    return r.url;
  }
}

/** An article row (joined with its feed's title) as a digest line names it: the canonical link when known. */
export function articleRef(r: ArticleColumns): ArticleRef {
  return {
    itemId: r.item_id,
    url: r.canonical_url || r.url,
    title: r.title,
    source: sourceOf(r),
    published: r.published_at ?? undefined,
    storedAt: r.stored_at,
  };
}
