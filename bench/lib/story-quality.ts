// Pairwise cluster F1: over all pairs of articles, precision = share of pairs put in one story that are labelled one
// story, recall = share of labelled same-story pairs put in one story; F1 their harmonic mean. Counted per group, so
// it is linear in the number of articles.
export interface PairScore {
  precision: number;
  recall: number;
  f1: number;
}

/** `groups` are the predicted stories (indexes into `labels`); `labels[i]` is article i's true story. */
export function pairwiseF1(groups: number[][], labels: readonly string[]): PairScore {
  const pairs = (k: number) => (k * (k - 1)) / 2;
  let predicted = 0;
  let correct = 0;
  for (const g of groups) {
    predicted += pairs(g.length);
    const byLabel = new Map<string, number>();
    for (const i of g) byLabel.set(labels[i], (byLabel.get(labels[i]) ?? 0) + 1);
    for (const k of byLabel.values()) correct += pairs(k);
  }
  const sizes = new Map<string, number>();
  for (const l of labels) sizes.set(l, (sizes.get(l) ?? 0) + 1);
  let actual = 0;
  for (const k of sizes.values()) actual += pairs(k);
  const precision = predicted ? correct / predicted : 1;
  const recall = actual ? correct / actual : 1;
  return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}
