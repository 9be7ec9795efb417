// `wirewatch topics train` and the second opinion in `topics backtest`, in-process with a temporary SQLite store;
// and the `classify.model` configuration keys.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandContext } from '../../support/command-context.js';
import { run as topicsCmd } from '../../../src/commands/topics.js';
import { loadConfig } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/errors.js';
import { openDb } from '../../../src/store/db.js';
import { saveArticle } from '../../../src/store/articles.js';
import { possibleFor } from '../../../src/store/possible.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ww-model-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const shipped = path.resolve('config/topics.yml');

const ctx = () => commandContext({ openStore: () => openDb({ dataDir: dir }), stdin: '' });

describe('wirewatch topics train', () => {
  const model = path.join(dir, 'm.json');

  it('trains on the shipped labelled sets, writes the model, and is byte-for-byte repeatable', async () => {
    const t = ctx();
    expect(await topicsCmd(['train', '--file', shipped, '--out', model], t.ctx)).toBe(0);
    // Without --set: the manifest's tuning and regression sets, never a set still marked blind.
    const manifest = JSON.parse(fs.readFileSync(path.join(path.dirname(shipped), '..', 'tests', 'fixtures', 'classify', 'sets.json'), 'utf8')) as { sets: { file: string; role: string }[] };
    const expected = manifest.sets.filter((s) => s.role !== 'blind').map((s) => s.file).sort();
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(t.out()).toMatch(new RegExp(`topics train: \\d+ items from ${expected.length} set\\(s\\), security-guarantees \\d+\\+/\\d+- \\d+ features`));
    expect(t.out()).toContain(`wrote ${model}`);
    const first = fs.readFileSync(model, 'utf8');
    expect(JSON.parse(first)).toMatchObject({ format: 'wirewatch-topic-model', trainedOn: { sets: expected } });
    expect(await topicsCmd(['train', '--file', shipped, '--out', model], ctx().ctx)).toBe(0);
    expect(fs.readFileSync(model, 'utf8')).toBe(first);
  });

  it('refuses a set without labels', async () => {
    const bad = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(bad, '{"id":"x","title":"t"}\n');
    const t = ctx();
    expect(await topicsCmd(['train', '--file', shipped, '--set', bad, '--out', path.join(dir, 'x.json')], t.ctx)).toBe(1);
    expect(t.err()).toMatch(/lack "id", "title" or "topics"/);
  });

  it('backtest --model reports the articles the desk would have gained, and --apply records them', async () => {
    const { db } = await openDb({ dataDir: dir });
    const now = new Date().toISOString();
    const art = (title: string, text: string) => ({ url: `https://example.org/${title.length}`, canonicalUrl: `https://example.org/${title.length}`, title, text, via: 'feed' as const });
    // Narrow rules (the shipped topic ids, one term each), so the test does not depend on how good the shipped rules are.
    const narrow = path.join(dir, 'narrow.yml');
    fs.writeFileSync(narrow, 'topics:\n  - id: security-guarantees\n    terms: [security guarantees]\n  - id: frozen-assets\n    terms: [frozen assets]\n  - id: nato\n    terms: [NATO]\n');
    await saveArticle(db, 'b1', art('Ukraine and Portugal sign ten-year defence pact', 'The accord commits Lisbon to long-term support for Kyiv.'), 'h1', [], now);
    await saveArticle(db, 'b2', art('Bakery prices rise again', 'Bread costs more this winter.'), 'h2', [], now);
    await db.destroy();

    const dry = ctx();
    expect(await topicsCmd(['backtest', '--file', narrow, '--since', '1d', '--model', model, '--threshold', '0.5'], dry.ctx)).toBe(0);
    expect(dry.out()).toMatch(/^\? security-guarantees\tb1\t0\.\d+\tUkraine and Portugal sign ten-year defence pact\t\([^)]+\)$/m);
    expect(dry.out()).not.toMatch(/\tb2\t/);
    expect(dry.out()).toMatch(/second opinion \(threshold 0\.5\): 1 of 2 articles possibly relevant \(1 topic flags\) that the rules miss/);

    expect(await topicsCmd(['backtest', '--file', narrow, '--since', '1d', '--model', model, '--threshold', '0.5', '--apply'], ctx().ctx)).toBe(0);
    const h = await openDb({ dataDir: dir });
    expect((await possibleFor(h.db, 'b1')).map((p) => p.topicId)).toEqual(['security-guarantees']);
    expect(await possibleFor(h.db, 'b2')).toEqual([]);
    await h.db.destroy();
  });

  it('backtest rejects a bad --threshold or an unreadable --model', async () => {
    expect(await topicsCmd(['backtest', '--file', shipped, '--model', model, '--threshold', '2'], ctx().ctx)).toBe(1);
    const t = ctx();
    expect(await topicsCmd(['backtest', '--file', shipped, '--model', path.join(dir, 'nope.json')], t.ctx)).toBe(1);
    expect(t.err()).toMatch(/cannot use model/);
  });
});

describe('classify.model configuration', () => {
  const write = (extra: string) => {
    const d = fs.mkdtempSync(path.join(dir, 'cfg-'));
    fs.writeFileSync(path.join(d, 'wirewatch.yml'), `topics_file: ${shipped}\nfeeds: []\n${extra}`);
    return path.join(d, 'wirewatch.yml');
  };

  it('is off by default; enabled, it loads the model beside the config, and a missing file means none', () => {
    const off = loadConfig({ configPath: write('') }, {});
    expect(off.classify.model).toEqual({ enabled: false, file: 'topics.model.json', threshold: 0.8, max_reasons: 5 });
    expect(off.secondOpinion).toBeUndefined();
    const missing = loadConfig({ configPath: write('classify: { model: { enabled: true } }\n') }, {});
    expect(missing.secondOpinion).toBeUndefined();
    const file = write('classify: { model: { enabled: true, threshold: 0.9 } }\n');
    fs.copyFileSync(path.join(dir, 'm.json'), path.join(path.dirname(file), 'topics.model.json'));
    const on = loadConfig({ configPath: file }, {});
    expect(on.secondOpinion?.threshold).toBe(0.9);
    expect(on.secondOpinion?.model.file.topicIds).toEqual(['security-guarantees', 'frozen-assets', 'nato']);
  });

  it('reports a broken model file and bad keys as configuration errors', () => {
    const file = write('classify: { model: { enabled: true, threshold: 1.5, colour: red } }\n');
    expect(() => loadConfig({ configPath: file }, {})).toThrow(ConfigError);
    const broken = write('classify: { model: { enabled: true } }\n');
    fs.writeFileSync(path.join(path.dirname(broken), 'topics.model.json'), '{"format":"something else"}');
    expect(() => loadConfig({ configPath: broken }, {})).toThrow(/topics\.model\.json.*not a usable model/);
  });
});
