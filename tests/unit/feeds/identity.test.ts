import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { itemId, itemIdentity } from '../../../src/feeds/identity.js';
import { identityUrl as canonicalUrl, stripTracking } from '../../../src/url/canonical.js';
import { isTrackingParam } from '../../../src/url/tracking.js';
import type { FeedSource } from '../../../src/model.js';

const feedA: FeedSource = { id: 'a', url: 'https://a.example/rss' };
const feedB: FeedSource = { id: 'b', url: 'https://b.example/rss' };

describe('canonicalUrl', () => {
  it.each([
    ['HTTPS://News.Example.ORG:443/a?utm_source=rss&b=2&a=1#frag', 'https://news.example.org/a?a=1&b=2'],
    ['http://example.com:80', 'http://example.com/'],
    ['https://example.com/x?fbclid=1&gclid=2&mc_cid=3&yclid=4&_ga=5&ref=6&id=7', 'https://example.com/x?id=7'],
    ['https://user:pw@example.com/p', 'https://example.com/p'],
    ['https://example.com:8443/p?utm_medium=x', 'https://example.com:8443/p'],
  ])('%s → %s', (input, out) => {
    expect(canonicalUrl(input)).toBe(out);
  });

  it('rejects non-http schemes', () => {
    expect(() => canonicalUrl('javascript:alert(1)')).toThrow(TypeError);
    expect(() => canonicalUrl('ftp://example.com/')).toThrow(TypeError);
  });
});

describe('itemId / itemIdentity', () => {
  it('is 32 hex chars without ":" (a BullMQ jobId)', () => {
    expect(itemId('https://example.com/')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('gives the same story in two feeds (and on re-polls) one id (Q7)', () => {
    const a = itemIdentity({ title: 'Talks', url: 'https://news.example/1?utm_source=a', guid: 'a-1' }, feedA);
    const b = itemIdentity({ title: 'Talks (updated)', url: 'https://NEWS.example/1#top', guid: 'b-9' }, feedB);
    expect(a.id).toBe(b.id);
    expect(a.canonicalUrl).toBe('https://news.example/1');
    const ids = new Set(Array.from({ length: 10 }, () => itemIdentity({ title: 'Talks', url: 'https://news.example/1' }, feedA).id));
    expect(ids.size).toBe(1);
  });

  it('falls back to feed + guid, then feed + normalised title', () => {
    const g1 = itemIdentity({ title: 'x', guid: 'g' }, feedA);
    const g2 = itemIdentity({ title: 'y', guid: 'g' }, feedB);
    expect(g1.guidKey).toBeDefined();
    expect(g1.id).not.toBe(g2.id);
    expect(itemIdentity({ title: 'x', guid: 'g' }, feedA).id).toBe(g1.id);
    const t1 = itemIdentity({ title: '  Breaking:  Talks ' }, feedA);
    const t2 = itemIdentity({ title: 'breaking: talks' }, feedA);
    expect(t1.id).toBe(t2.id);
    expect(t1.canonicalUrl).toBeUndefined();
  });

  it('keeps the id and changes the content hash on an edit', () => {
    const before = itemIdentity({ title: 'Talks', url: 'https://n.example/1', summary: 'a' }, feedA);
    const after = itemIdentity({ title: 'Talks', url: 'https://n.example/1', summary: 'a, corrected' }, feedA);
    expect(after.id).toBe(before.id);
    expect(after.contentHash).not.toBe(before.contentHash);
  });
});

// Item ids and content hashes are stored: a change in how they are computed would make every known item new (or
// edited) on its next poll. The fast paths (URL setters only when something changes, whitespace squashed only when
// needed) must give exactly what the straightforward code gave; this is that code, kept as the reference.
describe('identity fast paths give the stored ids and hashes', () => {
  function referenceUrl(url: string, sortQuery: boolean, dropUserinfo: boolean): string {
    const u = new URL(url.trim());
    u.hash = '';
    if (dropUserinfo) {
      u.username = '';
      u.password = '';
    }
    const params = [...u.searchParams];
    const kept = params.filter(([k]) => !isTrackingParam(k));
    if (sortQuery) kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    if (sortQuery || kept.length !== params.length) u.search = kept.length ? new URLSearchParams(kept).toString() : '';
    return u.toString();
  }
  const referenceHash = (item: { title?: string; summary?: string; contentHtml?: string }) =>
    createHash('sha256').update([item.title ?? '', item.summary ?? '', item.contentHtml ?? ''].map((s) => s.replace(/\s+/g, ' ').trim()).join('\u0000'), 'utf8').digest('hex').slice(0, 32);

  const hosts = ['https://ex.org', 'HTTP://User:Pw@Ex.ORG:80', 'https://@ex.org', 'https://:pw@ex.org:8443'];
  const paths = ['', '/', '/a b/ü', '/a%20b', '/p;x=1'];
  const queries = ['', '?', '?a=1', '?utm_source=rss', '?b=2&a=1&utm_medium=x', '?q=a+b&x=%41', '?a&&b=', '?%75tm_source=1', '?ref=rss&id=7'];
  const frags = ['', '#', '#top', '#a?b'];
  const urls = hosts.flatMap((h) => paths.flatMap((p) => queries.flatMap((q) => frags.map((f) => h + p + q + f))));

  it(`canonical URLs: ${urls.length} shapes, both policies`, () => {
    for (const url of urls) {
      expect(canonicalUrl(url), url).toBe(referenceUrl(url, true, true));
      expect(stripTracking(url), url).toBe(referenceUrl(url, false, false));
    }
  });

  it('content hashes over whitespace shapes', () => {
    const texts = ['', ' ', 'a', ' a', 'a ', 'a b', 'a  b', 'a\tb', 'a\nb', '\u00a0a', 'a\u2003b', 'a\ufeff', ' a  b\n', 'x y z'];
    for (const title of texts) for (const summary of texts) {
      const item = { title, summary, contentHtml: `${summary}<p>${title}</p>` };
      expect(itemIdentity(item, feedA).contentHash, JSON.stringify(item)).toBe(referenceHash(item));
    }
  });
});
