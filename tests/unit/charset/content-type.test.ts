// The one Content-Type reader: media type and charset, quoted or not, wherever the parameter sits.
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { charsetOf, mediaType, parseContentType } from '../../../src/charset/content-type.js';
import { decodeHtmlPage, sniffXmlEncoding } from '../../../src/charset/decode.js';

describe('parseContentType', () => {
  it.each([
    ['text/html; charset=utf-8', 'text/html', 'utf-8'],
    ['Text/HTML;charset="windows-1251"', 'text/html', 'windows-1251'],
    ["text/html; charset='koi8-r'", 'text/html', 'koi8-r'],
    ['application/rss+xml; foo="a;charset=x"; charset=iso-8859-1', 'application/rss+xml', 'iso-8859-1'],
    ['text/xml; CHARSET = "utf\\-8" ', 'text/xml', 'utf-8'],
    ['text/html; charset=utf-8 trailing', 'text/html', 'utf-8'],
    ['text/html; charset=', 'text/html', undefined],
    ['text/html; charset=""', 'text/html', undefined],
    ['text/html', 'text/html', undefined],
    ['', undefined, undefined],
    [undefined, undefined, undefined],
  ])('%j → %j, %j', (value, media, charset) => {
    expect(parseContentType(value)).toEqual({ ...(media ? { mediaType: media } : {}), ...(charset ? { charset } : {}) });
    expect(mediaType(value)).toBe(media);
    expect(charsetOf(value)).toBe(charset);
  });

  it('never throws on arbitrary text', () => {
    for (const s of ['";;;', 'charset=', '; charset="unterminated', "a/b; charset='", '\u0000;\u0000=\u0000']) expect(() => parseContentType(s)).not.toThrow();
    expect(charsetOf('text/html; charset="unterminated')).toBe('unterminated');
  });
});

describe('decodeHtmlPage', () => {
  const cyr = iconv.encode('<p>Привет, мир</p>', 'windows-1251');

  it('reads a quoted charset in the header, double or single quotes', () => {
    expect(decodeHtmlPage(cyr, 'text/html; charset="windows-1251"')).toBe('<p>Привет, мир</p>');
    expect(decodeHtmlPage(cyr, "text/html; charset='windows-1251'")).toBe('<p>Привет, мир</p>');
  });

  it('falls back to the page declaration when the header names none', () => {
    const page = Buffer.concat([Buffer.from('<meta charset="windows-1251">'), cyr]);
    expect(decodeHtmlPage(page, 'text/html')).toContain('Привет, мир');
    expect(decodeHtmlPage(page)).toContain('Привет, мир');
  });
});

describe('sniffXmlEncoding', () => {
  it('reads the declaration in ASCII, in UTF-16 without a BOM, and after a BOM', () => {
    expect(sniffXmlEncoding(Buffer.from('<?xml version="1.0" encoding="KOI8-R"?><rss/>'))).toBe('koi8-r');
    expect(sniffXmlEncoding(iconv.encode('<?xml version="1.0" encoding="utf-16"?><rss/>', 'utf-16le'))).toBe('utf-16');
    expect(sniffXmlEncoding(Buffer.from('\ufeff<?xml version="1.0" encoding="utf-8"?>'))).toBe('utf-8');
    expect(sniffXmlEncoding(Buffer.from('<rss/>'))).toBeUndefined();
  });
});
