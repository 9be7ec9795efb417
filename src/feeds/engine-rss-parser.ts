// rss-parser as a RawFeed engine. Its public parseString is promise-only, so this runs its xml2js parser (which calls
// back synchronously) and its per-format builders directly, exactly as parseString dispatches them (3.13,
// lib/parser.js). If a future version drops those methods the engine reports itself unavailable and feedsmith is used.
import Parser from 'rss-parser';
import type { RawFeed, RawItem, RawText } from './normalise.js';

interface Internals {
  xmlParser: { parseString(xml: string, cb: (err: unknown, result: unknown) => void): void; reset?: () => void };
  buildAtomFeed(x: unknown): Record<string, unknown>;
  buildRSS2(x: unknown): Record<string, unknown>;
  buildRSS1(x: unknown): Record<string, unknown>;
  buildRSS0_9(x: unknown): Record<string, unknown>;
}

/** Thrown when rss-parser returns a shape its own types do not promise (titles/guids as objects): use the fallback. */
export class MangledError extends Error {
  override name = 'MangledError';
}

let parser: (Parser & Internals) | undefined;

function instance(): Parser & Internals {
  parser ??= new Parser({
    defaultRSS: 2,
    customFields: {
      feed: ['sy:updatePeriod', 'sy:updateFrequency', 'dc:date', 'dc:language', 'updated', 'dc:author',
        'dcterms:issued', 'dcterms:modified', 'itunes:summary', 'itunes:subtitle', 'itunes:author'],
      item: ['published', 'updated', 'id', 'dcterms:modified', 'dcterms:issued', 'dcterms:created', 'description',
        'dc:author', 'itunes:summary', 'itunes:author', 'dc:description',
        // rss-parser flattens <guid> to its text; the raw element keeps isPermaLink.
        ['guid', 'guidRaw', { keepArray: true }]],
    },
    xml2js: { strict: true },
  }) as Parser & Internals;
  return parser;
}

export function rssParserAvailable(): boolean {
  const p = instance();
  return typeof p.buildRSS2 === 'function' && typeof p.xmlParser?.parseString === 'function';
}

/** A string field, or MangledError when rss-parser produced an object where a string was promised. */
function str(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'object' && v !== null && '_' in v && typeof (v as { _: unknown })._ === 'string') {
    return (v as { _: string })._;
  }
  throw new MangledError(`rss-parser: ${field} is not a string`);
}

function text(v: unknown, field: string, type?: RawText['type']): RawText | undefined {
  const s = str(v, field);
  return s === undefined ? undefined : { value: s, ...(type ? { type } : {}) };
}

/** Parse with rss-parser. Throws its XML error, or MangledError. */
export function parseWithRssParser(xml: string): RawFeed {
  const p = instance();
  let result: unknown;
  let error: unknown;
  let called = false;
  p.xmlParser.reset?.();
  p.xmlParser.parseString(xml, (err, res) => {
    called = true;
    error = err;
    result = res;
  });
  if (!called) throw new Error('rss-parser: xml2js did not answer synchronously');
  if (error) throw error instanceof Error ? error : new Error(String(error));
  const r = result as Record<string, { $?: { version?: string } } | undefined> | null;
  if (!r) throw new Error('rss-parser: unable to parse XML');
  let feed: Record<string, unknown>;
  let format: RawFeed['format'];
  if (r.feed) {
    feed = p.buildAtomFeed(r);
    format = 'atom';
  } else if (r['rdf:RDF']) {
    feed = p.buildRSS1(r);
    format = 'rdf';
  } else if (r.rss) {
    const version = r.rss.$?.version ?? '';
    feed = /0\.9/.test(version) ? p.buildRSS0_9(r) : p.buildRSS2(r);
    format = 'rss';
  } else {
    throw new Error('rss-parser: feed not recognized as RSS or Atom');
  }
  const items: RawItem[] = [];
  for (const it of (feed.items as Array<Record<string, unknown>> | undefined) ?? []) {
    const item: RawItem = {};
    item.title = text(it.title, 'title', format === 'atom' ? undefined : 'html');
    item.link = str(it.link, 'link');
    item.guid = str(it.guid ?? it.id, 'guid');
    // RSS 2.0: a guid is a permalink unless isPermaLink="false"; feedparser uses it as the link when there is none.
    const rawGuid = (it.guidRaw as Array<{ $?: { isPermaLink?: string } } | string> | undefined)?.[0];
    const permalink = typeof rawGuid === 'object' ? rawGuid.$?.isPermaLink?.trim().toLowerCase() : undefined;
    if (!item.link && item.guid && /^https?:\/\//i.test(item.guid) && permalink !== 'false') item.link = item.guid;
    if (format === 'atom') {
      item.summary = text(it.summary, 'summary', 'html');
      item.content = text(it.content, 'content', 'html');
      item.published = str(it.published, 'published');
      item.updated = str(it.updated, 'updated');
    } else {
      const encoded = str(it['content:encoded'], 'content:encoded');
      const description = str(it.description ?? it.content ?? it['dc:description'] ?? it['itunes:summary'], 'description');
      item.summary = description === undefined ? undefined : { value: description, type: 'html' };
      if (encoded !== undefined) item.content = { value: encoded, type: 'html' };
      item.published = str(it.pubDate, 'pubDate') ?? str(it['dcterms:issued'], 'dcterms:issued');
      item.updated = str(it['dc:date'], 'dc:date') ?? str(it['dcterms:modified'], 'dcterms:modified');
    }
    item.authorName = str(it.creator ?? it.author ?? it['dc:author'] ?? it['itunes:author'], 'author');
    items.push(item);
  }
  return {
    format,
    title: text(feed.title, 'feed title', format === 'atom' ? undefined : 'html'),
    link: str(feed.link, 'feed link'),
    lang: str(feed.language, 'language'),
    ttl: str(feed.ttl, 'ttl'),
    syPeriod: str(feed['sy:updatePeriod'], 'sy:updatePeriod'),
    syFrequency: str(feed['sy:updateFrequency'], 'sy:updateFrequency'),
    description: text(feed.description ?? feed['itunes:summary'] ?? feed['itunes:subtitle'], 'description', 'html'),
    authorName: str(feed.creator ?? feed.managingEditor ?? feed.webMaster ?? feed['dc:author'] ?? feed['itunes:author'], 'author'),
    published: str(feed.pubDate ?? feed['dcterms:issued'], 'pubDate'),
    updated: str(feed.lastBuildDate ?? feed['dc:date'] ?? feed['dcterms:modified'] ?? feed.updated, 'lastBuildDate'),
    items,
  };
}
