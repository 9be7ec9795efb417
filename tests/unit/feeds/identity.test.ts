import { describe, expect, it } from 'vitest';
import { itemId, itemIdentity } from '../../../src/feeds/identity.js';
import { identityUrl as canonicalUrl } from '../../../src/url/canonical.js';
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
