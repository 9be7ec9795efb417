// decodeBytes / sniffHtmlCharset: legacy Cyrillic and Western charsets, UTF-16 with and without BOM, late <meta>.
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBytes, sniffHtmlCharset, sniffXmlEncoding } from '../../../src/charset/decode.js';

const RU = 'Председатель правительства заявил, что новые меры поддержки экономики вступят в силу с понедельника.';
const page = (body: string, head = ''): string => `<!doctype html><html><head>${head}<title>t</title></head><body><p>${body}</p></body></html>`;

describe('decodeBytes', () => {
  it('windows-1251 declared in <meta>', () => {
    const bytes = iconv.encode(page(RU, '<meta charset="windows-1251">'), 'windows-1251');
    const out = decodeBytes(bytes, { order: 'html', declaredCharset: sniffHtmlCharset(bytes) });
    expect(out).toMatchObject({ charset: 'windows-1251', source: 'declared' });
    expect(out.text).toContain(RU);
  });

  it('koi8-r from the HTTP header', () => {
    const bytes = iconv.encode(page(RU), 'koi8-r');
    const out = decodeBytes(bytes, { order: 'html', httpCharset: 'KOI8-R' });
    expect(out).toMatchObject({ charset: 'koi8-r', source: 'http' });
    expect(out.text).toContain(RU);
  });

  it.each(['windows-1251', 'koi8-r'])('guesses undeclared %s', (charset) => {
    const bytes = iconv.encode(page(RU.repeat(3)), charset);
    for (const order of ['html', 'feed'] as const) {
      const out = decodeBytes(bytes, { order });
      expect(out).toMatchObject({ charset, source: 'guess' });
      expect(out.text).toContain(RU);
    }
  });

  it('windows-1252 maps 0x80–0x9F to the right characters (not C1 controls)', () => {
    const bytes = Buffer.from([0x80, 0x20, 0x93, 0x71, 0x94, 0x20, 0x96, 0x20, 0x85, 0x20, 0x99, 0x20, 0x9c]);
    const out = decodeBytes(bytes, { order: 'html', httpCharset: 'windows-1252' });
    expect(out.text).toBe('€ “q” – … ™ œ');
  });

  it('treats iso-8859-1 as windows-1252 (WHATWG) and guesses Western text as windows-1252', () => {
    const bytes = iconv.encode(page('Caf\u00e9 cr\u00e8me \u2013 \u201cna\u00efve\u201d d\u00e9j\u00e0 vu'), 'windows-1252');
    expect(decodeBytes(bytes, { order: 'html', httpCharset: 'iso-8859-1' }).text).toContain('Café crème – “naïve” déjà vu');
    expect(decodeBytes(bytes, { order: 'html' })).toMatchObject({ charset: 'windows-1252', source: 'guess' });
  });

  it.each([
    ['utf-16le', [0xff, 0xfe]],
    ['utf-16be', [0xfe, 0xff]],
  ])('%s with BOM', (charset, bom) => {
    const bytes = Buffer.concat([Buffer.from(bom), iconv.encode(page(RU), charset)]);
    const out = decodeBytes(bytes, { order: 'html', httpCharset: 'windows-1252' });
    expect(out).toMatchObject({ charset, source: 'bom' });
    expect(out.text.startsWith('<!doctype')).toBe(true);
    expect(out.text).toContain(RU);
  });

  it.each(['utf-16le', 'utf-16be'])('%s without BOM', (charset) => {
    const bytes = iconv.encode(page('Hello — привет'), charset);
    for (const order of ['html', 'feed'] as const) {
      const out = decodeBytes(bytes, { order });
      expect(out.charset).toBe(charset);
      expect(out.text).toContain('Hello — привет');
    }
    expect(decodeBytes(bytes, { order: 'html', httpCharset: 'utf-16' }).charset).toBe(charset);
  });

  it('UTF-8 BOM wins over a wrong header', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(page(RU))]);
    expect(decodeBytes(bytes, { order: 'html', httpCharset: 'windows-1251' })).toMatchObject({ charset: 'utf-8', source: 'bom' });
  });

  it('undeclared valid UTF-8 is UTF-8, not windows-1252', () => {
    const bytes = Buffer.from(page('naïve — 東京 — привет'));
    expect(decodeBytes(bytes, { order: 'html' })).toMatchObject({ charset: 'utf-8', source: 'utf8' });
  });

  it('a stale legacy declaration loses to bytes that are valid multi-byte UTF-8', () => {
    const bytes = Buffer.from(page(RU, '<meta charset="windows-1251">'));
    const out = decodeBytes(bytes, { order: 'html', declaredCharset: sniffHtmlCharset(bytes) });
    expect(out.charset).toBe('utf-8');
    expect(out.text).toContain(RU);
  });

  it('feed order: valid UTF-8 beats the HTTP header; XML declaration used for legacy bytes', () => {
    const utf8 = Buffer.from(`<?xml version="1.0"?><rss><title>${RU}</title></rss>`);
    expect(decodeBytes(utf8, { order: 'feed', httpCharset: 'windows-1251' }).charset).toBe('utf-8');
    const koi = iconv.encode(`<?xml version="1.0" encoding="KOI8-R"?><rss><title>${RU}</title></rss>`, 'koi8-r');
    const out = decodeBytes(koi, { order: 'feed', declaredCharset: sniffXmlEncoding(koi) });
    expect(out).toMatchObject({ charset: 'koi8-r', source: 'declared' });
    expect(out.text).toContain(RU);
  });

  it('never throws on junk and unknown labels', () => {
    for (let i = 0; i < 50; i++) {
      const junk = Buffer.from(Array.from({ length: 200 + i * 7 }, (_, j) => (j * 131 + i * 17) % 256));
      expect(() => decodeBytes(junk, { order: i % 2 ? 'html' : 'feed', httpCharset: 'x-nonsense', declaredCharset: 'utf-7' })).not.toThrow();
    }
    expect(decodeBytes(new Uint8Array(0), { order: 'html' }).text).toBe('');
  });
});

describe('sniffHtmlCharset', () => {
  it('finds <meta charset> after the first 1024 bytes', () => {
    const html = `<!doctype html><html><head><!-- ${'x'.repeat(1500)} --><meta name="viewport" content="width=device-width"><meta charset="koi8-r"></head></html>`;
    expect(sniffHtmlCharset(Buffer.from(html))).toBe('koi8-r');
  });

  it('finds the http-equiv form and ignores charset in other content', () => {
    expect(sniffHtmlCharset(Buffer.from('<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'))).toBe('windows-1251');
    expect(sniffHtmlCharset(Buffer.from('<html><body>no meta</body></html>'))).toBeUndefined();
  });
});
