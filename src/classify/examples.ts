// runExamples: check each topic's `examples: {match, no_match}` against the compiled matcher (`wirewatch topics test`).
import { classify, explain, formatExplain } from './classify.js';
import type { Example, Matcher } from './rules.js';

export interface ExampleResult {
  topicId: string;
  expect: 'match' | 'no_match';
  example: Example;
  ok: boolean;
  score: number;
  threshold: number;
  /** Explanation of a miss, for people. */
  detail?: string;
}

export function runExamples(m: Matcher, topicId?: string): ExampleResult[] {
  const out: ExampleResult[] = [];
  for (const t of m.topics) {
    if (topicId !== undefined && t.info.id !== topicId) continue;
    const cases: [Example, 'match' | 'no_match'][] = [
      ...t.examples.match.map((e): [Example, 'match'] => [e, 'match']),
      ...t.examples.noMatch.map((e): [Example, 'no_match'] => [e, 'no_match']),
    ];
    for (const [ex, expect] of cases) {
      const hit = classify(ex, m).find((x) => x.topicId === t.info.id);
      const ok = (expect === 'match') === (hit !== undefined);
      const ev = explain(ex, m, t.info.id).topics[0];
      out.push({ topicId: t.info.id, expect, example: ex, ok, score: ev?.score ?? 0, threshold: t.threshold, ...(ok ? {} : { detail: formatExplain(explain(ex, m, t.info.id)) }) });
    }
  }
  return out;
}
