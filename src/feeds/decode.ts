// Feed bytes → text, in the feed order (BOM, valid UTF-8, HTTP charset, XML declaration, legacy guess): the
// decision is charset/decode's. No JS feed parser gets charsets right on its own (data README: 2–3 of 11).
import { decodeBytes, sniffXmlEncoding, type CharsetSource } from '../charset/decode.js';
import { charsetOf } from '../charset/content-type.js';
import { registerEbcdic } from '../charset/ebcdic.js';

// EBCDIC feeds exist (IBM mainframe sites); iconv-lite learns those code pages once, before the first decode.
registerEbcdic();

export interface DecodedFeed {
  text: string;
  charset: string;
  source: CharsetSource;
}

/** Decode a feed body. Never throws; undecodable bytes become U+FFFD. */
export function decodeFeedBytes(bytes: Uint8Array, contentType?: string): DecodedFeed {
  const decoded = decodeBytes(bytes, {
    httpCharset: charsetOf(contentType),
    declaredCharset: sniffXmlEncoding(bytes),
    order: 'feed',
  });
  return { text: decoded.text.replace(/^\ufeff/, ''), charset: decoded.charset, source: decoded.source };
}
