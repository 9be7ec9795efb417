// extractArticle: metadata sources, paragraph boundaries, feed fallback, canonical URLs, and "any bytes in, no throw".
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../src/extract/extract.js';
import { stripTracking, pageCanonicalUrl as canonicalUrl } from '../../../src/url/canonical.js';
import { precut } from '../../../src/extract/precut.js';

const para = (n: number): string =>
  Array.from({ length: n }, (_, i) => `<p>Paragraph ${i} of the article explains, in some detail and with several clauses, what happened in the city council on Tuesday evening.</p>`).join('\n');

const ARTICLE = `<!doctype html><html lang="en-GB"><head><title>Council votes | Daily Example</title>
<meta property="og:title" content="Council votes on the budget">
<meta property="og:site_name" content="Daily Example">
<meta property="article:published_time" content="2026-11-25T18:30:00+01:00">
<link rel="canonical" href="https://example.com/news/council?utm_source=x&amp;id=7">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Council votes on the budget","author":{"@type":"Person","name":"Ada Writer"},"datePublished":"2026-11-25T18:30:00+01:00"}</script>
<script>document.write('x')</script><style>p{color:red}</style></head>
<body><nav><a href="/">Home</a><a href="/news">News</a></nav>
<article><h1>Council votes on the budget</h1>${para(6)}
<figure><img src="/a.jpg"><figcaption>The council chamber. Photo: Someone</figcaption></figure>
<ul><li><a href="/1">Related story one that is a link</a></li><li><a href="/2">Related story two that is a link</a></li></ul>
</article><footer>© Daily Example</footer></body></html>`;

describe('extractArticle', () => {
  it('reads JSON-LD, Open Graph, canonical and lang; keeps paragraphs; drops captions and link lists', () => {
    const a = extractArticle(ARTICLE, 'https://example.com/news/council?utm_medium=rss&fbclid=abc');
    expect(a.title).toBe('Council votes on the budget');
    expect(a.byline).toBe('Ada Writer');
    expect(a.published).toBe('2026-11-25T17:30:00.000Z');
    expect(a.lang).toBe('en');
    expect(a.siteName).toBe('Daily Example');
    expect(a.canonicalUrl).toBe('https://example.com/news/council?id=7');
    expect(a.via).toBe('readability');
    expect(a.text.split('\n\n').filter((p) => p.startsWith('Paragraph')).length).toBe(6);
    expect(a.text).not.toContain('Photo: Someone');
    expect(a.text).not.toContain('Related story');
    expect(a.text).not.toContain('color:red');
  });

  it('prefers a substantial JSON-LD articleBody', () => {
    const body = 'First paragraph of the body, long enough to count as text for the reader. '.repeat(4) + '\n\n' + 'Second paragraph. '.repeat(12);
    const html = `<html><head><script type="application/ld+json">${JSON.stringify({ '@type': 'NewsArticle', headline: 'H', articleBody: body })}</script></head><body><div><p>${body}</p></div></body></html>`;
    const a = extractArticle(html, 'https://example.com/a');
    expect(a.via).toBe('jsonld');
    expect(a.text.split('\n\n')).toHaveLength(2);
  });

  it('falls back to the feed item when the page yields less text', () => {
    const a = extractArticle('<html><body><p>Subscribe to read.</p></body></html>', 'https://example.com/p', {
      title: 'Feed title',
      contentHtml: `<p>${'Full text from the feed. '.repeat(20)}</p><p>Second paragraph from the feed.</p><img src=x onerror=alert(1)>`,
      author: 'Feed Author',
      published: '2026-11-25T10:00:00.000Z',
    });
    expect(a.via).toBe('feed');
    expect(a.title).toBe('Feed title');
    expect(a.text).toContain('Second paragraph from the feed.');
    expect(a.text.split('\n\n')).toHaveLength(2);
    expect(a.html).not.toMatch(/onerror/i);
    expect(a.published).toBe('2026-11-25T10:00:00.000Z');
  });

  it('any bytes in, no throw', () => {
    const samples: string[] = ['', '<', '<<<>>>', '\u0000\u0001\ufffd', '<script>', '<svg><svg><svg>', '<!--', '<html lang="??"><body></body>'];
    let seed = 42;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const alphabet = '<>/="\' abcdefpdivscript&#;\n\u00e9\u0416\ud83d\ude00';
    for (let i = 0; i < 60; i++) {
      samples.push(Array.from({ length: 1 + Math.floor(rnd() * 2000) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join(''));
    }
    for (const s of samples) {
      for (const url of ['https://example.com/', 'not a url', 'javascript:alert(1)']) {
        const a = extractArticle(s, url);
        expect(typeof a.text).toBe('string');
        expect(a.url).toBe(url);
      }
    }
  });
});

describe('precut', () => {
  it('cuts scripts, styles, iframes, comments, keeps JSON-LD aside, and survives unclosed elements', () => {
    const out = precut('<p>a</p><SCRIPT type="application/ld+json">{"x":1}</script><iframe src="//x"></iframe><!-- c --><style>b</style><p>b</p><script>never closed');
    expect(out.html).toBe('<p>a</p><p>b</p>');
    expect(out.jsonLd).toEqual(['{"x":1}']);
  });

  it('slims attributes and turns display:none into hidden', () => {
    const out = precut('<div style="display: none" onclick="x()" data-x="1" class="c">t</div><a href="/x" title="a > b">l</a>');
    expect(out.html).toBe('<div hidden class="c">t</div><a href="/x" title="a > b">l</a>');
  });
});

describe('canonical URLs', () => {
  it('strips tracking parameters and fragments', () => {
    expect(stripTracking('https://a.example/x?utm_source=a&utm_campaign=b&id=3&gclid=z&fbclid=y#top')).toBe('https://a.example/x?id=3');
    expect(stripTracking('https://a.example/x?utm_source=a')).toBe('https://a.example/x');
  });

  it('trusts rel=canonical only on the same site and over http(s)', () => {
    expect(canonicalUrl('https://www.a.example/x?utm_source=1', 'https://a.example/y')).toBe('https://a.example/y');
    expect(canonicalUrl('https://a.example/x', 'https://evil.example/y')).toBe('https://a.example/x');
    expect(canonicalUrl('https://a.example/x', 'javascript:alert(1)')).toBe('https://a.example/x');
    expect(canonicalUrl('https://a.example/x', '/rel')).toBe('https://a.example/rel');
  });
});
