// Tokeniser and normaliser shared by rule compilation and classification, so a term and the text it should match
// are cut and folded the same way. Pure; no locale tables beyond the few characters named below.
//
// A token is a run of letters, digits and combining marks. Inside a word an apostrophe (' ’ ʼ `) is kept
// (Ukrainian об'єкт, English O'Brien) except that French elision (l'OTAN, d'Ukraine) and the English
// possessive (Russia's) are cut off. Digits joined by "." or "," stay one token ("7.62"). Hyphens split
// ("NATO-Gipfel" → nato, gipfel). The key of a token is its lower-cased, accent-folded form, with ё → е and
// ґ → г, so Cyrillic and Latin are normalised the same way; `raw` keeps the exact case for case-exact terms.

/** Tokens of one text, as parallel arrays (cheap to build, cheap to scan). */
export interface Tokens {
  text: string;
  /** Number of tokens (the arrays may be longer when a buffer is reused: read only below n). */
  n: number;
  /** UTF-16 offsets into text, [start, end). */
  start: number[];
  end: number[];
  /** Folded key: lower case, no accents, ё → е, apostrophes as "'". */
  key: string[];
  /** Sentence number (0-based) of each token. */
  sent: number[];
}

/** Exact form of token j with apostrophes normalised (for case-exact terms); computed on demand. */
export function rawAt(t: Tokens, j: number): string {
  const r = normApostrophes(t.text.slice(t.start[j], t.end[j]));
  return isDigit(r.charCodeAt(0)) && r.includes(',') ? r.replace(/(\d),(?=\d)/g, '$1.') : r;
}

/** 1 if a folded key is Cyrillic, else 0 (Latin or other): chooses which stemmers apply to it. */
export function scriptOf(key: string): number {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c >= 0x400 && c <= 0x52f) return 1;
  }
  return 0;
}

const ELISION = new Set(['l', 'd', 'j', 'm', 'n', 's', 't', 'c', 'qu', 'jusqu', 'lorsqu', 'puisqu']);
const OTHER_WORD = /[\p{L}\p{N}\p{M}]/u;

const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_WORD[c] = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) ? 1 : 0;

function isWordCode(c: number): boolean {
  if (c < 0x80) return ASCII_WORD[c] === 1;
  if (c >= 0xc0 && c <= 0x24f) return c !== 0xd7 && c !== 0xf7;
  if (c >= 0x300 && c <= 0x52f) return true; // combining marks, Greek, Cyrillic
  if (c >= 0x1e00 && c <= 0x1eff) return true;
  if (c < 0xc0) return c === 0xaa || c === 0xb5 || c === 0xba;
  if (c >= 0x2000 && c <= 0x2bff) return false; // punctuation, symbols
  return OTHER_WORD.test(String.fromCharCode(c));
}

function isApostrophe(c: number): boolean {
  return c === 0x27 || c === 0x2019 || c === 0x2bc || c === 0x60;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Sentence-ending punctuation (the next token starts a new sentence when whitespace follows). */
function isSentenceEnd(c: number): boolean {
  return c === 0x2e || c === 0x21 || c === 0x3f || c === 0x2026 || c === 0x3b;
}

const foldCache = new Map<number, string>();

function foldChar(c: number): string {
  let f = foldCache.get(c);
  if (f !== undefined) return f;
  const ch = String.fromCharCode(c).toLowerCase();
  if (c === 0x451 || c === 0x401) f = 'е';
  else if (c === 0x491 || c === 0x490) f = 'г';
  else if (isApostrophe(c)) f = "'";
  else if (c === 0xdf) f = 'ss';
  else if (c >= 0x300 && c <= 0x36f) f = ''; // stray combining mark
  else if (c < 0x400 || (c >= 0x1e00 && c <= 0x1eff)) f = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  else if (c >= 0x400 && c <= 0x52f) {
    // Cyrillic: keep й ї (they are letters of their own), only lower-case.
    f = ch;
  } else f = ch;
  foldCache.set(c, f);
  return f;
}

/** Lower-case, accent-fold, ё → е, ґ → г, apostrophes → "'". */
export function fold(s: string): string {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 || c === 0x60) {
      ascii = false;
      break;
    }
  }
  if (ascii) return s.toLowerCase();
  // Plain Cyrillic (no ё, ґ) and ASCII letters: lower-casing is all the folding there is.
  let simple = true;
  for (let i = 0; i < s.length && simple; i++) {
    const c = s.charCodeAt(i);
    simple = (c < 0x80 && c !== 0x27 && c !== 0x60) || (c >= 0x410 && c <= 0x44f) || c === 0x454 || c === 0x456 || c === 0x457 || c === 0x404 || c === 0x406 || c === 0x407;
  }
  if (simple) return s.toLowerCase();
  // Decomposed input (и + U+0306): compose first so й stays й and é folds like é.
  if (/[\u0300-\u036f]/.test(s)) s = s.normalize('NFC');
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c < 0x80 && c !== 0x60 ? (c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 32) : s[i]) : foldChar(c);
  }
  return out;
}

function normApostrophes(s: string): string {
  return s.replace(/[’ʼ`]/g, "'");
}

export function emptyTokens(): Tokens {
  return { text: '', n: 0, start: [], end: [], key: [], sent: [] };
}

/** Split text into tokens; with `into`, reuse that buffer's arrays (fewer allocations on the hot path). */
export function tokenize(text: string, into?: Tokens): Tokens {
  const t: Tokens = into ?? emptyTokens();
  t.text = text;
  let n = 0;
  const len = text.length;
  let i = 0;
  let sent = 0;
  let pendingBreak = false;
  while (i < len) {
    let c = text.charCodeAt(i);
    if (!isWordCode(c)) {
      if (isSentenceEnd(c)) pendingBreak = true;
      else if (c === 0x0a) pendingBreak = true;
      i++;
      continue;
    }
    const s = i;
    let hasApos = false;
    let cyr = 0;
    // 0 = ASCII lower case and digits only (the key is the text itself), 1 = ASCII with capitals, 2 = other.
    let kind = 0;
    for (;;) {
      if (c >= 0x80) {
        kind = 2;
        if (c >= 0x400 && c <= 0x52f) cyr = 1;
      } else if (c <= 0x5a && c >= 0x41 && kind === 0) kind = 1;
      i++;
      if (i >= len) break;
      c = text.charCodeAt(i);
      if (isWordCode(c)) continue;
      if (i + 1 < len && isApostrophe(c) && isWordCode(text.charCodeAt(i + 1)) && !isDigit(text.charCodeAt(i - 1))) {
        hasApos = true;
        continue;
      }
      if ((c === 0x2e || c === 0x2c) && i + 1 < len && isDigit(text.charCodeAt(i - 1)) && isDigit(text.charCodeAt(i + 1))) {
        continue;
      }
      break;
    }
    if (pendingBreak && n > 0) sent++;
    pendingBreak = false;
    let ts = s;
    let te = i;
    if (hasApos && !cyr) {
      // French elision: cut the article/pronoun; English possessive: cut "'s".
      const seg = normApostrophes(text.slice(s, i));
      const first = seg.indexOf("'");
      const last = seg.lastIndexOf("'");
      if (ELISION.has(seg.slice(0, first).toLowerCase())) ts = s + first + 1;
      if (seg.slice(last + 1).toLowerCase() === 's' && s + last > ts) te = s + last;
    }
    let raw = hasApos ? normApostrophes(text.slice(ts, te)) : text.slice(ts, te);
    // Decimal comma (7,62) and point (7.62) are the same number.
    if (isDigit(raw.charCodeAt(0)) && raw.includes(',')) raw = raw.replace(/(\d),(?=\d)/g, '$1.');
    t.start[n] = ts;
    t.end[n] = te;
    t.key[n] = kind === 0 && !hasApos ? raw : kind === 1 && !hasApos ? raw.toLowerCase() : fold(raw);
    t.sent[n] = sent;
    n++;
  }
  t.n = n;
  if (!into) {
    t.start.length = t.end.length = t.key.length = t.sent.length = n;
  }
  return t;
}
