// Byte → text decoding for HTML pages and feeds: BOM, HTTP charset, in-document declaration, UTF-8 validity, guess.
// iconv-lite does every legacy charset: Node 20's TextDecoder('windows-1252') maps 0x80–0x9F wrongly.
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { detectBom, detectUtf16, guessLegacy, normaliseCharset } from './detect.js';
import { charsetOf } from './content-type.js';
import { ebcdicHead, looksLikeEbcdicXml } from './ebcdic.js';

export type CharsetSource = 'bom' | 'http' | 'declared' | 'utf8' | 'guess';

export interface DecodeHints {
  /** charset parameter of the HTTP Content-Type header. */
  httpCharset?: string;
  /** Charset declared by the document itself (<meta charset>, XML declaration). */
  declaredCharset?: string;
  /** 'html': BOM, HTTP, declared, valid UTF-8, guess. 'feed': BOM, valid UTF-8, HTTP, declared, guess. */
  order: 'html' | 'feed';
}

export interface Decoded {
  text: string;
  charset: string;
  source: CharsetSource;
}

/**
 * Decode `bytes` to text. Never throws: unknown labels are ignored, undecodable bytes become U+FFFD.
 * One deliberate refinement of the orders above: a declared or HTTP single-byte legacy charset (windows-125x,
 * iso-8859-x, koi8-*) loses to UTF-8 when the bytes are valid UTF-8 *and* contain multi-byte sequences — legacy text
 * with high bytes is practically never valid UTF-8, while re-saved pages keep stale declarations.
 */
export function decodeBytes(bytes: Uint8Array, hints: DecodeHints): Decoded {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bom = detectBom(buf);
  if (bom) return { text: iconv.decode(buf.subarray(bom.length), bom.charset, { stripBOM: true }), charset: bom.charset, source: 'bom' };

  const utf16 = detectUtf16(buf);
  const http = normaliseCharset(hints.httpCharset, buf);
  const declared = normaliseCharset(hints.declaredCharset, buf);
  const utf8 = isUtf8(buf);
  const hasHigh = utf8 && hasNonAscii(buf);

  const pick = (charset: string, source: CharsetSource): Decoded => ({ text: iconv.decode(buf, charset), charset, source });
  const trustLabel = (charset: string | undefined): boolean =>
    charset !== undefined && !(isSingleByte(charset) && hasHigh) && !(charset !== 'utf-8' && utf16 === undefined && isWide(charset));

  if (hints.order === 'html') {
    if (trustLabel(http)) return pick(http!, 'http');
    if (trustLabel(declared)) return pick(declared!, 'declared');
    if (utf16) return pick(utf16, 'guess');
    if (utf8) return pick('utf-8', 'utf8');
  } else {
    if (utf16) return pick(utf16, 'guess');
    if (utf8) return pick('utf-8', 'utf8');
    if (http && !isWide(http)) return pick(http, 'http');
    if (declared && !isWide(declared)) return pick(declared, 'declared');
  }
  if (http && http !== 'utf-8' && !isWide(http)) return pick(http, 'http');
  if (declared && declared !== 'utf-8' && !isWide(declared)) return pick(declared, 'declared');
  return pick(guessLegacy(buf), 'guess');
}

/**
 * Decode an HTML page: the charset of its Content-Type header, then its own <meta> declaration, then the bytes
 * (decodeBytes' 'html' order). The one way every caller turns fetched or stored page bytes into text.
 */
export function decodeHtmlPage(bytes: Uint8Array, contentType?: string): string {
  return decodeBytes(bytes, { order: 'html', httpCharset: charsetOf(contentType), declaredCharset: sniffHtmlCharset(bytes) }).text;
}

/**
 * The charset an HTML document declares in its first ~4 KB (<meta charset>, or http-equiv Content-Type), per the
 * spirit of the WHATWG prescan; later than 1024 bytes is accepted because real pages put it there.
 */
export function sniffHtmlCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096)).toString('latin1');
  const clean = head.replace(/<!--[\s\S]*?-->/g, '');
  for (const m of clean.matchAll(/<meta\b[^>]*>/gi)) {
    const tag = m[0];
    const direct = /\bcharset\s*=\s*["']?\s*([a-zA-Z0-9_:.+-]+)/i.exec(tag);
    if (direct && !/\bcontent\s*=/i.test(tag.slice(0, direct.index))) return direct[1].toLowerCase();
    if (/http-equiv\s*=\s*["']?content-type/i.test(tag)) {
      const inContent = /content\s*=\s*["'][^"']*charset\s*=\s*([a-zA-Z0-9_:.+-]+)/i.exec(tag);
      if (inContent) return inContent[1].toLowerCase();
    }
    if (direct) return direct[1].toLowerCase();
  }
  return undefined;
}

/**
 * The encoding named by an XML declaration (`<?xml version="1.0" encoding="koi8-r"?>`), read from the first bytes
 * as ASCII-compatible text, as UTF-16/32 (every other byte zero) or as EBCDIC. Undefined when there is no
 * declaration or it names no encoding.
 */
export function sniffXmlEncoding(bytes: Uint8Array): string | undefined {
  const n = Math.min(bytes.byteLength, 1024);
  let head = '';
  if (looksLikeEbcdicXml(bytes)) {
    head = ebcdicHead(bytes);
  } else {
    // For UTF-16/32 without a BOM, skipping the zero bytes leaves the ASCII of the declaration.
    for (let i = 0; i < n; i++) if (bytes[i] !== 0) head += String.fromCharCode(bytes[i]);
  }
  head = head.replace(/^[\u00ef\u00bb\u00bf\u00fe\u00ff]+/, '');
  const m = /^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']\s*([A-Za-z0-9._:+-]+)\s*["']/.exec(head);
  return m ? m[1].toLowerCase() : undefined;
}

function hasNonAscii(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) if (buf[i] >= 0x80) return true;
  return false;
}

function isSingleByte(charset: string): boolean {
  return /^(windows-125\d|iso-8859-\d+|koi8-[ru]|ibm8\d\d|cp8\d\d|macintosh|x-mac-cyrillic)$/.test(charset);
}

function isWide(charset: string): boolean {
  return /^utf-(16|32)/.test(charset);
}
