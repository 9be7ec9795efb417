// topics.yml is read by js-yaml when plain and by `yaml` otherwise (src/yaml/plain.ts): both must give the same
// topics, and `yaml` decides everything outside the plain subset.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { loadTopics } from '../../../src/classify/load.js';
import { plainYamlRoot } from '../../../src/yaml/plain.js';

const SHIPPED = fs.readFileSync('config/topics.yml', 'utf8');

describe('the two YAML readers of topics.yml', () => {
  it('the shipped topics are plain, and js-yaml reads them as `yaml` does', () => {
    const fast = plainYamlRoot(SHIPPED);
    expect(fast).toBeDefined();
    expect(JSON.parse(JSON.stringify(fast))).toEqual(parseDocument(SHIPPED).toJS());
  });

  it('anchors, aliases, tags, tabs, merge keys and document markers go to `yaml`', () => {
    for (const text of [
      'lists:\n  a: &x [foo]\ntopics: [{id: t, terms: *x}]\n',
      'topics: !!seq [{id: t, terms: [foo]}]\n',
      '---\ntopics: [{id: t, terms: [foo]}]\n',
      'topics:\n\t- {id: t, terms: [foo]}\n',
      'base: &b {threshold: 1}\ntopics: [{<<: *b, id: t, terms: [foo]}]\n',
    ]) expect(plainYamlRoot(text), text).toBeUndefined();
  });

  it('a document outside the plain subset loads the same topics through `yaml`', () => {
    const plain = loadTopics('topics:\n  - id: ukraine\n    terms: [kyiv, "ukrain*"]\n', 'a.yml');
    const tagged = loadTopics('---\ntopics:\n  - id: ukraine\n    terms: [kyiv, !!str "ukrain*"]\n', 'b.yml');
    expect(plain.issues).toEqual([]);
    expect(tagged.issues).toEqual([]);
    expect(tagged.list).toEqual(plain.list);
    expect(tagged.matcher.terms.length).toBe(plain.matcher.terms.length);
    // Only `yaml` saw this text: the unknown key is reported with its line.
    const odd = loadTopics('---\nwords: [x]\ntopics:\n  - id: ukraine\n    terms: [kyiv]\n', 'c.yml');
    expect(odd.issues).toEqual([expect.objectContaining({ file: 'c.yml', line: 2, key: 'words' })]);
  });

  it('a problem found on the fast path is reported with its line by `yaml`', () => {
    const r = loadTopics('topics:\n  - id: a\n    terms: [x]\n  - id: BAD\n    terms: [y]\n', 'd.yml');
    expect(r.issues).toEqual([expect.objectContaining({ file: 'd.yml', line: 4, key: 'topics[1].id' })]);
    expect(r.list.map((t) => t.id)).toEqual(['a']);
  });
});
