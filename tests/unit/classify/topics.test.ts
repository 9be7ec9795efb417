// The shipped config/topics.yml: loads without issues, its examples pass, and the labelled evaluation set
// (tests/fixtures/classify/eval.jsonl, see README.md there) reaches F1 ≥ 0.90 per topic.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate, parseEvalSet } from '../../../src/classify/evaluate.js';
import { runExamples } from '../../../src/classify/examples.js';
import { loadTopics } from '../../../src/classify/load.js';
import { formatIssue } from '../../../src/errors.js';
import { checkOffsets } from './helpers.js';
import { classify } from '../../../src/classify/classify.js';

const root = new URL('../../../', import.meta.url);
const loaded = loadTopics(fs.readFileSync(new URL('config/topics.yml', root), 'utf8'), 'config/topics.yml');
const items = parseEvalSet(fs.readFileSync(new URL('tests/fixtures/classify/eval.jsonl', root), 'utf8'));

describe('shipped topics', () => {
  it('load without issues, with the default topic ids', () => {
    expect(loaded.issues.map(formatIssue)).toEqual([]);
    expect(loaded.list.map((t) => t.id)).toEqual(['security-guarantees', 'frozen-assets', 'nato']);
  });

  it('every topic has examples and they all pass', () => {
    const results = runExamples(loaded.matcher);
    for (const t of loaded.list) expect(results.filter((r) => r.topicId === t.id).length).toBeGreaterThanOrEqual(5);
    expect(results.filter((r) => !r.ok).map((r) => r.detail)).toEqual([]);
  });

  it('the evaluation set has ≥ 150 items in en, uk, ru, de, fr', () => {
    expect(items.length).toBeGreaterThanOrEqual(150);
    expect(new Set(items.map((i) => i.lang))).toEqual(new Set(['en', 'uk', 'ru', 'de', 'fr']));
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
  });

  it('F1 ≥ 0.90 per topic on the evaluation set', () => {
    const scores = evaluate(items, loaded.matcher);
    for (const s of scores) expect({ topic: s.topicId, f1: s.f1 >= 0.9, fp: s.falsePositives, fn: s.falseNegatives }).toMatchObject({ topic: s.topicId, f1: true });
  });

  it('evidence offsets point at the matched text for every item of the set', () => {
    for (const it of items) {
      const input = { title: it.title, text: it.lead ?? '', lang: it.lang };
      checkOffsets(input, classify(input, loaded.matcher));
    }
  });
});
