// feedsmith as a RawFeed engine: the lenient fallback. It reads what rss-parser's strict XML rejects (a raw `&`, HTML
// entities, an invalid Atom date, Atom 0.3, xhtml content kept as markup) and never expands DTD entities.
import { createRequire } from 'node:module';
import type { parseFeed as FeedsmithParse } from 'feedsmith';
import type { RawFeed, RawItem, RawText } from './normalise.js';

/**
 * feedsmith, loaded on first use: most feeds never need the fallback, and loading it cost ~150–200 ms of CPU in each
 * parse thread (a quarter of a cold `bench:poll` pass over RSS feeds, issue 15). Its CommonJS build, because the
 * parser is synchronous.
 */
let loaded: typeof FeedsmithParse | undefined;
function feedsmithParse(...args: Parameters<typeof FeedsmithParse>): ReturnType<typeof FeedsmithParse> {
  loaded ??= (createRequire(import.meta.url)('feedsmith') as { parseFeed: typeof FeedsmithParse }).parseFeed;
  return loaded(...args);
}

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number') return String(v);
  const o = obj(v);
  if (o && typeof o.value === 'string') return o.value;
  return undefined;
}

function first(v: unknown): unknown {
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Base64 text, decoded, when `value` is plainly base64 and decodes to valid UTF-8. Atom 1.0 base64-encodes content
 * whose type is a non-text MIME type; Atom 0.3 says mode="base64", which feedsmith does not expose — so for 0.3
 * feeds the shape of the value decides.
 */
function fromBase64(value: string): string | undefined {
  const compact = value.replace(/\s+/g, '');
  if (compact.length < 8 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  const bytes = Buffer.from(compact, 'base64');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

let atom03 = false;

/** Atom text construct (`{ value, type, xml: { base } }` or a plain string) → RawText. */
function atomText(v: unknown, defaultType: RawText['type'] = 'text'): RawText | undefined {
  let value = str(v);
  if (value === undefined) return undefined;
  const o = obj(v);
  let t = typeof o?.type === 'string' ? o.type.toLowerCase() : undefined;
  if ((t && /octet-stream/.test(t)) || atom03) {
    const decoded = fromBase64(value);
    if (decoded !== undefined) {
      value = decoded;
      t = 'html';
    }
  }
  let type: RawText['type'] = defaultType;
  if (t === 'html' || t === 'text/html' || t === 'escaped') type = 'html';
  else if (t === 'xhtml' || t === 'application/xhtml+xml') type = 'xhtml';
  else if (t === 'text' || t === 'text/plain') type = 'text';
  else if (t && t !== 'text') type = 'html';
  if (t && /octet-stream/.test(t)) return undefined;
  const base = str(obj(o?.xml)?.base);
  return { value, type, ...(base ? { base } : {}) };
}

function atomLink(links: unknown): string | undefined {
  if (!Array.isArray(links)) return str(links);
  const list = links.map(obj).filter((l): l is Obj => !!l && typeof l.href === 'string');
  const alt = list.find((l) => !l.rel || l.rel === 'alternate') ?? list.find((l) => l.rel !== 'self' && l.rel !== 'enclosure');
  return alt ? (alt.href as string) : undefined;
}

function person(v: unknown): { name?: string; email?: string } {
  const p = obj(first(v));
  if (p) return { name: str(p.name), email: str(p.email) };
  const s = str(first(v));
  return s ? { name: s } : {};
}

function fromRssLike(feed: Obj, format: 'rss' | 'rdf'): RawFeed {
  const items: RawItem[] = [];
  for (const raw of (feed.items as unknown[] | undefined) ?? []) {
    const it = obj(raw);
    if (!it) continue;
    const dc = obj(it.dc);
    const dcterms = obj(it.dcterms);
    const atom = obj(it.atom);
    const author = person(it.authors);
    const item: RawItem = {
      title: str(it.title) !== undefined ? { value: str(it.title)!, type: 'html' } : undefined,
      link: str(it.link) ?? atomLink(atom?.links),
      guid: str(obj(it.guid)?.value ?? it.guid) ?? str(atom?.id),
      summary: str(it.description) !== undefined ? { value: str(it.description)!, type: 'html' } : undefined,
      content: str(obj(it.content)?.encoded) !== undefined ? { value: str(obj(it.content)?.encoded)!, type: 'html' } : undefined,
      authorName: author.name ?? str(first(dc?.creators)),
      authorEmail: author.email,
      published: str(it.pubDate) ?? str(first(dcterms?.issued)) ?? str(dcterms?.issued) ?? str(first(dcterms?.created)),
      updated: str(first(dc?.dates)) ?? str(first(dcterms?.modified)) ?? str(dcterms?.modified) ?? str(atom?.updated),
      lang: str(first(dc?.languages)) ?? str(obj(it.xml)?.lang),
      base: str(obj(it.xml)?.base),
    };
    if (!item.link && obj(it.guid)?.isPermaLink !== false && /^https?:/i.test(item.guid ?? '')) item.link = item.guid;
    items.push(item);
  }
  const sy = obj(feed.sy);
  const dc = obj(feed.dc);
  return {
    format,
    title: str(feed.title) !== undefined ? { value: str(feed.title)!, type: 'html' } : str(first(dc?.titles)) ? { value: str(first(dc?.titles))!, type: 'html' } : undefined,
    link: str(feed.link) ?? atomLink(obj(feed.atom)?.links),
    lang: str(feed.language) ?? str(first(dc?.languages)),
    base: str(obj(feed.xml)?.base),
    ttl: str(feed.ttl),
    description: str(feed.description) !== undefined ? { value: str(feed.description)!, type: 'html' } : undefined,
    authorName: person(feed.managingEditor).name ?? person(feed.webMaster).name ?? str(first(dc?.creators)),
    authorEmail: person(feed.managingEditor).email ?? person(feed.webMaster).email,
    id: str(obj(feed.atom)?.id),
    published: str(feed.pubDate) ?? str(first(obj(feed.dcterms)?.issued)) ?? str(obj(feed.dcterms)?.issued),
    updated: str(feed.lastBuildDate) ?? str(first(dc?.dates)) ?? str(obj(feed.dcterms)?.modified),
    syPeriod: str(sy?.updatePeriod),
    syFrequency: str(sy?.updateFrequency),
    items,
  };
}

function fromAtom(feed: Obj): RawFeed {
  const items: RawItem[] = [];
  for (const raw of (feed.entries as unknown[] | undefined) ?? []) {
    const e = obj(raw);
    if (!e) continue;
    const author = person(e.authors);
    const dc = obj(e.dc);
    items.push({
      title: atomText(e.title),
      link: atomLink(e.links),
      guid: str(e.id),
      summary: atomText(e.summary),
      content: atomText(e.content),
      authorName: author.name ?? str(first(dc?.creators)),
      authorEmail: author.email,
      published: str(e.published) ?? str(obj(e.dcterms)?.issued),
      updated: str(e.updated) ?? str(first(dc?.dates)),
      lang: str(obj(e.xml)?.lang),
      base: str(obj(e.xml)?.base),
    });
  }
  const sy = obj(feed.sy);
  return {
    format: 'atom',
    title: atomText(feed.title),
    link: atomLink(feed.links),
    lang: str(obj(feed.xml)?.lang),
    base: str(obj(feed.xml)?.base),
    description: atomText(feed.subtitle),
    authorName: person(feed.authors).name,
    authorEmail: person(feed.authors).email,
    id: str(feed.id),
    published: str(obj(feed.dcterms)?.issued),
    updated: str(feed.updated) ?? str(first(obj(feed.dc)?.dates)),
    syPeriod: str(sy?.updatePeriod),
    syFrequency: str(sy?.updateFrequency),
    items,
  };
}

/** Parse with feedsmith. Throws when feedsmith cannot recognise a feed. */
export function parseWithFeedsmith(xml: string, maxItems: number): RawFeed {
  const parsed = feedsmithParse(xml, { maxItems }) as { format: string; feed: unknown };
  const feed = obj(parsed.feed) ?? {};
  if (parsed.format === 'atom') {
    atom03 = /<feed\b[^>]*\bversion\s*=\s*["']0\.3["']/.test(xml.slice(0, 4096));
    try {
      return fromAtom(feed);
    } finally {
      atom03 = false;
    }
  }
  if (parsed.format === 'rss') return fromRssLike(feed, 'rss');
  if (parsed.format === 'rdf') return fromRssLike(feed, 'rdf');
  throw new Error(`feedsmith: unsupported format ${parsed.format}`);
}
