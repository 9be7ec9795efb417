// scoreTopics(input, model): the model's probability per topic, with its reason — the words whose features
// pushed the score up most. Pure.
import { featuresOf, type TextInput } from './features.js';
import type { TopicModel } from './types.js';

export interface ModelScore {
  topicId: string;
  /** Probability in [0, 1]. */
  score: number;
  /** The words that contributed most (best first), each with its share of the logit. */
  reasons: { word: string; weight: number }[];
}

export const DEFAULT_MAX_REASONS = 5;

// Function words carry weight in the model (they mark the language and register) but explain nothing to a reader.
const NOT_A_REASON = new Set(
  ('the and for with from that this are was has have its not but will into after over about '
    + 'der die das und mit von den dem des ein eine ist für auf sich nicht auch '
    + 'les des une est pour dans par sur aux qui que pas avec ses '
    + 'на по за из от до что как это для не его она они при '
    + 'та що як це для не від до за на із про його вона вони при').split(' '),
);

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Score every topic of the model (or only `topicIds`). */
export function scoreTopics(x: TextInput, model: TopicModel, opts: { topicIds?: readonly string[]; maxReasons?: number } = {}): ModelScore[] {
  const feats = featuresOf(x);
  // Binary features, L2-normalised: long and short texts score on one scale.
  const norm = feats.size ? 1 / Math.sqrt(feats.size) : 0;
  const out: ModelScore[] = [];
  for (const id of opts.topicIds ?? model.file.topicIds) {
    const t = model.weights.get(id);
    if (!t) continue;
    let z = t.bias;
    const byWord = new Map<string, number>();
    for (const [f, words] of feats) {
      const w = t.w.get(f);
      if (w === undefined) continue;
      const c = w * norm;
      z += c;
      // A feature shared by several words is credited to each in equal parts.
      for (const word of words) byWord.set(word, (byWord.get(word) ?? 0) + c / words.length);
    }
    const reasons = [...byWord]
      .filter(([word, c]) => c > 0 && !NOT_A_REASON.has(word))
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, opts.maxReasons ?? DEFAULT_MAX_REASONS)
      .map(([word, c]) => ({ word, weight: Math.round(c * 1000) / 1000 }));
    out.push({ topicId: id, score: sigmoid(z), reasons });
  }
  return out;
}
