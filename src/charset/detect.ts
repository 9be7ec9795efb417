// Charset detection helpers: BOMs, BOM-less UTF-16/32, label normalisation, and the legacy single-byte guess.
import iconv from 'iconv-lite';

/** The byte-order mark at the start of `buf`, longest first (UTF-32LE's BOM begins with UTF-16LE's). */
export function detectBom(buf: Buffer): { charset: string; length: number } | undefined {
  if (buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xfe && buf[2] === 0 && buf[3] === 0) return { charset: 'utf-32le', length: 4 };
  if (buf.length >= 4 && buf[0] === 0 && buf[1] === 0 && buf[2] === 0xfe && buf[3] === 0xff) return { charset: 'utf-32be', length: 4 };
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { charset: 'utf-8', length: 3 };
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { charset: 'utf-16le', length: 2 };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { charset: 'utf-16be', length: 2 };
  return undefined;
}

/**
 * BOM-less UTF-16/32 by the zero-byte pattern of the first 512 bytes: markup and Latin text put a zero in every
 * other byte (UTF-16) or three of four (UTF-32); 8-bit encodings essentially never contain NUL.
 */
export function detectUtf16(buf: Buffer): string | undefined {
  const n = Math.min(buf.length, 512) & ~3;
  if (n < 4) return undefined;
  const zeros = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) if (buf[i] === 0) zeros[i & 3]++;
  const q = n / 4;
  if (zeros[1] > 0.7 * q && zeros[2] > 0.7 * q && zeros[3] > 0.7 * q && zeros[0] < 0.3 * q) return 'utf-32le';
  if (zeros[0] > 0.7 * q && zeros[1] > 0.7 * q && zeros[2] > 0.7 * q && zeros[3] < 0.3 * q) return 'utf-32be';
  const even = zeros[0] + zeros[2];
  const odd = zeros[1] + zeros[3];
  if (odd > 0.6 * (n / 2) && even < 0.1 * (n / 2)) return 'utf-16le';
  if (even > 0.6 * (n / 2) && odd < 0.1 * (n / 2)) return 'utf-16be';
  return undefined;
}

const ALIASES: Record<string, string> = {
  utf8: 'utf-8', 'unicode-1-1-utf-8': 'utf-8', 'x-unicode20utf8': 'utf-8',
  // WHATWG Encoding: these labels all mean windows-1252 on the web.
  'iso-8859-1': 'windows-1252', 'iso8859-1': 'windows-1252', latin1: 'windows-1252', 'l1': 'windows-1252',
  'us-ascii': 'windows-1252', ascii: 'windows-1252', 'ansi_x3.4-1968': 'windows-1252', cp1252: 'windows-1252',
  'x-cp1252': 'windows-1252', 'iso-8859-9': 'windows-1254', cp1251: 'windows-1251', 'x-cp1251': 'windows-1251',
  'koi8': 'koi8-r', 'koi': 'koi8-r', 'csKOI8R': 'koi8-r', 'koi8_r': 'koi8-r',
  utf16: 'utf-16', 'ucs-2': 'utf-16', utf32: 'utf-32',
  'x-sjis': 'shift_jis', sjis: 'shift_jis', 'ms932': 'shift_jis', 'windows-31j': 'shift_jis',
  'ks_c_5601-1987': 'euc-kr', 'x-euc-kr': 'euc-kr', gb2312: 'gbk', 'x-gbk': 'gbk',
};

/**
 * A canonical lower-case charset name iconv-lite can decode, or undefined for unknown labels.
 * A UTF-16/32 label on bytes that are not UTF-16/32 is taken as UTF-8 (WHATWG: a <meta> cannot really say utf-16).
 */
export function normaliseCharset(label: string | undefined, buf?: Buffer): string | undefined {
  if (!label) return undefined;
  let name = label.trim().replace(/^["']|["']$/g, '').toLowerCase();
  name = ALIASES[name] ?? name;
  if (/^utf-?(16|32)/.test(name) && buf) {
    const seen = detectUtf16(buf);
    // No BOM and no zero-byte pattern: the bytes are ASCII-compatible, so the label is wrong.
    if (!seen) return 'utf-8';
    // A label without endianness ("utf-16") takes the byte order the bytes show.
    if (!/(le|be)$/.test(name)) return seen;
  }
  if (name === 'x-user-defined' || name === 'replacement') return undefined;
  return iconv.encodingExists(name) ? name : undefined;
}

const RU_COMMON = 'оеаинтсрвлкмдпуяыь';

/**
 * Guess a legacy single-byte charset: windows-1251 vs koi8-r for Cyrillic, else windows-1252.
 * Cyrillic text is words made only of high bytes; Western text has high bytes inside ASCII words. Between the two
 * Cyrillic tables, the one whose decoding yields more of Russian's most frequent (lower-case) letters wins.
 */
export function guessLegacy(buf: Buffer): string {
  const sample = buf.subarray(0, 65536);
  let pureHigh = 0;
  let mixed = 0;
  let i = 0;
  while (i < sample.length) {
    const b = sample[i];
    if (isLetterByte(b)) {
      let high = 0;
      let low = 0;
      while (i < sample.length && isLetterByte(sample[i])) {
        if (sample[i] >= 0xc0) high++;
        else if (sample[i] < 0x80) low++;
        i++;
      }
      if (high >= 2 && low === 0) pureHigh++;
      else if (high > 0) mixed++;
    } else i++;
  }
  if (pureHigh === 0 || pureHigh < mixed) return 'windows-1252';
  const score = (charset: string): number => {
    const text = iconv.decode(sample, charset);
    let s = 0;
    for (const ch of text) if (RU_COMMON.includes(ch)) s++;
    return s;
  };
  return score('koi8-r') > score('windows-1251') ? 'koi8-r' : 'windows-1251';
}

function isLetterByte(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b >= 0xc0 || b === 0xa8 || b === 0xb8 || b === 0xa3 || b === 0xb3;
}
