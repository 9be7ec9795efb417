// `wirewatch classify`, `topics test` and `topics backtest`, run in-process with their own stdin/stdout and a
// temporary SQLite store.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandContext } from '../../support/command-context.js';
import { run as classifyCmd } from '../../../src/commands/classify.js';
import { run as topicsCmd } from '../../../src/commands/topics.js';
import { openDb } from '../../../src/store/db.js';
import { matchesFor, saveArticle } from '../../../src/store/articles.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ww-classify-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const shipped = path.resolve(new URL('../../../config/topics.yml', import.meta.url).pathname);

const ctx = (stdin = '') => commandContext({ openStore: () => openDb({ dataDir: dir }), stdin });

describe('wirewatch classify', () => {
  it('classifies JSON Lines and reports bad lines without stopping', async () => {
    const lines = [
      JSON.stringify({ id: 'a', title: 'NATO allies agree defence spending target at summit', text: 'Leaders met in The Hague.', lang: 'en' }),
      'not json',
      JSON.stringify({ id: 'b', title: 42 }),
      JSON.stringify({ id: 'c', title: 'Frozen food sales rise', text: '' }),
    ].join('\n');
    const t = ctx(lines);
    expect(await classifyCmd(['--topics', shipped], t.ctx)).toBe(0);
    const got = t.out().trim().split('\n').map((l) => JSON.parse(l));
    expect(got).toHaveLength(4);
    expect(got[0].id).toBe('a');
    expect(got[0].topics.map((x: { id: string }) => x.id)).toEqual(['nato']);
    expect(got[0].topics[0].evidence[0]).toMatchObject({ field: 'title', matched: 'NATO' });
    expect(got[1]).toMatchObject({ error: expect.stringContaining('not JSON') });
    expect(got[2]).toMatchObject({ id: 'b', error: expect.any(String) });
    expect(got[3]).toEqual({ id: 'c', topics: [] });
  });

  it('--explain prints evidence and near-misses for people', async () => {
    const t = ctx(JSON.stringify({ id: 'x', title: 'Ukraine hit by drone attack', text: 'Kyiv says security guarantees are needed.', lang: 'en' }));
    expect(await classifyCmd(['--topics', shipped, '--explain'], t.ctx)).toBe(0);
    expect(t.out()).toContain('MATCH security-guarantees');
    expect(t.out()).toMatch(/lead\[\d+\.\.\d+\] "security guarantees"/);
  });

  it('a broken topics file is reported by file, line and key, exit 2', async () => {
    const f = path.join(dir, 'bad.yml');
    fs.writeFileSync(f, 'topics:\n  - id: a\n    any: []\n');
    const t = ctx('');
    expect(await classifyCmd(['--topics', f], t.ctx)).toBe(2);
    expect(t.err()).toContain(`${f}:3 topics[0].any: must be a non-empty list`);
  });
});

describe('wirewatch topics test', () => {
  it('passes on the shipped topics', async () => {
    const t = ctx();
    expect(await topicsCmd(['test', '--file', shipped], t.ctx)).toBe(0);
    expect(t.out()).toMatch(/topics test: \d+ passed, 0 failed/);
  });

  it('exits 1 on a miss and explains it', async () => {
    const f = path.join(dir, 'miss.yml');
    fs.writeFileSync(f, 'topics:\n  - id: a\n    terms: [alpha]\n    examples:\n      match: [alpha one, beta two]\n      no_match: [gamma]\n');
    const t = ctx();
    expect(await topicsCmd(['test', '--file', f], t.ctx)).toBe(1);
    expect(t.out()).toContain('MISS a match: beta two');
    expect(t.out()).toContain('topics test: 2 passed, 1 failed');
  });
});

describe('wirewatch topics backtest', () => {
  it('prints what would change, and --apply writes it', async () => {
    const { db } = await openDb({ dataDir: dir });
    const now = new Date().toISOString();
    const article = (title: string) => ({ url: 'https://example.org/' + title.length, canonicalUrl: 'https://example.org/' + title.length, title, text: '', via: 'feed' as const });
    await saveArticle(db, 'i1', article('NATO allies meet at summit in Vilnius'), 'h1', [], now);
    await saveArticle(db, 'i2', article('Frozen food sales rise'), 'h2', [{ topicId: 'frozen-assets', score: 5, threshold: 4, evidence: [] }], now);
    await db.destroy();

    const dry = ctx();
    expect(await topicsCmd(['backtest', '--file', shipped, '--since', '1d'], dry.ctx)).toBe(0);
    expect(dry.out()).toContain('+ nato\ti1');
    expect(dry.out()).toContain('- frozen-assets\ti2');
    expect(dry.out()).toMatch(/2 articles since .*, 2 changed: 1 added, 1 dropped, 0 rescored \(dry run/);

    const apply = ctx();
    expect(await topicsCmd(['backtest', '--file', shipped, '--since', '1d', '--apply'], apply.ctx)).toBe(0);
    const h = await openDb({ dataDir: dir });
    expect((await matchesFor(h.db, 'i1')).map((m) => m.topicId)).toEqual(['nato']);
    expect(await matchesFor(h.db, 'i2')).toEqual([]);
    await h.db.destroy();

    const again = ctx();
    expect(await topicsCmd(['backtest', '--file', shipped, '--since', '1d'], again.ctx)).toBe(0);
    expect(again.out()).toMatch(/0 changed/);
  });

  it('rejects a bad --since', async () => {
    const t = ctx();
    expect(await topicsCmd(['backtest', '--file', shipped, '--since', 'last week'], t.ctx)).toBe(1);
  });
});

describe('wirewatch topics report', () => {
  const topicsFile = () => {
    const f = path.join(dir, 'report.yml');
    fs.writeFileSync(f, 'topics:\n  - id: fruit\n    terms: [apple, pear]\n  - id: metal\n    terms: [iron]\n');
    return f;
  };
  const set = (name: string, items: object[]) => {
    const d = fs.mkdtempSync(path.join(dir, 'sets-'));
    fs.writeFileSync(path.join(d, name), items.map((i) => JSON.stringify(i)).join('\n'));
    fs.writeFileSync(path.join(d, 'sets.json'), JSON.stringify({ sets: [{ file: name, role: 'blind', written: '2026-11-30' }] }));
    return path.join(d, name);
  };
  const items = [
    { id: 'a', lang: 'en', title: 'Apple harvest', topics: ['fruit'] },
    { id: 'b', lang: 'en', title: 'Cherry orchards bloom', lead: 'Orchard growers expect a record cherry crop.', topics: ['fruit'] },
    { id: 'c', lang: 'en', title: 'Orchard growers sell cherry jam', text: 'Cherry orchard news.', topics: ['fruit'] },
    { id: 'd', lang: 'en', title: 'Iron apple sculpture unveiled', topics: ['metal'] },
    { id: 'e', lang: 'en', title: 'Steel prices fall', topics: [] },
  ];

  it('prints P/R/F1 per topic with the set\'s role, the confusion list and candidate terms from misses', async () => {
    const f = set('blind-x.jsonl', items);
    const t = ctx();
    expect(await topicsCmd(['report', '--file', topicsFile(), '--set', f], t.ctx)).toBe(0);
    const out = t.out();
    expect(out).toContain('blind-x.jsonl [blind, written 2026-11-30]: 5 items');
    expect(out).toMatch(/fruit\s+0\.500\s+0\.333\s+0\.400\s+1\s+1\s+2/);
    expect(out).toContain('FP d [en] "Iron apple sculpture unveiled" — score 3/1: title "apple" +3');
    expect(out).toContain('FN b [en] "Cherry orchards bloom" — score 0/1');
    // "cherry" and "orchard growers" are in both misses and in no negative.
    expect(out).toMatch(/candidate terms for fruit \(in misses \/ in negatives\):\n {2}.*"cherry" 2\/0/);
    expect(out).toContain('"orchard growers" 2/0');
    expect(out).not.toContain('"orchard" 2/0'); // the longer n-gram covers it
  });

  it('--json gives the report as one JSON object; a set outside any manifest is "unlabelled"', async () => {
    const f = path.join(dir, 'loose.jsonl');
    fs.writeFileSync(f, items.map((i) => JSON.stringify(i)).join('\n'));
    const t = ctx();
    expect(await topicsCmd(['report', '--file', topicsFile(), '--set', f, '--json'], t.ctx)).toBe(0);
    const r = JSON.parse(t.out());
    expect(r.sets).toHaveLength(1);
    expect(r.sets[0]).toMatchObject({ file: 'loose.jsonl', role: 'unlabelled', items: 5 });
    const fruit = r.sets[0].topics.find((x: { topicId: string }) => x.topicId === 'fruit');
    expect(fruit).toMatchObject({ tp: 1, fp: 1, fn: 2, falseNegatives: [{ id: 'b', title: 'Cherry orchards bloom' }, { id: 'c' }] });
    expect(r.candidates.fruit).toContainEqual({ ngram: 'cherry', misses: 2, negatives: 0 });
    expect(r.candidates.metal).toEqual([]);
  });

  it('with no --set reports the shipped sets, each with its role', async () => {
    const t = ctx();
    expect(await topicsCmd(['report', '--file', shipped], t.ctx)).toBe(0);
    expect(t.out()).toContain('eval.jsonl [tuning');
    expect(t.out()).toContain('[regression');
  });

  it('a missing set file is an error, exit 1', async () => {
    const t = ctx();
    expect(await topicsCmd(['report', '--file', shipped, '--set', path.join(dir, 'nope.jsonl')], t.ctx)).toBe(1);
    expect(t.err()).toContain('topics report:');
  });
});
