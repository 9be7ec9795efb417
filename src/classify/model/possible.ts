// possibleMatches(input, ruleMatches, model): the second opinion. Topics the rules did NOT match that the model
// scores at or above the threshold become "possible" matches, with the model's reason. It never adds to, drops or
// rescores a rule match. Pure.
import type { ClassifyInput, PossibleMatch, TopicMatch } from '../../model.js';
import { fieldsOf } from '../classify.js';
import { scoreTopics } from './score.js';
import { DEFAULT_MODEL_THRESHOLD, type TopicModel } from './types.js';

export { DEFAULT_MODEL_THRESHOLD };

/** The model in force with its settings (config `classify.model`), as the article pipeline gets it. */
export interface SecondOpinion {
  model: TopicModel;
  threshold: number;
  maxReasons: number;
}

export interface PossibleOptions {
  threshold?: number;
  /** Topics in force (the topics file's ids): a model topic no longer configured is ignored. */
  topicIds?: readonly string[];
  maxReasons?: number;
}

export function possibleMatches(input: ClassifyInput, ruleMatches: readonly TopicMatch[], model: TopicModel, o: PossibleOptions = {}): PossibleMatch[] {
  const matched = new Set(ruleMatches.map((m) => m.topicId));
  const wanted = (o.topicIds ?? model.file.topicIds).filter((id) => !matched.has(id) && model.weights.has(id));
  if (!wanted.length) return [];
  const f = fieldsOf(input);
  const threshold = o.threshold ?? DEFAULT_MODEL_THRESHOLD;
  return scoreTopics({ title: f.title, lead: f.lead, text: f.body }, model, { topicIds: wanted, maxReasons: o.maxReasons })
    .filter((s) => s.score >= threshold)
    .map((s) => ({ topicId: s.topicId, score: Math.round(s.score * 10_000) / 10_000, reasons: s.reasons }));
}
