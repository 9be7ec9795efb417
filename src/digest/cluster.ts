// Groups articles about the same story: syndicated wire copies and rewrites share most word shingles
// (MinHash estimate of Jaccard similarity), headlines about one event share most content words. Two articles are one
// story when either similarity reaches its threshold, and stories are the connected groups of that relation.
// Candidates come from indexes instead of all pairs, so the cost grows about linearly with the
// number of articles: MinHash bands (LSH) for bodies, a prefix-filtered word index for headlines (title-join.ts).
// The work is a generator that yields between articles, so the digest build can run in slices (slices.ts).
import { runSliced, runToEnd, type Steps } from './slices.js';
import { similarSetPairs } from './title-join.js';

export interface Clusterable {
  title: string;
  text: string;
}

export interface ClusterOptions {
  /** Estimated Jaccard of body shingles at or above which two articles are one story. */
  textThreshold?: number;
  /** Jaccard of headline content words at or above which two articles are one story. */
  titleThreshold?: number;
}

const NUM_HASHES = 64;
const SHINGLE = 4;
/** Only the beginning matters: wire copies diverge at the end (local additions, boilerplate). */
const MAX_WORDS = 400;

const STOP = new Set(
  ('a an and are as at be by for from has have in is it its of on or that the to was were will with after over ' +
    'says said new more than into about amid up out not but this what who how why when their they he she his her').split(' '),
);

const WORD_CHAR = /[\p{L}\p{N}]/u;
let bmpWordChar: Uint8Array | undefined;

/**
 * The runs of letters and digits of `s`, NFKC-normalised and lower-cased: the same as
 * `s.match(/[\p{L}\p{N}]+/gu)`, read with a per-character table instead (about 2× faster; tokenising bodies was
 * the largest single cost of a 10,000-article digest build).
 */
export function words(s: string): string[] {
  const table = (bmpWordChar ??= buildTable());
  const t = s.normalize('NFKC').toLowerCase();
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    let isWord: boolean;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < t.length) {
      // A surrogate pair: test the whole code point (astral letters, e.g. CJK extension B).
      isWord = WORD_CHAR.test(String.fromCodePoint(t.codePointAt(i)!));
      if (isWord) {
        if (start < 0) start = i;
        i++;
        continue;
      }
    } else isWord = table[c] === 1;
    if (isWord) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out.push(t.slice(start, i));
      start = -1;
    }
  }
  if (start >= 0) out.push(t.slice(start));
  return out;
}

function buildTable(): Uint8Array {
  const table = new Uint8Array(65536);
  for (let c = 0; c < 65536; c++) if (WORD_CHAR.test(String.fromCharCode(c))) table[c] = 1;
  return table;
}

/**
 * FNV-1a hashes (as `fnv1a(word) | 0`) of the first `max` words of `s` — the words `words()` reads — computed while
 * scanning, so no substring is built; only as much of a long text is normalised as that needs.
 */
export function firstWordHashes(s: string, max: number): Int32Array {
  if (s.length > max * 12) {
    const head = scanHashes(s.slice(0, max * 12).normalize('NFKC').toLowerCase(), max);
    // A word running into the slice's end may be cut: only a head whose max-th word ended inside it will do.
    if (head.complete) return head.hashes;
  }
  return scanHashes(s.normalize('NFKC').toLowerCase(), max).hashes;
}

function scanHashes(t: string, max: number): { hashes: Int32Array; complete: boolean } {
  const table = (bmpWordChar ??= buildTable());
  const out = new Int32Array(max);
  let n = 0;
  let h = 0;
  let inWord = false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < t.length;
    const isWord = pair ? WORD_CHAR.test(String.fromCodePoint(t.codePointAt(i)!)) : table[c] === 1;
    if (isWord) {
      if (!inWord) (inWord = true), (h = 0x811c9dc5);
      h = Math.imul(h ^ c, 0x01000193);
      if (pair) h = Math.imul(h ^ t.charCodeAt(++i), 0x01000193);
    } else if (inWord) {
      inWord = false;
      out[n++] = h | 0;
      if (n === max) return { hashes: out, complete: true };
    }
  }
  if (inWord) out[n++] = h | 0;
  return { hashes: out.subarray(0, n), complete: false };
}

function contentWords(title: string): Set<string> {
  return new Set(words(title).filter((w) => w.length > 1 && !STOP.has(w)));
}

/** 32-bit FNV-1a. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's 32-bit finaliser: spreads the bits of a combined shingle hash. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

// One-permutation MinHash (Li, Owen, Zhang, NIPS 2012): one hash per shingle; its top 6 bits pick one of 64 bins,
// the low 26 bits are the value, and each bin keeps its minimum. Two texts agree on a bin with probability about
// their Jaccard similarity, as with 64 independent hash functions, at a 64th of the cost. A bin no shingle fell into
// borrows the next filled bin's value (rotation densification, Shrivastava & Li, ICML 2014), offset by the distance so
// borrowed values never equal native ones: (2^26 − 1) + 63·2^26 still fits in 32 bits.
const BIN_SHIFT = 32 - Math.log2(NUM_HASHES);
const VALUE_MASK = (1 << BIN_SHIFT) - 1;
const EMPTY = 0xffffffff;

/** MinHash signature of the text's word shingles (undefined when the text is too short to say anything). */
export function minhash(text: string): Uint32Array | undefined {
  // A shingle's hash combines its words' hashes: each word is hashed once, no word or shingle string is built.
  const wh = firstWordHashes(text, MAX_WORDS);
  if (wh.length < SHINGLE + 4) return undefined;
  const sig = new Uint32Array(NUM_HASHES).fill(EMPTY);
  for (let i = 0; i + SHINGLE <= wh.length; i++) {
    let x = 0;
    for (let j = 0; j < SHINGLE; j++) x = Math.imul(x ^ wh[i + j], 0x01000193) + j;
    x = fmix32(x);
    const bin = x >>> BIN_SHIFT;
    const v = x & VALUE_MASK;
    if (v < sig[bin]) sig[bin] = v;
  }
  for (let k = 0; k < NUM_HASHES; k++) {
    if (sig[k] <= VALUE_MASK) continue;
    for (let t = 1; t < NUM_HASHES; t++) {
      const v = sig[(k + t) % NUM_HASHES];
      if (v <= VALUE_MASK) {
        sig[k] = v + t * (VALUE_MASK + 1);
        break;
      }
    }
  }
  return sig;
}

export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let k = 0; k < NUM_HASHES; k++) if (a[k] === b[k]) same++;
  return same / NUM_HASHES;
}

export function titleSimilarity(a: string, b: string): number {
  const x = contentWords(a);
  const y = contentWords(b);
  if (x.size < 2 || y.size < 2) return normTitle(a) === normTitle(b) && normTitle(a) !== '' ? 1 : 0;
  let inter = 0;
  for (const t of x) if (y.has(t)) inter++;
  return inter / (x.size + y.size - inter);
}

function normTitle(s: string): string {
  return words(s).join(' ');
}

// LSH banding of the 64-value signature: 32 bands of 2 rows. A pair with estimated Jaccard s shares some band with
// probability 1 − (1 − s²)³²: 0.9999 at the 0.5 threshold, 0.013 at s = 0.02 (unrelated copy sharing a
// boilerplate line), so almost every pair the all-pairs loop merged is still found and few others are checked.
const BANDS = 32;
const ROWS = NUM_HASHES / BANDS;
/**
 * Members a band bucket keeps for comparison. A bucket this full is one story told many times (distinct
 * signatures sharing a band); later members are still compared with the kept ones, which bounds the work per
 * article when thousands of near-copies arrive.
 */
const MAX_BUCKET = 64;

/**
 * The clustering as resumable steps: yields between articles, returns the stories as groups of item indexes, each
 * group in input order, groups ordered by their first item.
 */
export function* clusterSteps(items: readonly Clusterable[], opts: ClusterOptions = {}): Steps<number[][]> {
  const textT = opts.textThreshold ?? 0.5;
  const titleT = opts.titleThreshold ?? 0.6;
  const n = items.length;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r];
    while (parent[i] !== r) {
      const next = parent[i];
      parent[i] = r;
      i = next;
    }
    return r;
  };
  const union = (i: number, j: number): void => {
    const a = find(i);
    const b = find(j);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  };
  const joined = (i: number, j: number): boolean => find(i) === find(j);

  // Bodies. Identical signatures are one story at once; the rest meet in band buckets and are verified.
  const sigs: (Uint32Array | undefined)[] = [];
  const bySignature = new Map<number, number>();
  const bands = Array.from({ length: BANDS }, () => new Map<number, number[]>());
  for (let i = 0; i < n; i++) {
    const sig = minhash(items[i].text);
    sigs.push(sig);
    if (sig) {
      const key = signatureKey(sig);
      const twin = bySignature.get(key);
      if (twin !== undefined && estimateJaccard(sig, sigs[twin]!) === 1) union(twin, i);
      else {
        if (twin === undefined) bySignature.set(key, i);
        for (let b = 0; b < BANDS; b++) {
          // The band's two values hashed to a small integer key (fast Map lookups); a collision only adds a
          // candidate, which is verified below.
          const key2 = (Math.imul(sig[b * ROWS], 0x9e3779b1) ^ sig[b * ROWS + 1]) & 0x3fffffff;
          const bucket = bands[b].get(key2);
          if (!bucket) {
            bands[b].set(key2, [i]);
            continue;
          }
          for (const j of bucket) if (!joined(i, j) && estimateJaccard(sig, sigs[j]!) >= textT) union(i, j);
          if (bucket.length < MAX_BUCKET) bucket.push(i);
        }
      }
    }
    yield;
  }

  // Headlines. Equal non-empty word sequences are one story (titleSimilarity's rule for one-word headlines, and
  // Jaccard 1 otherwise); headlines of two or more content words are joined on their Jaccard.
  const byTitle = new Map<string, number>();
  const sets: (string[] | undefined)[] = [];
  for (let i = 0; i < n; i++) {
    const norm = normTitle(items[i].title);
    if (norm !== '') {
      const first = byTitle.get(norm);
      if (first === undefined) byTitle.set(norm, i);
      else union(first, i);
    }
    const cw = contentWords(items[i].title);
    sets.push(cw.size >= 2 ? [...cw] : undefined);
    if (i % 64 === 63) yield;
  }
  yield* similarSetPairs(sets, titleT, union, joined);

  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(i);
    else groups.set(r, [i]);
  }
  return [...groups.values()];
}

/** A number naming a signature (53 bits of two hashes of it); equal signatures have equal keys. */
function signatureKey(sig: Uint32Array): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x2545f491;
  for (let k = 0; k < NUM_HASHES; k++) {
    h1 = Math.imul(h1 ^ sig[k], 0x01000193);
    h2 = Math.imul(h2 ^ sig[k], 0x5bd1e995);
  }
  return (fmix32(h1) * 0x200000) + (fmix32(h2) & 0x1fffff);
}

/** Partition item indexes into stories, in one go. Each group lists indexes in input order. */
export function cluster(items: readonly Clusterable[], opts: ClusterOptions = {}): number[][] {
  return runToEnd(clusterSteps(items, opts));
}

/** The same partition as cluster(), computed in slices that give the event loop back (see slices.ts). */
export function clusterSliced(items: readonly Clusterable[], opts: ClusterOptions = {}, sliceMs?: number): Promise<number[][]> {
  return runSliced(clusterSteps(items, opts), sliceMs);
}
