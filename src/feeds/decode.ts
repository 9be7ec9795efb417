// Feed bytes → text: the XML declaration is sniffed here, the decision (BOM, valid UTF-8, HTTP charset, declaration,
// legacy guess) is charset/decode's. No JS feed parser gets charsets right on its own (data README: 2–3 of 11).
import { decodeBytes, type CharsetSource } from '../charset/decode.js';
import { ebcdicHead, looksLikeEbcdicXml, registerEbcdic } from '../charset/ebcdic.js';

registerEbcdic();

/** The charset parameter of a Content-Type header value (quotes stripped), if any. */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const m = /;\s*charset\s*=\s*("([^"]*)"|'([^']*)'|[^;\s]+)/i.exec(contentType);
  if (!m) return undefined;
  const v = (m[2] ?? m[3] ?? m[1]).replace(/^["']|["']$/g, '').trim();
  return v || undefined;
}

/**
 * The encoding named by the XML declaration, read from the first bytes as ASCII-compatible text or as UTF-16/32
 * (every other byte zero). Undefined when there is no declaration or it names no encoding.
 */
export function sniffXmlDeclaration(bytes: Uint8Array): string | undefined {
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

export interface DecodedFeed {
  text: string;
  charset: string;
  source: CharsetSource;
}

/** Decode a feed body. Never throws; undecodable bytes become U+FFFD. */
export function decodeFeedBytes(bytes: Uint8Array, contentType?: string): DecodedFeed {
  const decoded = decodeBytes(bytes, {
    httpCharset: charsetFromContentType(contentType),
    declaredCharset: sniffXmlDeclaration(bytes),
    order: 'feed',
  });
  return { text: decoded.text.replace(/^\ufeff/, ''), charset: decoded.charset, source: decoded.source };
}
