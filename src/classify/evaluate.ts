// evaluate(items, matcher): precision, recall and F1 per topic over a labelled set (bench/eval-topics.ts and the
// eval-set test use it). Pure.
import { classify } from './classify.js';
import type { ClassifyInput } from '../model.js';
import type { Matcher } from './rules.js';

export interface LabelledItem {
  id: string;
  lang?: string;
  title: string;
  lead?: string;
  text?: string;
  /** Topic ids the item should match. */
  topics: string[];
}

export interface TopicScore {
  topicId: string;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
  /** Item ids wrongly matched / wrongly missed. */
  falsePositives: string[];
  falseNegatives: string[];
}

export function evaluate(items: LabelledItem[], m: Matcher): TopicScore[] {
  const scores = new Map<string, TopicScore>(
    m.topics.map((t) => [t.info.id, { topicId: t.info.id, tp: 0, fp: 0, fn: 0, precision: 0, recall: 0, f1: 0, falsePositives: [], falseNegatives: [] }]),
  );
  for (const it of items) {
    const got = new Set(classify(itemInput(it), m).map((x) => x.topicId));
    for (const s of scores.values()) {
      const want = it.topics.includes(s.topicId);
      const has = got.has(s.topicId);
      if (want && has) s.tp++;
      else if (has) (s.fp++, s.falsePositives.push(it.id));
      else if (want) (s.fn++, s.falseNegatives.push(it.id));
    }
  }
  for (const s of scores.values()) {
    s.precision = s.tp + s.fp ? s.tp / (s.tp + s.fp) : 1;
    s.recall = s.tp + s.fn ? s.tp / (s.tp + s.fn) : 1;
    s.f1 = s.precision + s.recall ? (2 * s.precision * s.recall) / (s.precision + s.recall) : 0;
  }
  return [...scores.values()];
}

/** A labelled item as classifier input: title, lead and body as written (a set may give the lead, the text or both). */
export function itemInput(it: LabelledItem): ClassifyInput {
  return {
    id: it.id,
    title: it.title,
    text: it.text ?? it.lead ?? '',
    ...(it.lead !== undefined && it.text !== undefined ? { lead: it.lead } : {}),
    ...(it.lang ? { lang: it.lang } : {}),
  };
}

/** Parse the JSON Lines eval set. */
export function parseEvalSet(jsonl: string): LabelledItem[] {
  return jsonl
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LabelledItem);
}
