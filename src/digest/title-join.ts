// Exact similarity self-join of small token sets (headline content words) without comparing all pairs: prefix and
// positional filtering (Bayardo et al., "Scaling up all pairs similarity search", WWW 2007; Xiao et al., PPJoin,
// WWW 2008). Tokens are ordered rarest first; two sets with Jaccard ≥ t share a token within their first
// |x| − ⌈t·|x|⌉ + 1 tokens, so only those are indexed and only sets meeting in the index are compared, and a pair
// whose remaining tokens cannot reach the overlap t needs is dropped unverified. Finds exactly the pairs an all-pairs
// loop finds.
import type { Steps } from './slices.js';

/** Positions kept in a posting (a headline of more words still works: a smaller position only weakens a filter). */
const POS = 2 ** 20;
/** Room for first-appearance numbers in a token's order key (frequency · ORDER + number; exact below 2^53). */
const ORDER = 2 ** 26;
/** Rounding slack: every filter errs towards verifying; the final test is the exact expression. */
const EPS = 1e-9;

/**
 * Calls `onPair(i, j)` (j < i) for every pair of sets whose Jaccard similarity |x∩y| / |x∪y| is ≥ `threshold`
 * (0 < threshold ≤ 1), except pairs for which `skip(i, j)` says the answer no longer matters (already one story).
 * Each set lists distinct tokens; `undefined` sets take no part. Yields once per set.
 */
export function* similarSetPairs(
  sets: readonly (readonly string[] | undefined)[],
  threshold: number,
  onPair: (i: number, j: number) => void,
  skip: (i: number, j: number) => boolean = () => false,
): Steps<void> {
  // Global token order: rarest first, ties by first appearance. A number per token, so no sort of the vocabulary
  // (one long step the event loop would wait for) and each set sorts numbers.
  const freq = new Map<string, number>();
  const first = new Map<string, number>();
  for (let i = 0; i < sets.length; i++) {
    const s = sets[i];
    if (s) for (const t of s) {
      freq.set(t, (freq.get(t) ?? 0) + 1);
      if (!first.has(t)) first.set(t, first.size);
    }
    if (i % 256 === 255) yield;
  }
  const ordered: (Float64Array | undefined)[] = [];
  for (let i = 0; i < sets.length; i++) {
    const s = sets[i];
    ordered.push(s ? Float64Array.from(s, (t) => freq.get(t)! * ORDER + first.get(t)!).sort() : undefined);
    if (i % 256 === 255) yield;
  }
  // token key → postings j·POS + position of the token in set j.
  const index = new Map<number, number[]>();
  // Which i last met candidate j: a pair is judged once, at its first common token.
  const metBy = new Int32Array(sets.length).fill(-1);
  for (let i = 0; i < ordered.length; i++) {
    const x = ordered[i];
    if (!x) continue;
    const lx = x.length;
    const prefix = lx - Math.ceil(threshold * lx - EPS) + 1;
    for (let p = 0; p < prefix && p < lx; p++) {
      let posting = index.get(x[p]);
      if (!posting) index.set(x[p], (posting = []));
      for (const packed of posting) {
        const j = Math.floor(packed / POS);
        if (metBy[j] === i) continue;
        metBy[j] = i;
        const y = ordered[j]!;
        const ly = y.length;
        if (Math.min(lx, ly) < threshold * Math.max(lx, ly) - EPS) continue;
        // Meeting first at (p, q) means nothing before p in x or q in y is common (tokens are in one global order
        // and every earlier common token would be in both prefixes), so the overlap is at most 1 + what remains.
        const q = packed % POS;
        const need = Math.ceil((threshold / (1 + threshold)) * (lx + ly) - EPS);
        if (1 + Math.min(lx - p - 1, ly - q - 1) < need) continue;
        if (skip(i, j)) continue;
        let inter = 0;
        for (let a = p, b = q; a < lx && b < ly; ) {
          if (x[a] === y[b]) (inter++, a++, b++);
          else if (x[a] < y[b]) a++;
          else b++;
        }
        // The same expression as titleSimilarity, so the threshold decides identically.
        if (inter / (lx + ly - inter) >= threshold) onPair(i, j);
      }
      posting.push(i * POS + Math.min(p, POS - 1));
    }
    yield;
  }
}
