// The bounded parser: hostile input (SECURITY-TESTS X1–X5, L7), engines, and "any bytes in, no throw but
// PermanentError". parseFeed runs in a worker thread from dist/: `npx tsc -p .` (npm test builds) first.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { afterAll, describe, expect, it } from 'vitest';
import { PermanentError } from '../../../src/errors.js';
import { closeFeedParser, parseFeed, parseFeedSync } from '../../../src/feeds/parse.js';
import { parseFeedBytesSync } from '../../../src/feeds/parse-sync.js';

const DIR = path.resolve(import.meta.dirname, '../../fixtures/feeds');
const hostile = (f: string) => readFileSync(path.join(DIR, 'hostile', f));
const fixture = (f: string) => readFileSync(path.join(DIR, f));
const url = 'http://fixtures.test/feed';

afterAll(async () => {
  await closeFeedParser();
});

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as Error).message).toMatch(/^feeds: .*\(http:\/\/fixtures\.test\/feed\)$/s);
    return (err as PermanentError).code;
  }
}

describe('parseFeed (worker thread)', () => {
  it('parses a feed off the event loop', async () => {
    const feed = await parseFeed(fixture('rss20.xml'), { url });
    expect(feed.items).toHaveLength(2);
  });

  it('X1: billion laughs is a parse error within 50 ms and the worker stays usable', async () => {
    await parseFeed(fixture('rss20.xml'), { url }); // warm
    const t0 = performance.now();
    expect(await code(parseFeed(hostile('hostile_billion_laughs.xml'), { url }))).toBe('parse_error');
    expect(performance.now() - t0).toBeLessThan(50);
    expect((await parseFeed(fixture('rss20.xml'), { url })).items).toHaveLength(2);
  });

  it('X2: XXE is a parse error and reads no file', async () => {
    expect(await code(parseFeed(hostile('hostile_xxe_file.xml'), { url }))).toBe('parse_error');
    // Even with the DTD check bypassed (the entity reference without its declaration), nothing is resolved.
    const feed = parseFeedSync('<rss version="2.0"><channel><title>a &xxe; b</title></channel></rss>', { url });
    expect(JSON.stringify(feed)).not.toMatch(/root:|daemon:/);
  });

  it('X3: a truncated feed is a clear error, nothing partial', async () => {
    expect(await code(parseFeed(hostile('hostile_truncated.xml'), { url }))).toBe('parse_error');
    const whole = fixture('rss20.xml');
    for (const cut of [50, 200, 400, whole.length - 10]) {
      expect(await code(parseFeed(whole.subarray(0, cut), { url }))).not.toBe('ok');
    }
  });

  it('stops a parse that outruns its time budget, then keeps working', async () => {
    const huge = `<rss version="2.0"><channel><title>t</title>${'<item><title>x</title><description>&lt;p&gt;y&lt;/p&gt;</description></item>'.repeat(200_000)}</channel></rss>`;
    const t0 = performance.now();
    expect(await code(parseFeed(Buffer.from(huge), { url, timeoutMs: 30, maxItems: 1_000_000 }))).toBe('parse_error');
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect((await parseFeed(fixture('rss20.xml'), { url })).items).toHaveLength(2);
  });

  it('L7: 50,000 items / ~30 MiB — only the cap is taken, within budget', async () => {
    const item = (i: number) => `<item><title>Item ${i}</title><link>http://example.com/${i}</link><guid>g${i}</guid><description>${'lorem ipsum '.repeat(46)}</description></item>\n`;
    const parts = ['<?xml version="1.0"?><rss version="2.0"><channel><title>big</title><link>http://example.com/</link>'];
    for (let i = 0; i < 50_000; i++) parts.push(item(i));
    parts.push('</channel></rss>');
    const body = Buffer.from(parts.join(''));
    expect(body.length).toBeGreaterThan(30 * 1024 * 1024);
    const t0 = performance.now();
    const feed = await parseFeed(body, { url, maxItems: 200, timeoutMs: 5_000 });
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(feed.items).toHaveLength(200);
    expect(feed.items[199].guid).toBe('g199');
  });

  it('survives the `&lt;` flood and 100k-deep nesting within budget', async () => {
    const flood = await parseFeed(hostile('hostile_lt_flood.xml'), { url, timeoutMs: 5_000 });
    expect(flood.items).toHaveLength(1);
    const deep = `<rss version="2.0"><channel><title>deep</title><item><title>i</title><description>${'<div>'.repeat(100_000)}x${'</div>'.repeat(100_000)}</description></item></channel></rss>`;
    expect(['ok', 'parse_error']).toContain(await code(parseFeed(Buffer.from(deep), { url, timeoutMs: 5_000 })));
  });

  it('rejects HTML pages and JSON that is not a feed as not_a_feed', async () => {
    expect(await code(parseFeed(Buffer.from('<!doctype html><html><head><title>x</title></head></html>'), { url }))).toBe('not_a_feed');
    expect(await code(parseFeed(Buffer.from('{"hello": 1}'), { url }))).toBe('not_a_feed');
    expect(await code(parseFeed(Buffer.alloc(0), { url }))).toBe('not_a_feed');
  });
});

describe('normalised output is safe', () => {
  const dom = new JSDOM('');
  const elementsIn = (html: string) => {
    const div = dom.window.document.createElement('div');
    div.innerHTML = html;
    return [...div.querySelectorAll('*')];
  };

  it('X4: titles and summaries are plain text; content has no script, handler or javascript: URL', () => {
    const feed = parseFeedBytesSync(fixture('x4-script-title.xml'), { url });
    const item = feed.items[0];
    for (const text of [feed.title!, item.title, item.summary!]) {
      // Rendered escaped, plain text never becomes an element.
      const div = dom.window.document.createElement('div');
      div.textContent = text;
      expect(elementsIn(div.innerHTML)).toHaveLength(0);
      expect(text).not.toMatch(/<script|onerror/i);
    }
    const els = elementsIn(item.contentHtml!);
    expect(els.map((e) => e.tagName.toLowerCase())).not.toContain('script');
    expect(els.map((e) => e.tagName.toLowerCase())).not.toContain('iframe');
    for (const e of els) {
      for (const a of [...e.attributes]) {
        expect(a.name).not.toMatch(/^on/i);
        expect(a.value).not.toMatch(/javascript:/i);
      }
    }
  });

  it('X4: a text-typed title keeps "<script>" as literal text', () => {
    const atom = '<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">&lt;script&gt;alert(1)&lt;/script&gt;</title></feed>';
    expect(parseFeedSync(atom, { url }).title).toBe('<script>alert(1)</script>');
  });

  it('X5: javascript:, data: and obfuscated scheme links are dropped', () => {
    const feed = parseFeedBytesSync(fixture('x5-javascript-link.xml'), { url });
    expect(feed.link).toBeUndefined();
    expect(feed.items.map((i) => i.url)).toEqual([undefined, undefined, undefined]);
    expect(feed.items[0].guid).toBe('x5-1');
  });

  it('engines: rss-parser reads RSS; feedsmith reads Atom and what strict XML rejects', () => {
    const amp = parseFeedBytesSync(hostile('misc_raw_ampersand.xml'), { url });
    expect(amp.title).toBe('AT&T news');
    expect(amp.items[0]).toMatchObject({ title: 'Q&A session', url: 'http://example.com/?a=1&b=2' });
    const atom = parseFeedBytesSync(hostile('dates_atom_invalid.xml'), { url });
    expect(atom.items.map((i) => i.published)).toEqual([undefined, '2024-03-04T10:00:00.000Z']);
    expect(atom.items[0].updated).toBeUndefined();
  });

  it('reads every date variant of the hostile dates feed as wirewatch does', () => {
    const feed = parseFeedBytesSync(hostile('dates_rss_variants.xml'), { url });
    const dates = feed.items.map((i) => i.published);
    expect(dates.slice(0, 7)).toEqual(new Array(7).fill('2024-03-05T11:22:01.000Z'));
    expect(dates[7]).toBe('2024-03-05T14:22:01.000Z'); // zone-less → UTC (no tz configured)
    expect(dates[8]).toBe('2024-03-05T14:22:00.000Z'); // 05.03.2024 = 5 March
    expect(dates[9]).toBe('2024-03-05T11:22:01.000Z');
    expect(dates[11]).toBeUndefined(); // "yesterday"
  });
});

describe('any bytes in, no throw but PermanentError', () => {
  // Deterministic PRNG (mulberry32) so a failure is reproducible.
  function rng(seed: number) {
    return () => {
      seed |= 0;
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const seeds = ['rss20.xml', 'atom10.xml', 'rss10.xml', 'jsonfeed11.json', 'cp1251-none.xml', 'utf16le-bom.xml'].map(fixture);

  it('mutated fixtures and random bytes either parse or throw PermanentError', () => {
    const rand = rng(42);
    let parsed = 0;
    for (let i = 0; i < 600; i++) {
      const base = seeds[i % seeds.length];
      let bytes: Buffer;
      if (i % 10 === 9) {
        bytes = Buffer.from(Array.from({ length: Math.floor(rand() * 400) }, () => Math.floor(rand() * 256)));
      } else {
        bytes = Buffer.from(base);
        const edits = 1 + Math.floor(rand() * 8);
        for (let e = 0; e < edits; e++) {
          const at = Math.floor(rand() * bytes.length);
          const op = rand();
          if (op < 0.4) bytes[at] = Math.floor(rand() * 256);
          else if (op < 0.7) bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1 + Math.floor(rand() * 20))]);
          else bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(['<', '>', '&', ']]>', '<![CDATA[', '"', '&#0;', '<!ENTITY'][Math.floor(rand() * 8)]), bytes.subarray(at)]);
        }
      }
      try {
        const feed = parseFeedBytesSync(bytes, { url });
        parsed++;
        for (const it of feed.items) {
          expect(typeof it.title).toBe('string');
          if (it.guid !== undefined) expect(typeof it.guid).toBe('string');
          if (it.url !== undefined) expect(it.url).toMatch(/^https?:\/\//);
        }
      } catch (err) {
        if (!(err instanceof PermanentError)) throw new Error(`case ${i}: ${(err as Error).stack}`);
        expect(['not_a_feed', 'parse_error', 'too_large']).toContain(err.code);
      }
    }
    expect(parsed).toBeGreaterThan(50);
  });

  it('parseFeed (worker) rejects only with PermanentError on arbitrary bytes', async () => {
    const rand = rng(7);
    for (let i = 0; i < 40; i++) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(rand() * 2_000) }, () => Math.floor(rand() * 256)));
      if (i % 2) bytes.write('<rss version="2.0"><channel><item><title>', 0);
      try {
        await parseFeed(bytes, { url, timeoutMs: 2_000 });
      } catch (err) {
        expect(err).toBeInstanceOf(PermanentError);
      }
    }
  });
});
