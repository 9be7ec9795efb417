// OPML 1.0/2.0 subscription lists in and out (feeds import / export). Reading is tolerant (nested outlines,
// xmlUrl/xmlurl, html entities); writing escapes every attribute so any title round-trips.
import { decodeXML } from 'entities';
import type { FeedSource } from '../model.js';
import { feedIdFor } from './feed-id.js';
import { safeUrl } from './sanitize.js';

function attrs(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(/([^\s"'<>\/=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    const name = m[1].toLowerCase();
    if (!out.has(name)) out.set(name, decodeXML(m[2] ?? m[3] ?? ''));
  }
  return out;
}

/**
 * Feeds listed in an OPML document: every <outline> with an http(s) xmlUrl, in order, de-duplicated by URL. Ids are
 * derived from the URL (config/feed-id, the rule feeds.yml uses). Throws Error when the text is not OPML.
 */
export function parseOpml(text: string, idFor: (url: string) => string = feedIdFor): FeedSource[] {
  if (!/<opml\b/i.test(text)) throw new Error('opml: not an OPML document (no <opml> element)');
  const body = text.replace(/<!--[\s\S]*?-->/g, '');
  const feeds: FeedSource[] = [];
  const seen = new Set<string>();
  const ids = new Set<string>();
  for (const m of body.matchAll(/<outline\b([^>]*)>/gi)) {
    const a = attrs(m[1]);
    const url = safeUrl(a.get('xmlurl'));
    if (!url || seen.has(url)) continue;
    seen.add(url);
    let id = a.get('wirewatch:id') || idFor(url);
    for (let n = 2; ids.has(id); n++) id = `${idFor(url)}-${n}`;
    ids.add(id);
    const feed: FeedSource = { id, url };
    const title = (a.get('title') || a.get('text'))?.trim();
    if (title) feed.title = title;
    const lang = a.get('language')?.trim();
    if (lang) feed.lang = lang;
    feeds.push(feed);
  }
  return feeds;
}

/** XML attribute/text escaping: all five specials, and control characters XML 1.0 cannot carry dropped. */
function escapeAttribute(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/** An OPML 2.0 document listing `feeds` (type="rss" outlines; title, text, xmlUrl, language, wirewatch:id). */
export function toOpml(feeds: FeedSource[], title = 'wirewatch feeds'): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0" xmlns:wirewatch="https://wirewatch.invalid/opml">',
    '  <head>',
    `    <title>${escapeAttribute(title)}</title>`,
    '  </head>',
    '  <body>',
  ];
  for (const f of feeds) {
    const label = f.title ?? f.url;
    const extra = f.lang ? ` language="${escapeAttribute(f.lang)}"` : '';
    lines.push(
      `    <outline type="rss" text="${escapeAttribute(label)}" title="${escapeAttribute(label)}" xmlUrl="${escapeAttribute(f.url)}"${extra} wirewatch:id="${escapeAttribute(f.id)}"/>`,
    );
  }
  lines.push('  </body>', '</opml>', '');
  return lines.join('\n');
}
