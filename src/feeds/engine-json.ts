// JSON Feed 1.0 / 1.1 (https://www.jsonfeed.org/version/1.1/) as a RawFeed engine. Read by wirewatch: small, and no
// JS feed library does both versions' author fields.
import type { RawFeed, RawItem } from './normalise.js';

type Obj = Record<string, unknown>;

const s = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : undefined);
const o = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);

/** True when `text` starts like a JSON object (after whitespace): the caller then treats it as JSON Feed. */
export function looksLikeJson(text: string): boolean {
  return /^\s*\{/.test(text);
}

/** Parse a JSON Feed. Throws SyntaxError for bad JSON and Error when the object is not a JSON Feed. */
export function parseJsonFeed(text: string): RawFeed {
  const doc = o(JSON.parse(text));
  if (!doc || !(s(doc.version)?.includes('jsonfeed.org') || Array.isArray(doc.items))) {
    throw new Error('json: not a JSON Feed');
  }
  const feedAuthor = o(doc.author) ?? o((doc.authors as unknown[] | undefined)?.[0]);
  const items: RawItem[] = [];
  for (const raw of Array.isArray(doc.items) ? doc.items : []) {
    const it = o(raw);
    if (!it) continue;
    const author = o(it.author) ?? o((it.authors as unknown[] | undefined)?.[0]) ?? feedAuthor;
    const html = s(it.content_html);
    const plain = s(it.content_text);
    items.push({
      title: s(it.title) ? { value: s(it.title)!, type: 'text' } : undefined,
      link: s(it.url) ?? s(it.external_url),
      guid: s(it.id),
      summary: s(it.summary) ? { value: s(it.summary)!, type: 'text' } : plain ? { value: plain, type: 'text' } : undefined,
      content: html ? { value: html, type: 'html' } : undefined,
      authorName: s(author?.name),
      published: s(it.date_published),
      updated: s(it.date_modified),
      lang: s(it.language) ?? s(doc.language),
    });
  }
  return {
    format: 'json',
    title: s(doc.title) ? { value: s(doc.title)!, type: 'text' } : undefined,
    link: s(doc.home_page_url),
    lang: s(doc.language),
    description: s(doc.description) ? { value: s(doc.description)!, type: 'text' } : undefined,
    authorName: s(feedAuthor?.name),
    items,
  };
}
