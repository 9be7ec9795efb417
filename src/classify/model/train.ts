// trainModel(items, topicIds): one logistic regression per topic over the features of features.ts, trained by
// full-batch gradient descent from zero — no randomness, so the same items give byte-identical JSON. Pure.
import type { LabelledItem } from '../evaluate.js';
import { featuresOf } from './features.js';
import { MODEL_FORMAT, MODEL_VERSION, sha256, topicsHash, type ModelFile, type TopicWeights } from './types.js';

export interface TrainOptions {
  /** L2 penalty on the mean loss. */
  l2?: number;
  iterations?: number;
  /** Adam's step size. */
  learningRate?: number;
  /** A feature must occur in at least this many training items. */
  minDf?: number;
  /** Features kept per topic (largest |weight|): keeps the file small. */
  maxFeatures?: number;
  /** Base names of the training files, recorded in the model. */
  sets?: string[];
}

export const TRAIN_DEFAULTS = { l2: 1e-4, iterations: 200, learningRate: 0.05, minDf: 2, maxFeatures: 4000 } as const;

/** Canonical form of the training data, for the model's dataHash. */
export function dataHash(items: LabelledItem[]): string {
  const lines = items
    .map((i) => JSON.stringify([i.id, i.lang ?? '', i.title, i.lead ?? '', i.text ?? '', [...i.topics].sort()]))
    .sort();
  return sha256(lines.join('\n'));
}

export function trainModel(items: LabelledItem[], topicIds: readonly string[], o: TrainOptions = {}): ModelFile {
  const p = { ...TRAIN_DEFAULTS, ...Object.fromEntries(Object.entries(o).filter(([k, v]) => k !== 'sets' && v !== undefined)) } as typeof TRAIN_DEFAULTS;
  // Items in id order, features in first-seen order: nothing depends on input order or Map iteration chance.
  const sorted = [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const raw = sorted.map((i) => [...featuresOf({ title: i.title, lead: i.lead, text: i.text }).keys()]);
  const df = new Map<string, number>();
  for (const fs of raw) for (const f of fs) df.set(f, (df.get(f) ?? 0) + 1);
  const vocab: string[] = [];
  const index = new Map<string, number>();
  for (const fs of raw) for (const f of fs) if (!index.has(f) && df.get(f)! >= p.minDf) (index.set(f, vocab.length), vocab.push(f));
  // Each item: its feature indices and the L2-normalised value (binary features over all its features).
  const X = raw.map((fs) => ({ idx: Int32Array.from(fs.filter((f) => index.has(f)).map((f) => index.get(f)!)), v: fs.length ? 1 / Math.sqrt(fs.length) : 0 }));

  const topics: Record<string, TopicWeights> = {};
  for (const id of topicIds) {
    const y = sorted.map((i) => (i.topics.includes(id) ? 1 : 0));
    const pos = y.reduce((a: number, b) => a + b, 0);
    const neg = y.length - pos;
    topics[id] = fit(X, y, vocab, pos, neg, p);
  }
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    dataHash: dataHash(items),
    topicsHash: topicsHash(topicIds),
    topicIds: [...topicIds],
    trainedOn: { sets: o.sets ?? [], items: items.length },
    params: { l2: p.l2, iterations: p.iterations, learningRate: p.learningRate, minDf: p.minDf, maxFeatures: p.maxFeatures },
    topics,
  };
}

function fit(X: { idx: Int32Array; v: number }[], y: number[], vocab: string[], pos: number, neg: number, p: typeof TRAIN_DEFAULTS): TopicWeights {
  const n = X.length;
  const w = new Float64Array(vocab.length);
  const g = new Float64Array(vocab.length);
  let b = 0;
  if (pos === 0 || neg === 0) return { bias: pos ? 10 : -10, weights: {}, positives: pos, negatives: neg };
  // Balanced classes: a rare topic's positives weigh as much in total as its negatives.
  const cw = [n / (2 * neg), n / (2 * pos)];
  // Full-batch Adam: per-feature steps suit features as unequal as "<th" (in most items) and "гарант" (in a few);
  // the same every run, since nothing is sampled.
  const m1 = new Float64Array(vocab.length);
  const m2 = new Float64Array(vocab.length);
  let mb1 = 0;
  let mb2 = 0;
  const [lr, b1, b2, eps] = [p.learningRate, 0.9, 0.999, 1e-8];
  for (let it = 1; it <= p.iterations; it++) {
    g.fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const x = X[i];
      let z = b;
      for (const j of x.idx) z += w[j] * x.v;
      const r = (cw[y[i]] * (1 / (1 + Math.exp(-z)) - y[i])) / n;
      gb += r;
      for (const j of x.idx) g[j] += r * x.v;
    }
    const c1 = 1 - b1 ** it;
    const c2 = 1 - b2 ** it;
    for (let j = 0; j < w.length; j++) {
      const gj = g[j] + p.l2 * w[j];
      m1[j] = b1 * m1[j] + (1 - b1) * gj;
      m2[j] = b2 * m2[j] + (1 - b2) * gj * gj;
      w[j] -= (lr * (m1[j] / c1)) / (Math.sqrt(m2[j] / c2) + eps);
    }
    mb1 = b1 * mb1 + (1 - b1) * gb;
    mb2 = b2 * mb2 + (1 - b2) * gb * gb;
    b -= (lr * (mb1 / c1)) / (Math.sqrt(mb2 / c2) + eps);
  }
  const kept = [...w.keys()]
    .filter((j) => Math.abs(w[j]) >= 1e-4)
    .sort((a, c) => Math.abs(w[c]) - Math.abs(w[a]) || (vocab[a] < vocab[c] ? -1 : 1))
    .slice(0, p.maxFeatures)
    .sort((a, c) => (vocab[a] < vocab[c] ? -1 : 1));
  const weights: Record<string, number> = {};
  for (const j of kept) weights[vocab[j]] = round(w[j]);
  return { bias: round(b), weights, positives: pos, negatives: neg };
}

const round = (x: number) => Number(x.toPrecision(5));
