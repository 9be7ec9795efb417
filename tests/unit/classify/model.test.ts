// The second-opinion model (issue 14): deterministic training, scoring with reasons, and possible matches that
// never touch a rule match.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseEvalSet, type LabelledItem } from '../../../src/classify/evaluate.js';
import { loadTopics } from '../../../src/classify/load.js';
import { classify } from '../../../src/classify/classify.js';
import { featuresOf, wordsOf } from '../../../src/classify/model/features.js';
import { measurePossible } from '../../../src/classify/model/measure.js';
import { possibleMatches } from '../../../src/classify/model/possible.js';
import { scoreTopics } from '../../../src/classify/model/score.js';
import { dataHash, trainModel } from '../../../src/classify/model/train.js';
import { parseModel, topicsHash } from '../../../src/classify/model/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../../fixtures/classify');

// A toy corpus: "reactor" news vs. everything else, in two languages, with shared inflected stems.
const ITEMS: LabelledItem[] = [
  { id: 'p1', title: 'Reactor shut down after coolant leak', lead: 'Engineers stopped the reactor overnight.', topics: ['nuclear'] },
  { id: 'p2', title: 'Inspectors visit the reactor site', lead: 'The reactors were checked for leaks.', topics: ['nuclear'] },
  { id: 'p3', title: 'Reaktor nach Kühlmittelleck abgeschaltet', lead: 'Die Reaktoren stehen still.', topics: ['nuclear'] },
  { id: 'p4', title: 'Neuer Reaktorblock geht ans Netz', lead: 'Der Reaktor liefert Strom.', topics: ['nuclear'] },
  { id: 'p5', title: 'Uranium fuel delivered to reactor', lead: 'Fresh fuel rods arrived at the plant.', topics: ['nuclear'] },
  { id: 'n1', title: 'Football club wins the cup', lead: 'Fans celebrated in the streets.', topics: [] },
  { id: 'n2', title: 'Bakery prices rise again', lead: 'Bread costs more this winter.', topics: [] },
  { id: 'n3', title: 'Fußballverein gewinnt den Pokal', lead: 'Die Fans feierten.', topics: [] },
  { id: 'n4', title: 'Brotpreise steigen erneut', lead: 'Die Bäckerei erhöht die Preise.', topics: [] },
  { id: 'n5', title: 'Train strike delays commuters', lead: 'Services were cancelled across the region.', topics: [] },
  { id: 'n6', title: 'New museum opens downtown', lead: 'The exhibition shows modern art.', topics: [] },
];

describe('features', () => {
  it('reads words in any script, lower-cased, and gives each word its n-grams', () => {
    expect(wordsOf('Гарантії БЕЗПЕКИ — Sicherheitsgarantien, l’OTAN')).toEqual(['гарантії', 'безпеки', 'sicherheitsgarantien', 'lotan']);
    const f = featuresOf({ title: 'Reactor reactors' });
    expect(f.get('w:reactor')).toEqual(['reactor']);
    expect(f.get('<rea')).toEqual(['reactor', 'reactors']);
    expect(f.has('ors>')).toBe(true);
  });
});

describe('trainModel', () => {
  it('is deterministic: the same items in any order give byte-identical JSON', () => {
    const a = JSON.stringify(trainModel(ITEMS, ['nuclear']));
    const b = JSON.stringify(trainModel([...ITEMS].reverse(), ['nuclear']));
    expect(b).toBe(a);
    const m = JSON.parse(a);
    expect(m).toMatchObject({ format: 'wirewatch-topic-model', version: 1, topicIds: ['nuclear'], topicsHash: topicsHash(['nuclear']) });
    expect(m.topics.nuclear).toMatchObject({ positives: 5, negatives: 6 });
  });

  it('hashes the training data: a changed label changes the hash', () => {
    const changed = ITEMS.map((i) => (i.id === 'n6' ? { ...i, topics: ['nuclear'] } : i));
    expect(dataHash(changed)).not.toBe(dataHash(ITEMS));
    expect(dataHash([...ITEMS].reverse())).toBe(dataHash(ITEMS));
  });

  it('learns the topic from inflected and compound forms it has seen in part', () => {
    const model = parseModel(JSON.stringify(trainModel(ITEMS, ['nuclear'])));
    const [pos] = scoreTopics({ title: 'Reaktorhalle evakuiert', lead: 'Der Reaktor wurde geprüft.' }, model);
    const [neg] = scoreTopics({ title: 'Pokalfinale im Stadion', lead: 'Die Fans feierten den Sieg.' }, model);
    expect(pos.score).toBeGreaterThan(0.7);
    expect(neg.score).toBeLessThan(0.3);
    expect(pos.reasons[0].word).toMatch(/^reaktor/);
    expect(pos.reasons.every((r) => r.weight > 0)).toBe(true);
  });

  it('trains on the shipped labelled sets in seconds and stays small', () => {
    const items = fs.readdirSync(fixtures).filter((f) => /^eval.*\.jsonl$/.test(f)).flatMap((f) => parseEvalSet(fs.readFileSync(path.join(fixtures, f), 'utf8')));
    const t0 = performance.now();
    const json = JSON.stringify(trainModel(items, ['security-guarantees', 'frozen-assets', 'nato']));
    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(json.length).toBeLessThan(400_000);
  });
});

describe('parseModel', () => {
  it('rejects files that are not a model, or a newer version', () => {
    expect(() => parseModel('{"format":"x"}')).toThrow(/not a wirewatch-topic-model/);
    const m = trainModel(ITEMS, ['nuclear']);
    expect(() => parseModel(JSON.stringify({ ...m, version: 2 }))).toThrow(/unsupported model version 2/);
    expect(() => parseModel(JSON.stringify({ ...m, topics: { nuclear: { bias: 0, weights: { a: 'x' } } } }))).toThrow(/not a number/);
  });
});

describe('possibleMatches', () => {
  const model = parseModel(JSON.stringify(trainModel(ITEMS, ['nuclear'])));
  const input = { id: 'x', title: 'Reaktor abgeschaltet', text: 'Die Reaktoren stehen still.' };

  it('flags a rule-missed topic the model scores at or above the threshold, with its reason', () => {
    const got = possibleMatches(input, [], model, { threshold: 0.5 });
    expect(got).toHaveLength(1);
    expect(got[0].topicId).toBe('nuclear');
    expect(got[0].score).toBeGreaterThanOrEqual(0.5);
    expect(got[0].reasons.length).toBeGreaterThan(0);
  });

  it('never returns a topic the rules matched, nor one below the threshold, nor one no longer configured', () => {
    expect(possibleMatches(input, [{ topicId: 'nuclear', score: 1, threshold: 1, evidence: [] }], model, { threshold: 0.01 })).toEqual([]);
    expect(possibleMatches(input, [], model, { threshold: 0.9999 })).toEqual([]);
    expect(possibleMatches(input, [], model, { threshold: 0.01, topicIds: ['other'] })).toEqual([]);
  });
});

describe('measurePossible', () => {
  it('counts only rule misses as flagged, and precision among them', () => {
    const m = loadTopics('topics:\n  - id: nuclear\n    terms: [reactor]\n', 't.yml').matcher;
    const model = parseModel(JSON.stringify(trainModel(ITEMS, ['nuclear'])));
    const test: LabelledItem[] = [
      { id: 't1', title: 'Reactor fire', topics: ['nuclear'] }, // the rules find it: never flagged
      { id: 't2', title: 'Reaktor abgeschaltet', lead: 'Die Reaktoren stehen still.', topics: ['nuclear'] }, // a rule miss
      { id: 't3', title: 'Bakery prices rise', topics: [] },
    ];
    expect(classify({ title: 'Reactor fire', text: '' }, m)).toHaveLength(1);
    const [r] = measurePossible(test, m, model, [0.5]);
    expect(r.relevant).toBe(2);
    expect(r.rulesFound).toBe(1);
    expect(r.pairs.map((p) => p.id)).toEqual(['t2']);
    expect(r).toMatchObject({ flagged: 1, correct: 1, precision: 1, rulesRecall: 0.5, recallWith: 1 });
  });
});
