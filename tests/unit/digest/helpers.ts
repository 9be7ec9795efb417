// Shared by the digest tests: the fixture entries and a digest built from them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DigestEntry, FeedHealth } from '../../../src/model.js';
import { buildDigest } from '../../../src/digest/build.js';
import { JSDOM } from 'jsdom';
import type { Kysely } from 'kysely';
import type { Database } from '../../../src/store/schema.js';
import { upsertFeeds, recordPoll } from '../../../src/store/feeds.js';
import { recordItems } from '../../../src/store/items.js';
import { saveArticle } from '../../../src/store/articles.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const FIXTURES = path.resolve(here, '../../fixtures/digest');

export function fixtureEntries(): DigestEntry[] {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, 'entries.json'), 'utf8')) as DigestEntry[];
}

export const TROUBLED: FeedHealth[] = [
  { feedId: 'ok', url: 'https://ok.example/feed', consecutiveFailures: 0 },
  { feedId: 'flaky', url: 'https://flaky.example/feed', consecutiveFailures: 2, lastError: 'timeout' },
  { feedId: 'dead', url: 'https://dead.example/rss', title: '<i>Dead</i> feed', consecutiveFailures: 7, lastError: 'fetch: http 410 <gone>', lastStatus: 410 },
];

export function fixtureDigest(maxItems?: number) {
  return buildDigest({
    digestId: 'morning', title: 'Morning <b>brief</b>', period: '2026-11-26', start: '2026-11-25T05:00:00.000Z',
    end: '2026-11-26T05:00:00.000Z', tz: 'Europe/Kyiv',
    topics: [{ id: 'ukraine-energy', title: 'Ukraine energy' }, { id: 'markets', title: 'Markets' }, { id: 'empty', title: 'Nothing here' }],
    entries: fixtureEntries(), feedsInTrouble: TROUBLED, maxItems,
  });
}

/** Store the fixture entries as feeds, items, articles and matches, the way the pipeline would. */
export async function seedStore(db: Kysely<Database>, entries: DigestEntry[] = fixtureEntries()): Promise<void> {
  const feedOf = (source: string) => `feed-${source.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
  const sources = [...new Set(entries.map((e) => e.source))];
  await upsertFeeds(db, sources.map((s) => ({ id: feedOf(s), url: `https://${feedOf(s)}.example/rss`, title: s })), '2026-11-01T00:00:00.000Z');
  await upsertFeeds(db, [{ id: 'dead', url: 'https://dead.example/rss', title: '<i>Dead</i> feed' }], '2026-11-01T00:00:00.000Z');
  await recordPoll(db, 'dead', {
    lastPollAt: '2026-11-25T20:00:00.000Z', success: false, status: 410, error: 'fetch: http 410 <gone>',
    consecutiveFailures: 7, nextPollAt: '2026-11-26T20:00:00.000Z', intervalS: 3600,
  });
  for (const e of entries) {
    await recordItems(db, feedOf(e.source), [{ id: e.itemId, contentHash: `h-${e.itemId}`, item: { title: e.title, url: e.url } }], e.storedAt);
  }
  const byItem = new Map<string, DigestEntry[]>();
  for (const e of entries) byItem.set(e.itemId, [...(byItem.get(e.itemId) ?? []), e]);
  for (const [itemId, es] of byItem) {
    const e = es[0];
    await saveArticle(
      db, itemId,
      { url: e.url, canonicalUrl: e.url, title: e.title, published: e.published, lang: e.lang, text: e.text, via: 'feed', siteName: e.source,
        html: `<p>${e.text.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!)}</p>` },
      `h-${itemId}`,
      es.map((x) => ({ topicId: x.topicId, score: x.score, threshold: 1, evidence: x.evidence })),
      e.storedAt,
    );
  }
}

/**
 * Every element and attribute of an HTML document that could run script (X4, X5). `ownWidgets`: a web page of
 * ours may hold the desk's own forms (action /feedback or /search) and trend charts (<svg role="img">); their
 * attributes are still checked like every other element's.
 */
export function activeContent(html: string, ownWidgets = false): string[] {
  const doc = new JSDOM(html).window.document;
  const found: string[] = [];
  for (const el of doc.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    const own = ownWidgets && ((tag === 'form' && ['/feedback', '/search'].includes(el.getAttribute('action') ?? '')) || (tag === 'svg' && el.getAttribute('role') === 'img'));
    if (!own && ['script', 'iframe', 'object', 'embed', 'img', 'svg', 'form', 'style', 'base', 'frame'].includes(tag)) found.push(`<${tag}>`);
    if (tag === 'link' && el.getAttribute('rel') !== 'alternate') found.push(`<link rel=${el.getAttribute('rel')}>`);
    if (tag === 'meta' && el.hasAttribute('http-equiv')) found.push('<meta http-equiv>');
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) found.push(`${tag}[${a.name}]`);
      if (['href', 'src', 'action'].includes(a.name) && !/^(https?:|mailto:|\/|#)/i.test(a.value)) found.push(`${tag}[${a.name}=${a.value}]`);
    }
  }
  return found;
}

/** The decoded text/html part of a raw MIME message (quoted-printable, as nodemailer writes it). */
export function htmlPartOf(raw: string): string {
  const m = /Content-Type: text\/html[^\r\n]*\r?\nContent-Transfer-Encoding: quoted-printable\r?\n\r?\n([\s\S]*?)\r?\n--/i.exec(raw);
  if (!m) throw new Error('no quoted-printable text/html part');
  const bytes = m[1].replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}
