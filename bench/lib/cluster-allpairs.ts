// The clustering wirewatch shipped before issue 11, kept verbatim for the benchmark's and the tests' "before" figure
// only: every pair compared (union-find), O(n²). Not used by the service.
import { estimateJaccard, minhash, titleSimilarity, type Clusterable, type ClusterOptions } from '../../src/digest/cluster.js';

/** Partition item indexes into stories, comparing all pairs. Each group lists indexes in input order. */
export function clusterAllPairs(items: Clusterable[], opts: ClusterOptions = {}): number[][] {
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
