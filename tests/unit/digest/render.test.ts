import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { renderAtom, renderHtml, renderJson, renderMarkdown, renderText, digestAtomEntries } from '../../../src/digest/render.js';
import { escapeMarkdown, safeUrl } from '../../../src/digest/escape.js';
import { parseFeedSync } from '../../../src/feeds/parse.js';
import { whyText } from '../../../src/digest/render-md.js';
import { activeContent, fixtureDigest } from './helpers.js';

const HOSTILE_TITLE = '<script>alert(1)</script> &lt;img onerror&gt; <img src=x onerror=alert(2)>';

describe('renderHtml', () => {
  const html = renderHtml(fixtureDigest(), { articleHref: (id) => `/articles/${id}` });

  it('escapes every untrusted string: no script, handler or javascript: link (X4, X5)', () => {
    expect(activeContent(html)).toEqual([]);
    const doc = new JSDOM(html).window.document;
    const titles = [...doc.querySelectorAll('h3')].map((h) => h.textContent);
    expect(titles).toContain(HOSTILE_TITLE);
    expect(doc.title).toBe('Morning <b>brief</b> — 2026-11-26');
    expect(doc.body.textContent).toContain('<b>Evil</b> "Outlet"');
  });

  it('shows stories, outlets, first seen, highlights, evidence and feeds in trouble', () => {
    const doc = new JSDOM(html).window.document;
    const first = doc.querySelector('.story')!;
    expect(first.querySelector('h3 a')!.getAttribute('href')).toBe('https://www.reuters.com/world/europe/strikes-power-2026-11-25/');
    expect(first.textContent).toContain('reported by 3 outlets, first seen 07:58');
    expect([...first.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(expect.arrayContaining(['power grid', 'Ukrenergo']));
    expect(first.querySelectorAll('li')).toHaveLength(2);
    expect(first.textContent).toContain('Why: “power grid” in title');
    expect(doc.querySelector('.trouble')!.textContent).toContain('7 failed polls in a row — fetch: http 410 <gone>');
    expect(html).not.toMatch(/<style|<script/i);
  });

  it('alerts on deliveries in state unknown', () => {
    const h = renderHtml(fixtureDigest(), { deliveries: [{ channel: 'email:1', state: 'unknown', error: 'lost <conn>' }] });
    expect(new JSDOM(h).window.document.querySelector('.alert')!.textContent).toContain('Delivery unknown on email:1: lost <conn>');
  });
});

describe('renderMarkdown / renderText / renderJson', () => {
  it('Markdown shows hostile text as text and never links javascript:', () => {
    const md = renderMarkdown(fixtureDigest());
    expect(md).not.toMatch(/<script|<img|<b>/i);
    expect(md).not.toMatch(/(?<!\\)\]\(javascript:/i); // an escaped \] cannot close a link text
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(md).toContain('### [Russian strikes hit Ukraine power grid, blackouts in Kyiv](https://www.reuters.com/world/europe/strikes-power-2026-11-25/)');
    expect(md).toContain('reported by 3 outlets, first seen 07:58');
    expect(md).toContain('**power grid**');
    expect(md).toContain('## Feeds in trouble');
  });

  it('plain text spells URLs out and has no markup', () => {
    const t = renderText(fixtureDigest());
    expect(t).toContain('* Russian strikes hit Ukraine power grid, blackouts in Kyiv');
    expect(t).toContain('  https://www.reuters.com/world/europe/strikes-power-2026-11-25/');
    expect(t).not.toMatch(/^\s*javascript:/m);
  });

  it('JSON round-trips', () => {
    const d = fixtureDigest();
    expect(JSON.parse(renderJson(d))).toEqual(JSON.parse(JSON.stringify(d)));
  });

  it('escape helpers', () => {
    expect(escapeMarkdown('[x](y) *b* <i>')).toBe('\\[x\\](y) \\*b\\* &lt;i&gt;');
    expect(escapeMarkdown('1. # - x')).toBe('1\\. # - x');
    expect(escapeMarkdown('- x')).toBe('\\- x');
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl(' JAVASCRIPT:alert(1)')).toBeUndefined();
    expect(safeUrl('data:text/html,x')).toBeUndefined();
    expect(safeUrl('https://u:p@x.example/')).toBeUndefined();
    expect(safeUrl('https://x.example/a b')).toBe('https://x.example/a%20b');
  });
});

describe('renderAtom', () => {
  const d = fixtureDigest();
  const xml = renderAtom(d, { id: 'urn:wirewatch:digest:morning', title: 'Morning <b>brief</b>', selfUrl: 'http://127.0.0.1:8080/digests/morning/feed.atom' });

  it('parses back as Atom with the titles as text (X4) and no javascript: links (X5)', () => {
    const feed = parseFeedSync(xml, { url: 'http://127.0.0.1:8080/digests/morning/feed.atom' });
    expect(feed.format).toBe('atom');
    expect(feed.title).toBe('Morning <b>brief</b>');
    expect(feed.items.map((i) => i.title)).toContain(HOSTILE_TITLE);
    expect(feed.items).toHaveLength(d.counts.stories);
    expect(feed.items.find((i) => i.title === HOSTILE_TITLE)!.url).toBeUndefined();
    expect(xml).not.toMatch(/<script|href="javascript:/i);
  });

  it('entry ids are stable URIs, per topic when asked', () => {
    const e = digestAtomEntries(d, 'markets');
    expect(e).toHaveLength(1);
    expect(e[0].id).toBe('urn:wirewatch:morning:2026-11-26:markets:c1');
    const empty = renderAtom([], { id: 'urn:x', title: 'empty' });
    expect(parseFeedSync(empty, { url: 'http://127.0.0.1/x' }).items).toEqual([]);
  });
});

describe('the cut a digest covers', () => {
  it('is stated in every human rendering, the email text part included, and marked when not yet delivered', () => {
    const d = { ...fixtureDigest(), coveredFrom: '2026-11-26T05:00:00.000Z', coveredTo: '2026-11-27T07:25:00.000Z' };
    for (const out of [renderText(d), renderMarkdown(d), renderHtml(d)]) expect(out).toContain('Carries every match stored');
    expect(renderText({ ...d, undelivered: true })).toContain('Not yet delivered. Matched since the last digest');
    expect(renderText(fixtureDigest())).not.toContain('Carries every match stored');
  });
});

describe('whyText', () => {
  const ev = (term: string, field: 'title' | 'lead' | 'body') => ({ rule: 'r', term, field, start: 0, end: 1, matched: term, weight: 1 });
  it('names each term once, with every field it fired in, in evidence order', () => {
    const why = whyText([ev('security guarantee', 'title'), ev('ceasefire', 'lead'), ev('security guarantee', 'body'), ev('security guarantee', 'title')]);
    expect(why).toBe('“security guarantee” in title/body, “ceasefire” in lead');
  });
});
