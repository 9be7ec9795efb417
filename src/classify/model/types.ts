// The stored second-opinion model (config/topics.model.json): its JSON shape, parsing with validation, and the
// hashes that tie it to its training data and to the topics file it was trained for.
import { createHash } from 'node:crypto';

export const MODEL_FORMAT = 'wirewatch-topic-model';
export const MODEL_VERSION = 1;
/** The probability at or above which a rule-missed article is shown as possibly relevant. */
export const DEFAULT_MODEL_THRESHOLD = 0.8;
/** Where `topics train` writes and the service looks, beside the topics file. */
export const DEFAULT_MODEL_FILE = 'topics.model.json';

/** One topic's logistic regression over L2-normalised binary features: p = σ(bias + Σ w·x). */
export interface TopicWeights {
  bias: number;
  /** Feature → weight; features below the pruning cut are absent (weight 0). */
  weights: Record<string, number>;
  /** Training items labelled with / without the topic. */
  positives: number;
  negatives: number;
}

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  /** sha256 of the training items (canonical JSON lines, sorted by id): which data made this model. */
  dataHash: string;
  /** sha256 of the topic ids of the topics file, sorted: a model for other topics is stale. */
  topicsHash: string;
  topicIds: string[];
  /** The training files, by base name, and how many items they held. */
  trainedOn: { sets: string[]; items: number };
  /** Training settings, so a model can be reproduced. */
  params: { l2: number; iterations: number; learningRate: number; minDf: number; maxFeatures: number };
  topics: Record<string, TopicWeights>;
}

/** The loaded model: weights as Maps for scoring. */
export interface TopicModel {
  file: ModelFile;
  weights: Map<string, { bias: number; w: Map<string, number> }>;
}

export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

export function topicsHash(ids: readonly string[]): string {
  return sha256([...ids].sort().join('\n'));
}

/** Parse and check a model file's JSON; throws Error with what is wrong. */
export function parseModel(json: string): TopicModel {
  const v = JSON.parse(json) as Partial<ModelFile>;
  if (!v || typeof v !== 'object' || v.format !== MODEL_FORMAT) throw new Error(`not a ${MODEL_FORMAT} file`);
  if (v.version !== MODEL_VERSION) throw new Error(`unsupported model version ${String(v.version)} (expected ${MODEL_VERSION})`);
  if (!Array.isArray(v.topicIds) || typeof v.topics !== 'object' || v.topics === null) throw new Error('missing topicIds or topics');
  const weights = new Map<string, { bias: number; w: Map<string, number> }>();
  for (const id of v.topicIds) {
    const t = v.topics[id];
    if (!t || typeof t.bias !== 'number' || typeof t.weights !== 'object' || t.weights === null) throw new Error(`topic "${id}": missing bias or weights`);
    const w = new Map<string, number>();
    for (const [k, x] of Object.entries(t.weights)) {
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new Error(`topic "${id}": weight of "${k}" is not a number`);
      w.set(k, x);
    }
    weights.set(id, { bias: t.bias, w });
  }
  return { file: v as ModelFile, weights };
}
