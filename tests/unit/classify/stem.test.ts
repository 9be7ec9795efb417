// The light stemmers against full paradigms of the topics' key words (tests/fixtures/classify/inflections.json):
// every form of a row should stem like its first form. Measured before this test: uk 107/115, ru 107/113,
// de 37/47, fr 28/32; the forms still missed are stem alternations (безпека → безпеці) that terms list explicitly.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stem, type StemLang } from '../../../src/classify/stem.js';
import { fold } from '../../../src/classify/tokenize.js';

const list = JSON.parse(fs.readFileSync(new URL('../../fixtures/classify/inflections.json', import.meta.url), 'utf8')) as Record<StemLang, string[][]>;

function measure(lang: StemLang): { ok: number; total: number; missed: string[] } {
  let ok = 0;
  let total = 0;
  const missed: string[] = [];
  for (const row of list[lang]) {
    const s0 = stem(lang, fold(row[0]));
    for (const w of row) {
      total++;
      if (stem(lang, fold(w)) === s0) ok++;
      else missed.push(w);
    }
  }
  return { ok, total, missed };
}

describe('stemmers on the inflection list', () => {
  it.each([
    ['uk', ['безпеці', "зобов'язань", 'безпекові']],
    ['ru', []],
    ['de', []],
    ['fr', []],
  ] as [StemLang, string[]][])('%s: every form but the known alternations stems like its lemma', (lang, known) => {
    const r = measure(lang);
    expect(r.total).toBeGreaterThan(20);
    expect(r.missed).toEqual(known);
  });

  it('does not over-strip: different words keep different stems', () => {
    expect(stem('de', 'bundnis')).not.toBe(stem('de', 'bund'));
    expect(stem('ru', fold('гарантиям'))).toBe(stem('ru', fold('гарантия')));
    expect(stem('fr', fold('alliées'))).toBe(stem('fr', fold('allié')));
    expect(stem('fr', fold('gel'))).not.toBe(stem('fr', fold('gelée')));
  });
});
