// The article as the feed tells it: used when a page yields less than the feed, and by the pipeline when the page
// cannot be fetched at all. No jsdom here, so the main thread can use it without loading a DOM.
import type { Article, FeedItem } from '../model.js';
import { normaliseText } from './text.js';
import { pageCanonicalUrl } from '../url/canonical.js';

/** The feed item's content (or summary) as an Article with via 'feed'. Pure; never throws. */
export function articleFromFeed(url: string, canonicalHref: string | undefined, feedItem: FeedItem | undefined): Article {
  const text = feedItem?.contentHtml
    ? normaliseText(stripTags(feedItem.contentHtml))
    : normaliseText(feedItem?.summary ?? '');
  return {
    url,
    canonicalUrl: pageCanonicalUrl(url, canonicalHref),
    title: oneLine(feedItem?.title ?? ''),
    byline: feedItem?.author,
    published: feedItem?.published,
    lang: feedItem?.lang,
    text,
    via: feedItem ? 'feed' : 'readability',
    siteName: hostOf(url),
  };
}

export function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}

export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Tags out, the common entities decoded: for JSON-LD bodies and feed HTML, which are text-ish already. */
export function stripTags(s: string): string {
  return s
    .replace(/<\s*(br|\/p|\/div|\/h[1-6]|\/li)\b[^>]*>/gi, '\n\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
