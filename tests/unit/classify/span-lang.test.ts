// One span, one count, and the language of an article that comes without one: the same text scores the same with
// and without `lang`, a word matched by several language lists (or by a term and a group) counts once, and
// detectLang reads the labelled sets right with their `lang` removed.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classify, explain, fieldsOf, formatExplain } from '../../../src/classify/classify.js';
import { detectLang } from '../../../src/classify/detect-lang.js';
import { readManifest } from '../../../src/classify/eval-sets.js';
import { itemInput, parseEvalSet } from '../../../src/classify/evaluate.js';
import { loadTopics } from '../../../src/classify/load.js';
import { tokenize } from '../../../src/classify/tokenize.js';
import { compileOk } from './helpers.js';

const root = new URL('../../../', import.meta.url);
const shipped = loadTopics(fs.readFileSync(new URL('config/topics.yml', root), 'utf8'), 'config/topics.yml').matcher;
const detect = (...texts: string[]) => detectLang(texts.map((t) => tokenize(t)));

describe('one span, one count', () => {
  const title = 'Rutte: NATO allies must spend more on defence';
  const text = 'NATO Secretary General Mark Rutte told allies in Brussels that the alliance needs more air defence.';

  it('a NATO headline without lang scores what it scores with lang: en (the issue\'s 50.5 vs 22.5)', () => {
    const en = classify({ title, text, lang: 'en' }, shipped);
    const none = classify({ title, text }, shipped);
    expect(none.map((x) => [x.topicId, x.score])).toEqual(en.map((x) => [x.topicId, x.score]));
  });

  it('counts "Rutte" once per field even when the language is not detected (three lists hold it)', () => {
    // No function word at all: detection gives up, every list applies, and the span still counts once.
    const short = { title: 'Rutte: NATO allies', text: '' };
    expect(detect(short.title)).toBe('');
    const ev = classify(short, shipped).find((x) => x.topicId === 'nato')!.evidence;
    expect(ev.filter((e) => e.matched === 'Rutte')).toHaveLength(1);
    expect(ev.filter((e) => e.matched === 'allies')).toHaveLength(1);
    const withEn = classify({ ...short, lang: 'en' }, shipped).find((x) => x.topicId === 'nato')!;
    expect(classify(short, shipped).find((x) => x.topicId === 'nato')!.score).toBe(withEn.score);
  });

  it('a span matched by a term and by a group counts once, at the best weight', () => {
    const m = compileOk(`topics:
  - id: t
    threshold: 1
    fields: {title: 1, lead: 1, body: 1}
    terms:
      - {term: frozen, weight: 1}
      - all: [frozen, assets]
        within: 2
        weight: 1.5`);
    const r = classify({ title: 'frozen assets' , text: '' }, m)[0];
    // frozen 1.5 (group beats the term's 1) + assets 1.5; before: 1 + 1.5 + 1.5.
    expect(r.score).toBe(3);
    expect(r.evidence.map((e) => [e.matched, e.weight])).toEqual([['frozen', 1.5], ['assets', 1.5]]);
  });

  it('a term repeated in a field still counts once; different spans of different terms still add up', () => {
    const m = compileOk(`topics: [{id: t, threshold: 1, fields: {title: 1, lead: 1, body: 1}, terms: [alpha, beta]}]`);
    expect(classify({ title: 'alpha alpha beta', text: '' }, m)[0].score).toBe(2);
  });

  it('explain says which language it read an unlabelled article in', () => {
    const out = formatExplain(explain({ id: 'x', title, text }, shipped));
    expect(out.split('\n')[0]).toBe(`x [en, detected]: ${title}`);
  });
});

describe('detectLang', () => {
  it('tells the five languages apart from function words and letters', () => {
    expect(detect('The EU agreed on the use of the money for Kyiv')).toBe('en');
    expect(detect('Die EU einigt sich auf die Nutzung der Gelder für die Ukraine')).toBe('de');
    expect(detect("L'UE s'accorde sur l'utilisation des avoirs pour la défense de l'Ukraine")).toBe('fr');
    expect(detect('Зеленський: гарантії безпеки для України мають бути юридично зобов’язуючими')).toBe('uk');
    expect(detect('Финляндия официально вступила в НАТО, это подтвердили в Хельсинки')).toBe('ru');
  });

  it('gives "" when the evidence is missing or split (every list applies, as before)', () => {
    expect(detect('')).toBe('');
    expect(detect('Euroclear 2025')).toBe('');
    expect(detect('NATO Gipfel summit')).toBe('');
    expect(detect('Polska i Litwa: wspólne ćwiczenia wojskowe')).toBe('');
  });

  it('reads ≥ 97 % of the labelled sets right with lang removed, and none wrong', () => {
    const dir = new URL('tests/fixtures/classify/', root).pathname;
    let right = 0;
    let total = 0;
    const wrong: string[] = [];
    for (const s of readManifest(dir)) {
      for (const it of parseEvalSet(fs.readFileSync(dir + s.file, 'utf8'))) {
        const f = fieldsOf(itemInput(it));
        const got = detectLang([tokenize(f.title), tokenize(f.lead), tokenize(f.body)]);
        total++;
        if (got === it.lang) right++;
        else if (got !== '') wrong.push(`${it.id}→${got}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(right / total).toBeGreaterThanOrEqual(0.97);
  });
});

describe('body-only evidence', () => {
  const m = compileOk(`topics: [{id: t, threshold: 4, terms: [{term: security guarantees, weight: 3}]}]`);
  const lead = 'Ministers met in Brussels on Tuesday.';

  it('one passing mention in the body does not pass; the body coming back to it in another sentence does', () => {
    expect(classify({ title: 'Budget talks', text: `${lead}\n\nThey also touched on security guarantees.` }, m)).toEqual([]);
    const r = classify({ title: 'Budget talks', text: `${lead}\n\nSecurity guarantees were the main point. The security guarantees would last ten years.` }, m);
    expect(r.map((x) => [x.topicId, x.score])).toEqual([['t', 4.5]]);
    expect(r[0].evidence.map((e) => [e.field, e.weight])).toEqual([['body', 3], ['body', 1.5]]);
  });

  it('the repeat counts once, and only across sentences', () => {
    expect(classify({ title: 'x', text: `${lead}\n\nSecurity guarantees, security guarantees and security guarantees.` }, m)).toEqual([]);
    const three = classify({ title: 'x', text: `${lead}\n\nSecurity guarantees. Security guarantees. Security guarantees.` }, m);
    expect(three[0].score).toBe(4.5);
  });
});
