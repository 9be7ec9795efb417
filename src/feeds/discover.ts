// Feed autodiscovery: the <link rel="alternate"> feeds a web page advertises (RSS Autodiscovery; WHATWG "alternate"
// with a feed MIME type). Pure and linear-time (C2: comments and tags are found with indexOf from where the last
// search stopped, never by a pattern that rescans to the end from each `<!--` or `<link`); reads only link tags,
// resolves against <base href> and the page URL.
import { decodeHTML } from 'entities';
import { mediaType } from '../charset/content-type.js';
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
  const head = withoutComments(html.slice(0, MAX_SCAN));
  let base = baseUrl;
  const baseTag = tagsNamed(head, 'base').next();
  if (!baseTag.done) {
    const href = attrs(baseTag.value).get('href');
    const resolved = href ? safeUrl(href, baseUrl) : undefined;
    if (resolved) base = resolved;
  }
  const found: string[] = [];
  for (const tag of tagsNamed(head, 'link')) {
    const a = attrs(tag);
    const rel = (a.get('rel') ?? '').toLowerCase().split(/\s+/);
    const type = mediaType(a.get('type') ?? undefined) ?? '';
    if (!rel.includes('alternate') || !FEED_TYPES.has(type)) continue;
    if (type === 'application/json' && !/feed/i.test(`${a.get('title') ?? ''} ${a.get('href') ?? ''}`)) continue;
    const url = safeUrl(a.get('href'), base);
    if (url && !found.includes(url)) found.push(url);
    if (found.length >= MAX_FEEDS) break;
  }
  return found;
}

/** Text read from a page (its head is at the start), and most feeds reported. */
const MAX_SCAN = 512 * 1024;
const MAX_FEEDS = 50;

/** `html` with comments removed; an unterminated comment runs to the end, as in a browser. */
function withoutComments(html: string): string {
  const out: string[] = [];
  let pos = 0;
  for (let at = html.indexOf('<!--'); at >= 0; at = html.indexOf('<!--', pos)) {
    out.push(html.slice(pos, at));
    const end = html.indexOf('-->', at + 4);
    if (end < 0) return out.join('');
    pos = end + 3;
  }
  out.push(html.slice(pos));
  return out.join('');
}

/**
 * The attribute text of each `<name …>` tag (case-insensitive, `name` not followed by a name character), as
 * `<name\b[^>]*>` would find them, but a tag without a `>` ends the search instead of being rescanned from every
 * later start.
 */
function* tagsNamed(html: string, name: string): Generator<string> {
  const start = new RegExp(`<${name}\\b`, 'gi');
  for (let m = start.exec(html); m; m = start.exec(html)) {
    const end = html.indexOf('>', start.lastIndex);
    if (end < 0) return;
    yield html.slice(start.lastIndex, end);
    start.lastIndex = end + 1;
  }
}
