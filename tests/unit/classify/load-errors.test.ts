// Invalid rules are errors at load time, each with file, line and key; several at once; never a half-loaded topic.
import { describe, expect, it } from 'vitest';
import { loadTopics } from '../../../src/classify/load.js';
import { formatIssue } from '../../../src/errors.js';

/** [name, yaml, expected formatted issues (substring match each)] */
const CASES: [string, string, string[]][] = [
  ['empty any', 'topics:\n  - id: a\n    any: []\n', ['t.yml:3 topics[0].any: must be a non-empty list']],
  ['missing id', 'topics:\n  - title: A\n    terms: [x]\n', ['t.yml:2 topics[0].id: is required']],
  ['bad id', 'topics:\n  - id: Frozen Assets\n    terms: [x]\n', ['t.yml:2 topics[0].id: must be lower-case letters']],
  ['duplicate id', 'topics:\n  - {id: a, terms: [x]}\n  - {id: a, terms: [y]}\n', ['t.yml:3 topics[1].id: duplicate id "a"']],
  ['unknown topic key (typo)', 'topics:\n  - id: a\n    treshold: 3\n    terms: [x]\n', ['t.yml:3 topics[0].treshold: unknown key']],
  ['no rules', 'topics:\n  - id: a\n    title: A\n', ['t.yml:2 topics[0]: has no rules']],
  ['bad threshold', 'topics:\n  - id: a\n    threshold: high\n    terms: [x]\n', ['t.yml:3 topics[0].threshold: must be a positive number']],
  ['bad weight', 'topics:\n  - id: a\n    terms:\n      - {term: x, weight: heavy}\n', ['t.yml:4 topics[0].terms[0].weight: must be a non-zero number']],
  ['unknown term key', 'topics:\n  - id: a\n    terms:\n      - {term: x, wieght: 2}\n', ['t.yml:4 topics[0].terms[0].wieght: unknown key']],
  ['star in the middle', 'topics:\n  - id: a\n    terms: ["fro*zen"]\n', ['t.yml:3 topics[0].terms[0]: "fro*zen": "*" must directly follow a word']],
  ['short prefix', 'topics:\n  - id: a\n    terms: ["we*"]\n', ['t.yml:3 topics[0].terms[0]: "we*": a prefix needs at least 3 letters']],
  ['term without words', 'topics:\n  - id: a\n    terms: ["—"]\n', ['t.yml:3 topics[0].terms[0]: "—": has no words']],
  ['unknown list', 'topics:\n  - id: a\n    terms: ["@nope"]\n', ['t.yml:3 topics[0].terms[0]: unknown list "@nope"']],
  ['bad language key', 'topics:\n  - id: a\n    terms:\n      english: [x]\n', ['t.yml:4 topics[0].terms.english: unknown key: expected a language code']],
  ['bad within', 'topics:\n  - id: a\n    all: [x, y]\n    within: -3\n', ['t.yml:4 topics[0].within: must be a positive number of words or "sentence"']],
  ['within on any', 'topics:\n  - id: a\n    terms:\n      - any: [x, y]\n        within: 3\n', ['t.yml:5 topics[0].terms[0].within: only an `all` group can have a proximity window']],
  ['bad field', 'topics:\n  - id: a\n    all:\n      - any: [x]\n        in: [headline]\n', ['t.yml:5 topics[0].all[0].in: must be a field or list of fields']],
  ['bad field weight', 'topics:\n  - id: a\n    fields: {title: 3, footer: 1}\n    terms: [x]\n', ['t.yml:3 topics[0].fields.footer: unknown field']],
  ['two group kinds', 'topics:\n  - id: a\n    all:\n      - {any: [x], none: [y]}\n', ['t.yml:4 topics[0].all[0]: a group has exactly one of any / all / none']],
  ['bad example', 'topics:\n  - id: a\n    terms: [x]\n    examples:\n      match: [{text: no title}]\n', ['t.yml:5 topics[0].examples.match[0]: must be a headline string']],
  ['broken list', 'lists:\n  ua: ["u*"]\ntopics:\n  - id: a\n    terms: ["@ua"]\n', ['t.yml:2 lists.ua[0]: "u*": a prefix needs', 't.yml:5 topics[0].terms[0]: list "@ua" has errors']],
  ['yaml syntax', 'topics:\n  - id: a\n    terms: [x\n', ['t.yml:']],
  ['no topics', 'lists: {a: [x]}\n', ['t.yml:1 topics: is required']],
  ['topics not a list', 'topics: {id: a}\n', ['t.yml:1 topics: must be a non-empty list']],
];

describe('load errors', () => {
  for (const [name, yaml, expected] of CASES) {
    it(name, () => {
      const r = loadTopics(yaml, 't.yml');
      const got = r.issues.map(formatIssue);
      for (const e of expected) expect(got.some((g) => g.startsWith(e)), `${e}\n in\n${got.join('\n')}`).toBe(true);
      for (const i of r.issues) {
        expect(i.file).toBe('t.yml');
        expect(i.line).toBeGreaterThan(0);
      }
    });
  }

  it('reports several problems at once and leaves broken topics out whole', () => {
    const yaml = [
      'topics:',
      '  - id: good',
      '    terms: [x]',
      '  - id: bad',
      '    terms: [y, {term: z, weight: 0}]',
      '    all: []',
      '  - id: worse',
      '    any: ["a*b"]',
      '    treshold: 2',
    ].join('\n');
    const r = loadTopics(yaml, 'config/topics.yml');
    expect(r.issues.map(formatIssue)).toEqual([
      'config/topics.yml:5 topics[1].terms[1].weight: must be a non-zero number',
      'config/topics.yml:6 topics[1].all: must be a non-empty list',
      'config/topics.yml:9 topics[2].treshold: unknown key (expected one of id, title, description, threshold, stem, fields, terms, any, all, none, within, in, examples)',
      'config/topics.yml:8 topics[2].any[0]: "a*b": "*" must directly follow a word (word*)',
    ]);
    expect(r.list.map((t) => t.id)).toEqual(['good']);
    // "y" belonged to the broken topic: nothing of it is matched.
    expect(r.matcher.terms.map((t) => t.text)).toEqual(['x']);
  });

  it('never throws, whatever the input', () => {
    for (const s of ['', '---', '[1,2]', 'topics: [1, "x", null]', 'topics:\n  - id: a\n    terms: {en: null}', '\u0000\u0001', 'topics: [{id: a, terms: [{term: null}]}]']) {
      expect(() => loadTopics(s, 'f.yml')).not.toThrow();
      expect(loadTopics(s, 'f.yml').issues.length).toBeGreaterThan(0);
    }
  });
});
