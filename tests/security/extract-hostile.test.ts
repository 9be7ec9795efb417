// SECURITY-TESTS X6–X8: hostile article HTML. jsdom loads nothing, the sanitiser leaves no active content, and a
// pathological page is killed at its time budget without taking the pool down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSDOM } from 'jsdom';
import { PermanentError } from '../../src/errors.js';
import { decodeBytes } from '../../src/charset/decode.js';
import { extractArticle } from '../../src/extract/extract.js';
import { createExtractor, type Extractor } from '../../src/extract/pool.js';
import { serve, testFetcher, until, type TestServer } from './helpers.js';

const BODY = Array.from({ length: 8 }, (_, i) => `<p>Paragraph ${i}: the committee heard evidence from several witnesses about the flooding of the river valley last spring.</p>`).join('');

let target: TestServer;
let site: TestServer;
const requested: string[] = [];

beforeAll(async () => {
  target = await serve((_q, s) => s.end('x'), '::');
  const hostile = `<!doctype html><html><head><title>Hostile</title>
    <link rel="stylesheet" href="http://127.0.0.2:${target.port}/style.css">
    <link rel="stylesheet" href="/local.css"><script src="/evil.js"></script>
    <style>@import url("http://127.0.0.2:${target.port}/imp.css"); body{background:url(/bg.png)}</style></head>
    <body><article><h1>Hostile</h1>${BODY}
    <script>fetch('/xhr'); document.body.innerHTML = 'pwned'</script>
    <img src="/img.png" onerror="fetch('/onerror')"><img src="http://127.0.0.2:${target.port}/pixel.gif">
    <p>Click <a href="javascript:alert(1)">here</a> or <a href="https://example.com/ok" onclick="steal()">there</a>.</p>
    <svg onload="alert(1)"><circle r="5"/></svg><iframe src="/frame"></iframe>
    <form action="/post"><input name="q"><button>Go</button></form>
    <p style="color:red" class="x">Styled paragraph text that still belongs to the article body proper.</p>
    <object data="/obj.swf"></object><embed src="/e.swf"><video src="/v.mp4"></video>
    </article></body></html>`;
  site = await serve((req, res) => {
    requested.push(req.url ?? '');
    if (req.url === '/article') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(hostile);
    }
    res.writeHead(404).end();
  });
});
afterAll(async () => {
  await target.close();
  await site.close();
});

describe('X6/X7 hostile article', () => {
  it('is fetched and extracted with zero subresource requests and zero connections to 127.0.0.2', async () => {
    const f = testFetcher([site.port, target.port]);
    const res = await f.fetch({ url: site.url('/article'), kind: 'page' });
    await f.close();
    const html = decodeBytes(res.body, { order: 'html', httpCharset: 'utf-8' }).text;
    const a = extractArticle(html, res.url);
    // Also parse the unmodified page with plain jsdom defaults: it must not load anything either.
    new JSDOM(html, { url: res.url }).window.close();
    await new Promise((r) => setTimeout(r, 200));
    expect(requested).toEqual(['/article']);
    expect(target.connections).toBe(0);

    expect(a.text).toContain('Paragraph 7');
    expect(a.text).not.toContain('pwned');
    const out = a.html ?? '';
    expect(out).toContain('Paragraph 0');
    for (const bad of [/<script/i, /onerror/i, /onclick/i, /onload/i, /javascript:/i, /<svg/i, /<iframe/i, /<form/i, /<input/i, /<style/i, /style=/i, /<object/i, /<embed/i]) {
      expect(out).not.toMatch(bad);
    }
    // A parser finds no element with a handler or an active URL.
    const doc = new JSDOM(`<body>${out}</body>`).window.document;
    for (const el of Array.from(doc.querySelectorAll('*'))) {
      for (const attr of Array.from(el.attributes)) {
        expect(attr.name.startsWith('on')).toBe(false);
        expect(/^\s*(javascript|data|vbscript):/i.test(attr.value)).toBe(false);
      }
    }
  });
});

describe('X8 pathological pages in the pool', () => {
  let pool: Extractor;
  beforeAll(() => {
    // The complexity guard (C1, tests/security/hostile-input.test.ts) refuses these pages before parsing: it is
    // lifted here so that the budget kill these cases test is still reached.
    pool = createExtractor({ threads: 1, timeoutMs: 1500, maxHtmlBytes: 5 * 1024 * 1024, maxDepth: 10_000_000, maxElements: 10_000_000 });
  });
  afterAll(() => pool.close());

  it('rejects HTML over the size cap before it reaches a worker', async () => {
    const huge = '<div>'.repeat(1_100_000);
    const err = await pool.extract({ html: huge, url: 'https://example.com/huge' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).code).toBe('too_large');
  });

  it('kills a runaway page (10^4 nested divs, ~30 s of work) at the budget and then serves the next page', async () => {
    const nested = `<html><body>${'<div>'.repeat(10_000)}${'<p>deep text, deep text, deep text. '.repeat(5)}${'</div>'.repeat(10_000)}</body></html>`;
    const t0 = performance.now();
    const err = await pool.extract({ html: nested, url: 'https://example.com/nested' }).catch((e: unknown) => e);
    const took = performance.now() - t0;
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).code).toBe('extract_timeout');
    expect((err as Error).message).toMatch(/^extract: .*https:\/\/example\.com\/nested/);
    expect(took).toBeLessThan(15_000); // budget 1.5 s + worker start-up on a busy 2-core box; the page alone needs ~30 s

    const ok = await pool.extract({ html: `<html><body><article>${BODY}</article></body></html>`, url: 'https://example.com/next' });
    expect(ok.text).toContain('Paragraph 3');
  });

  it('a 10^5-deep page is either extracted or killed within the budget, and the pool keeps working', async () => {
    const deep = `<html><body>${'<div>'.repeat(100_000)}<p>bottom</p>${'</div>'.repeat(100_000)}</body></html>`;
    const t0 = performance.now();
    const outcome = await pool.extract({ html: deep, url: 'https://example.com/deep' }).then(
      () => 'ok',
      (e: PermanentError) => e.code,
    );
    expect(['ok', 'extract_timeout']).toContain(outcome);
    expect(performance.now() - t0).toBeLessThan(20_000);
    const ok = await pool.extract({ html: `<html><body><article>${BODY}</article></body></html>`, url: 'https://example.com/after' });
    expect(await until(() => ok.text.includes('Paragraph 1'), 100)).toBe(true);
  });
});

describe('the page budget starts when a worker takes the page', () => {
  // A 300 ms budget: shorter than a new thread needs to load jsdom (~0.5–1 s), ample for a small page once loaded.
  // Charged from submission, the page after a killed worker would always time out; charged from the start, it
  // times out only when the machine is so busy that a cold thread needs 300 ms for a one-paragraph page — so the
  // scenario gets three tries.
  const attempt = async (): Promise<{ ok: boolean; why?: string }> => {
    const pool = createExtractor({ threads: 1, timeoutMs: 300, maxDepth: 10_000_000, maxElements: 10_000_000 });
    try {
      // A first page loads jsdom in the thread (whether it fits the budget or not does not matter here).
      await pool.extract({ html: `<html><body><article>${BODY}</article></body></html>`, url: 'https://example.com/first' }).catch(() => undefined);
      const nested = `<html><body>${'<div>'.repeat(10_000)}<p>deep</p>${'</div>'.repeat(10_000)}</body></html>`;
      const err = await pool.extract({ html: nested, url: 'https://example.com/nested' }).catch((e: unknown) => e);
      expect((err as PermanentError).code).toBe('extract_timeout');
      // Its worker was terminated: this page waits for the replacement, then runs inside its own budget.
      const t0 = performance.now();
      const ok = await pool.extract({ html: '<html><body><article><p>Paragraph 3 of a short page.</p></article></body></html>', url: 'https://example.com/next' });
      expect(ok.text).toContain('Paragraph 3');
      expect(performance.now() - t0).toBeGreaterThan(300);
      return { ok: true };
    } catch (e) {
      return { ok: false, why: String((e as Error).message) };
    } finally {
      await pool.close();
    }
  };

  it('a page queued behind a replacement worker still loading jsdom is not charged for its start-up', async () => {
    const tries: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await attempt();
      if (r.ok) return;
      tries.push(r.why!);
    }
    expect.fail(`three tries failed: ${tries.join(' | ')}`);
  });
});
