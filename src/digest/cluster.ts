// Groups articles about the same story: syndicated wire copies and rewrites share most word shingles
// (MinHash estimate of Jaccard similarity), headlines about one event share most content words.
// Union-find over all pairs: digests hold hundreds of articles per topic, so O(n²) compares are cheap.

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

export function words(s: string): string[] {
  return s.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function contentWords(title: string): Set<string> {
  return new Set(words(title).filter((w) => w.length > 1 && !STOP.has(w)));
}

/** 32-bit FNV-1a. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// Fixed, deterministic hash family: h_i(x) = (a_i * x + b_i) mod 2^32 with odd a_i.
const A: number[] = [];
const B: number[] = [];
{
  let seed = 0x9e3779b9;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  for (let i = 0; i < NUM_HASHES; i++) {
    A.push(next() | 1);
    B.push(next());
  }
}

/** MinHash signature of the text's word shingles (undefined when the text is too short to say anything). */
export function minhash(text: string): Uint32Array | undefined {
  const w = words(text).slice(0, MAX_WORDS);
  if (w.length < SHINGLE + 4) return undefined;
  const sig = new Uint32Array(NUM_HASHES).fill(0xffffffff);
  for (let i = 0; i + SHINGLE <= w.length; i++) {
    const x = fnv1a(w.slice(i, i + SHINGLE).join(' '));
    for (let k = 0; k < NUM_HASHES; k++) {
      const h = (Math.imul(A[k], x) + B[k]) >>> 0;
      if (h < sig[k]) sig[k] = h;
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

/** Partition item indexes into stories. Each group lists indexes in input order. */
export function cluster(items: Clusterable[], opts: ClusterOptions = {}): number[][] {
  const textT = opts.textThreshold ?? 0.5;
  const titleT = opts.titleThreshold ?? 0.6;
  const sigs = items.map((i) => minhash(i.text));
  const parent = items.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      if (find(i) === find(j)) continue;
      const si = sigs[i];
      const sj = sigs[j];
      const same =
        (si && sj && estimateJaccard(si, sj) >= textT) || titleSimilarity(items[i].title, items[j].title) >= titleT;
      if (same) parent[find(j)] = find(i);
    }
  }
  const groups = new Map<number, number[]>();
  items.forEach((_, i) => {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(i);
    else groups.set(r, [i]);
  });
  return [...groups.values()];
}
