// measurePossible(items, matcher, model, thresholds): how the "Possibly relevant" section would do on a labelled
// set — per threshold, its precision (flagged rule misses that truly carry the topic) and the recall it adds to the
// rules. Pure; bench/eval-model.ts prints it.
import { classify } from '../classify.js';
import type { LabelledItem } from '../evaluate.js';
import type { Matcher } from '../rules.js';
import { scoreTopics } from './score.js';
import type { TopicModel } from './types.js';

export interface PossibleScore {
  threshold: number;
  /** Flagged (item, topic) pairs, and how many of them are labelled with the topic. */
  flagged: number;
  correct: number;
  precision: number;
  /** Labelled (item, topic) pairs in the set, and how many the rules found. */
  relevant: number;
  rulesFound: number;
  rulesRecall: number;
  /** Recall of rules + possible, and the difference. */
  recallWith: number;
  recallGain: number;
  /** Per topic: flagged / correct. */
  byTopic: Record<string, { flagged: number; correct: number }>;
  /** The flagged pairs, for reading: item id, topic, score, right or wrong. */
  pairs: { id: string; topicId: string; score: number; ok: boolean }[];
}

export function measurePossible(items: LabelledItem[], m: Matcher, model: TopicModel, thresholds: number[]): PossibleScore[] {
  const ids = m.topics.map((t) => t.info.id).filter((id) => model.weights.has(id));
  // Score once, then cut at every threshold.
  const missed: { id: string; topicId: string; score: number; ok: boolean }[] = [];
  let relevant = 0;
  let rulesFound = 0;
  for (const it of items) {
    const input = { id: it.id, title: it.title, text: it.text ?? it.lead ?? '', ...(it.text && it.lead ? { lead: it.lead } : {}), ...(it.lang ? { lang: it.lang } : {}) };
    const got = new Set(classify(input, m).map((x) => x.topicId));
    for (const id of ids) if (it.topics.includes(id)) (relevant++, got.has(id) && rulesFound++);
    const rest = ids.filter((id) => !got.has(id));
    for (const s of scoreTopics({ title: it.title, lead: it.lead, text: it.text }, model, { topicIds: rest, maxReasons: 0 })) {
      missed.push({ id: it.id, topicId: s.topicId, score: s.score, ok: it.topics.includes(s.topicId) });
    }
  }
  return thresholds.map((threshold) => {
    const pairs = missed.filter((x) => x.score >= threshold).sort((a, b) => b.score - a.score);
    const correct = pairs.filter((x) => x.ok).length;
    const byTopic: PossibleScore['byTopic'] = Object.fromEntries(ids.map((id) => [id, { flagged: 0, correct: 0 }]));
    for (const x of pairs) (byTopic[x.topicId].flagged++, x.ok && byTopic[x.topicId].correct++);
    const rulesRecall = relevant ? rulesFound / relevant : 1;
    const recallWith = relevant ? (rulesFound + correct) / relevant : 1;
    return {
      threshold, flagged: pairs.length, correct, precision: pairs.length ? correct / pairs.length : 1, relevant, rulesFound,
      rulesRecall, recallWith, recallGain: recallWith - rulesRecall, byTopic, pairs,
    };
  });
}
