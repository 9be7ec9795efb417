// Table-driven over tests/fixtures/pages: raw bytes → decodeBytes → extractArticle, compared with <name>.expected.json.
// The pages come from the extraction benchmark (see each expected.json's "source").
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBytes, sniffHtmlCharset } from '../../../src/charset/decode.js';
import { extractArticle } from '../../../src/extract/extract.js';
import { ROOT } from '../../../src/paths.js';

const DIR = path.join(ROOT, 'tests', 'fixtures', 'pages');

interface Expected {
  url: string;
  charset: string;
  title: string;
  lang: string | null;
  byline: string | null;
  published: string | null;
  canonicalUrl: string;
  via: string;
  textPrefix: string;
  minTextLength: number;
}

const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.html'))
  .map((f) => f.replace(/\.html$/, ''));

describe('extractArticle on captured pages', () => {
  it('has fixtures', () => expect(cases.length).toBeGreaterThanOrEqual(3));

  it.each(cases)('%s', (name) => {
    const bytes = readFileSync(path.join(DIR, `${name}.html`));
    const want = JSON.parse(readFileSync(path.join(DIR, `${name}.expected.json`), 'utf8')) as Expected;
    const decoded = decodeBytes(bytes, { order: 'html', declaredCharset: sniffHtmlCharset(bytes) });
    expect(decoded.charset).toBe(want.charset);
    const a = extractArticle(decoded.text, want.url);
    expect(a.url).toBe(want.url);
    expect(a.title).toBe(want.title);
    expect(a.lang ?? null).toBe(want.lang);
    expect(a.byline ?? null).toBe(want.byline);
    expect(a.published ?? null).toBe(want.published);
    expect(a.canonicalUrl).toBe(want.canonicalUrl);
    expect(a.via).toBe(want.via);
    expect(a.text.startsWith(want.textPrefix)).toBe(true);
    expect(a.text.length).toBeGreaterThanOrEqual(want.minTextLength);
    expect(a.text).toContain('\n\n');
    expect(a.text).not.toMatch(/\n{3,}/);
    expect(a.html).toBeTruthy();
  });
});
