import { describe, expect, it } from 'vitest';
import { discoverFeeds } from '../../../src/feeds/discover.js';
import { parseOpml, toOpml } from '../../../src/feeds/opml.js';
import type { FeedSource } from '../../../src/model.js';

describe('discoverFeeds', () => {
  it('finds rel=alternate RSS, Atom and JSON Feed links, absolute and de-duplicated', () => {
    const html = `<!doctype html><html><head><base href="https://example.org/news/">
      <link rel="stylesheet" href="/s.css">
      <link rel="alternate" type="application/rss+xml" title="RSS" href="rss.xml">
      <LINK REL="Alternate" TYPE="application/atom+xml" HREF="/atom?x=1&amp;y=2">
      <link rel="alternate" type="application/feed+json" href="https://example.org/feed.json">
      <link rel="alternate" type="application/rss+xml" href="rss.xml">
      <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
      <link rel="alternate" hreflang="uk" href="/uk/">
      <!-- <link rel="alternate" type="application/rss+xml" href="/commented.xml"> -->
      </head><body></body></html>`;
    expect(discoverFeeds(html, 'https://example.org/')).toEqual([
      'https://example.org/news/rss.xml',
      'https://example.org/atom?x=1&y=2',
      'https://example.org/feed.json',
    ]);
  });

  it('returns nothing for a page without feeds', () => {
    expect(discoverFeeds('<html><head><title>x</title></head></html>', 'https://example.org/')).toEqual([]);
  });
});

describe('OPML', () => {
  const feeds: FeedSource[] = [
    { id: 'kyiv', url: 'https://kyivindependent.com/rss/', title: 'The Kyiv Independent', lang: 'en' },
    { id: 'odd', url: 'https://example.org/rss?a=1&b=2', title: `Quotes " ' <tags> & ampersands — «ґ»` },
    { id: 'bare', url: 'http://example.com/feed' },
  ];

  it('round-trips feeds through toOpml → parseOpml, escaping everything', () => {
    const xml = toOpml(feeds, 'My <feeds>');
    expect(xml).not.toContain('<tags>');
    expect(xml).toContain('<title>My &lt;feeds&gt;</title>');
    const back = parseOpml(xml);
    expect(back).toEqual([
      feeds[0],
      feeds[1],
      { id: 'bare', url: 'http://example.com/feed', title: 'http://example.com/feed' },
    ]);
  });

  it('reads nested outlines from other readers and skips non-http URLs and duplicates', () => {
    const xml = `<?xml version="1.0"?><opml version="1.0"><head><title>x</title></head><body>
      <outline text="News"><outline text="A &amp; B" type="rss" xmlUrl="https://a.example/rss"/>
        <outline text="Dup" xmlurl="https://a.example/rss"/>
        <outline text="Evil" xmlUrl="javascript:alert(1)"/></outline>
      <outline title="C" text="ignored" xmlUrl='https://c.example/atom' language="uk"/>
    </body></opml>`;
    const got = parseOpml(xml, (u) => `id:${new URL(u).host}`);
    expect(got).toEqual([
      { id: 'id:a.example', url: 'https://a.example/rss', title: 'A & B' },
      { id: 'id:c.example', url: 'https://c.example/atom', title: 'C', lang: 'uk' },
    ]);
  });

  it('rejects what is not OPML', () => {
    expect(() => parseOpml('<rss/>')).toThrow(/opml/);
  });
});
