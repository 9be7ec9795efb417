// The extraction benchmark's metric, exactly as ../shared/data/extraction-benchmark/README.md states it:
// token 4-gram shingles (multiset), per-page tp/fp/fn normalised to sum 1, mean precision / recall, F1 of the means.

/** Python's Unicode `\w`: letters, numbers, underscore (combining marks are not word characters there). */
const TOKEN = /[\p{L}\p{N}_]+/gu;

export function shingles(text: string): Map<string, number> {
  const tokens = text.match(TOKEN) ?? [];
  const out = new Map<string, number>();
  if (tokens.length === 0) return out;
  if (tokens.length < 4) {
    out.set(tokens.join('\u0000'), 1);
    return out;
  }
  for (let i = 0; i + 4 <= tokens.length; i++) {
    const k = `${tokens[i]}\u0000${tokens[i + 1]}\u0000${tokens[i + 2]}\u0000${tokens[i + 3]}`;
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

export interface PageScore {
  tp: number;
  fp: number;
  fn: number;
}

export function scorePage(predicted: string, truth: string): PageScore {
  const p = shingles(predicted);
  const t = shingles(truth);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const k of new Set([...p.keys(), ...t.keys()])) {
    const a = p.get(k) ?? 0;
    const b = t.get(k) ?? 0;
    tp += Math.min(a, b);
    fp += Math.max(a - b, 0);
    fn += Math.max(b - a, 0);
  }
  const sum = tp + fp + fn;
  return sum > 0 ? { tp: tp / sum, fp: fp / sum, fn: fn / sum } : { tp: 0, fp: 0, fn: 0 };
}

export interface Summary {
  pages: number;
  precision: number;
  recall: number;
  f1: number;
}

export function summarise(scores: PageScore[]): Summary {
  const precisions: number[] = [];
  const recalls: number[] = [];
  for (const s of scores) {
    if (s.tp + s.fp > 0) precisions.push(s.fp === 0 && s.fn === 0 ? 1 : s.tp / (s.tp + s.fp));
    if (s.tp + s.fn > 0) recalls.push(s.fp === 0 && s.fn === 0 ? 1 : s.tp / (s.tp + s.fn));
  }
  const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const precision = mean(precisions);
  const recall = mean(recalls);
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { pages: scores.length, precision, recall, f1 };
}
