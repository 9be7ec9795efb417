// Test helpers: compile a small topics.yml and classify text with it.
import { expect } from 'vitest';
import { classify, fieldsOf } from '../../../src/classify/classify.js';
import { loadTopics, type Matcher } from '../../../src/classify/load.js';
import type { ClassifyInput, TopicMatch } from '../../../src/model.js';

export function compileOk(yaml: string): Matcher {
  const r = loadTopics(yaml, 'topics.yml');
  expect(r.issues).toEqual([]);
  return r.matcher;
}

/** Topic ids that match; `text` may hold "lead\n\nbody". */
export function ids(m: Matcher, title: string, text = '', lang?: string): string[] {
  return classify({ title, text, ...(lang ? { lang } : {}) }, m).map((x) => x.topicId);
}

/** Every evidence offset must point at the matched text in its field. */
export function checkOffsets(input: ClassifyInput, matches: TopicMatch[]): void {
  const f = fieldsOf(input);
  for (const m of matches) for (const e of m.evidence) expect(f[e.field].slice(e.start, e.end)).toBe(e.matched);
}
