// Feed autodiscovery: the <link rel="alternate"> feeds a web page advertises (RSS Autodiscovery; WHATWG "alternate"
// with a feed MIME type). Pure; reads only <head>-level link tags, resolves against <base href> and the page URL.
import { decodeHTML } from 'entities';
import { safeUrl } from './sanitize.js';

const FEED_TYPES = new Set(['application/rss+xml', 'application/atom+xml', 'application/feed+json', 'application/json',
  'application/rdf+xml', 'application/xml', 'text/xml']);

function attrs(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(/([^\s"'<>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    const name = m[1].toLowerCase();
    if (!out.has(name)) out.set(name, decodeHTML(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return out;
}

/**
 * Feed URLs advertised by an HTML page, absolute, http(s) only, de-duplicated, in document order. `application/json`
 * counts only with rel=alternate and a title or href hinting at a feed (JSON Feed's own type is feed+json).
 */
export function discoverFeeds(html: string, baseUrl: string): string[] {
  const head = html.slice(0, 512 * 1024).replace(/<!--[\s\S]*?-->/g, '');
  let base = baseUrl;
  const baseTag = /<base\b[^>]*>/i.exec(head);
  if (baseTag) {
    const href = attrs(baseTag[0]).get('href');
    const resolved = href ? safeUrl(href, baseUrl) : undefined;
    if (resolved) base = resolved;
  }
  const found: string[] = [];
  for (const m of head.matchAll(/<link\b[^>]*>/gi)) {
    const a = attrs(m[0].slice(5, -1));
    const rel = (a.get('rel') ?? '').toLowerCase().split(/\s+/);
    const type = (a.get('type') ?? '').toLowerCase().split(';')[0].trim();
    if (!rel.includes('alternate') || !FEED_TYPES.has(type)) continue;
    if (type === 'application/json' && !/feed/i.test(`${a.get('title') ?? ''} ${a.get('href') ?? ''}`)) continue;
    const url = safeUrl(a.get('href'), base);
    if (url && !found.includes(url)) found.push(url);
  }
  return found;
}
