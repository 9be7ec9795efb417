// The rule language, construct by construct: a small topics.yml per case, texts that must and must not match.
import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/classify/classify.js';
import { checkOffsets, compileOk, ids } from './helpers.js';

interface Case {
  name: string;
  yaml: string;
  /** [title, text?, lang?] */
  yes: [string, string?, string?][];
  no: [string, string?, string?][];
}

const flat = 'fields: {title: 1, lead: 1, body: 1}';

const CASES: Case[] = [
  {
    name: 'whole-word default: "well" does not match "wellness"',
    yaml: `topics: [{id: t, terms: [well]}]`,
    yes: [['Well, that went badly'], ['All is WELL']],
    no: [['Wellness retreats boom'], ['Farewell to arms']],
  },
  {
    name: 'whole-word holds with stemming on too',
    yaml: `topics: [{id: t, stem: true, terms: {en: [well, guarantee]}}]`,
    yes: [['Doing well', '', 'en'], ['New guarantees', '', 'en']],
    no: [['Wellness retreats boom', '', 'en'], ['Guaranteeing nothing', '', 'en']],
  },
  {
    name: 'prefix term word*',
    yaml: `topics: [{id: t, terms: ["актив*", "well*"]}]`,
    yes: [['Заморожені активами'], ['Wellness retreats']],
    no: [['Акт про репарації'], ['We will']],
  },
  {
    name: 'prefix inside a phrase',
    yaml: `topics: [{id: t, terms: ["східн* фланг*"]}]`,
    yes: [['НАТО зміцнює східний фланг'], ['на східному фланзі та східному флангу']],
    no: [['східний кордон']],
  },
  {
    name: 'phrase: consecutive words only',
    yaml: `topics: [{id: t, terms: [coalition of the willing]}]`,
    yes: [['The coalition of the willing meets'], ['Coalition-of-the-willing talks']],
    no: [['A coalition of countries willing to help'], ['the willing coalition']],
  },
  {
    name: 'weights and threshold',
    yaml: `topics: [{id: t, threshold: 3, ${flat}, terms: [{term: alpha, weight: 1}, {term: beta, weight: 2}]}]`,
    yes: [['alpha beta'], ['beta', 'alpha']],
    no: [['alpha'], ['beta'], ['alpha alpha alpha alpha']],
  },
  {
    name: 'negative weights subtract',
    yaml: `topics: [{id: t, threshold: 2, ${flat}, terms: [{term: assets, weight: 2}, {term: oligarch, weight: -3}]}]`,
    yes: [['Frozen assets']],
    no: [['Frozen assets of an oligarch']],
  },
  {
    name: 'field weights: a title term counts more than a body term',
    yaml: `topics: [{id: t, threshold: 3, fields: {title: 3, lead: 2, body: 1}, terms: [euroclear]}]`,
    yes: [['Euroclear profits'], ['Markets', 'Euroclear said.\n\nMore.'] /* lead: 2 — no */].slice(0, 1) as [string, string?][],
    no: [['Markets', 'First paragraph.\n\nEuroclear in the body.'], ['Markets', 'Euroclear in the lead.']],
  },
  {
    name: '"about", not a mention: a group restricted to title and lead',
    yaml: `topics: [{id: t, all: [{any: [NATO], in: [title, lead]}]}]`,
    yes: [['NATO summit'], ['Summit', 'NATO leaders met.\n\nMore.']],
    no: [['Summit', 'Leaders met.\n\nNATO was also mentioned.']],
  },
  {
    name: 'any / all / none, nested',
    yaml: `topics: [{id: t, all: [{any: [frozen, immobilised]}, {any: [assets, {all: [central, bank]}]}], none: [food]}]`,
    yes: [['Frozen assets'], ['Immobilised funds of the central bank']],
    no: [['Frozen assets of a food company'], ['Frozen peas'], ['Central bank assets'], ['Frozen central funds']],
  },
  {
    name: 'proximity: within N words',
    yaml: `topics: [{id: t, all: [frozen, assets], within: 2}]`,
    yes: [['Frozen Russian assets'], ['assets remain frozen'], ['assets that are frozen']],
    no: [['Frozen lakes and other natural assets'], ['Frozen', 'assets']],
  },
  {
    name: 'proximity: same sentence',
    yaml: `topics: [{id: t, all: [{any: [frozen]}, {any: [assets]}], within: sentence}]`,
    yes: [['The EU keeps the frozen central bank assets of Russia in Belgium for now']],
    no: [['Prices are frozen. Assets rise.'], ['Prices are frozen', 'assets rise']],
  },
  {
    name: 'proximity with an excluded neighbour ("7.62 NATO")',
    yaml: `topics: [{id: t, terms: [{all: [{any: ["=NATO"]}, {none: ["7.62*", rounds]}], within: 2}]}]`,
    yes: [['NATO allies meet'], ['7.62 rounds were seized in the port; NATO allies meet later']],
    no: [['Police seize 7.62 NATO rounds'], ['Box of 7.62x51mm NATO']],
  },
  {
    name: 'exact case: acronym vs name',
    yaml: `topics: [{id: t, terms: ["=NATO", {term: REPO Act, case: true}]}]`,
    yes: [['NATO summit'], ['The REPO Act passed']],
    no: [['Nato Vachnadze'], ['nato'], ['repo act']],
  },
  {
    name: 'case- and accent-insensitive by default',
    yaml: `topics: [{id: t, terms: [garanties de sécurité, Übergewinne]}]`,
    yes: [['GARANTIES DE SECURITE'], ['Garanties de Sécurité'], ['Ubergewinne'], ['ÜBERGEWINNE'], ['Garanties de se\u0301curite\u0301']],
    no: [['garantie de sécurité']],
  },
  {
    name: 'ё/е and apostrophes (’ \' ʼ)',
    yaml: `topics: [{id: t, terms: ["ещё", "об'єкт", "п’ять"]}]`,
    yes: [['Ещё раз'], ['еще раз'], ['Об’єкт'], ['обʼєкт'], ["п'ять"], ['пʼять']],
    no: [['об єкт'], ['єкт']],
  },
  {
    name: "French elision: l'OTAN, d'Ukraine",
    yaml: `topics: [{id: t, terms: ["=OTAN", Ukraine]}]`,
    yes: [["Le sommet de l'OTAN"], ['Sommet de l’OTAN'], ["Aide d'Ukraine"]],
    no: [['Le sommet']],
  },
  {
    name: 'English possessive: Russia’s',
    yaml: `topics: [{id: t, terms: [Russia]}]`,
    yes: [["Russia's assets"], ['Russia’s assets']],
    no: [['Russian assets']],
  },
  {
    name: 'German compounds and hyphens',
    yaml: `topics: [{id: t, stem: true, terms: {de: [Sicherheitsgarantie, Vermögenswerte, Gipfel]}}]`,
    yes: [['Sicherheitsgarantien für Kyjiw', '', 'de'], ['Russische Vermögenswerten', '', 'de'], ['Nato-Gipfel in Den Haag', '', 'de'], ['Vermögenswertes', '', 'de']],
    no: [['Sicherheit', '', 'de'], ['Vermögen', '', 'de']],
  },
  {
    name: 'Ukrainian stemming: активи / активів / активами, гарантії / гарантій / гарантіями',
    yaml: `topics: [{id: t, stem: true, terms: {uk: [активи, гарантії безпеки]}}]`,
    yes: [['Заморожені активи', '', 'uk'], ['Доля активів', '', 'uk'], ['З активами', '', 'uk'], ['Гарантій безпеки', '', 'uk'], ['Гарантіями безпеки', '', 'uk'], ['гарантія безпеки', '', 'uk']],
    no: [['Активісти', '', 'uk'], ['Гарантії миру', '', 'uk']],
  },
  {
    name: 'Russian stemming: активы / активов / активами; ё',
    yaml: `topics: [{id: t, stem: true, terms: {ru: [замороженные активы]}}]`,
    yes: [['Замороженных активов', '', 'ru'], ['замороженными активами', '', 'ru'], ['Заморожённые активы', '', 'ru']],
    no: [['Замороженные счета', '', 'ru']],
  },
  {
    name: 'French plurals: garantie / garanties, avoir gelé / avoirs gelés',
    yaml: `topics: [{id: t, stem: true, terms: {fr: [garantie de sécurité, avoir gelé]}}]`,
    yes: [['Des garanties de sécurité', '', 'fr'], ['Les avoirs gelés', '', 'fr'], ['Avoirs gelées', '', 'fr']],
    no: [['Garantie de prix', '', 'fr']],
  },
  {
    name: 'a word in another script inside a stemmed list still matches (Euroclear in the uk list)',
    yaml: `topics: [{id: t, stem: true, terms: {uk: [Euroclear, активи], en: [НАТО]}}]`,
    yes: [['Euroclear заробив', '', 'uk'], ['Euroclear', ''], ['НАТО', '', 'en'], ['Активів', '', 'uk']],
    no: [['Euroclears', '', 'uk']],
  },
  {
    name: 'per-language lists apply to their language (all when unknown)',
    yaml: `topics: [{id: t, terms: {de: [Nato], en: ["=NATO"]}}]`,
    yes: [['Nato-Gipfel', '', 'de'], ['NATO summit', '', 'en'], ['Nato-Gipfel'], ['Nato summit', '', 'fr']],
    no: [['Nato Vachnadze', '', 'en']],
  },
  {
    name: 'named term list reused by two topics',
    yaml: `lists: {ukraine: [Ukrain*, Kyiv, Київ*]}\ntopics: [{id: t, terms: ["@ukraine"]}, {id: u, all: [{list: ukraine}, guarantees]}]`,
    yes: [['Ukrainian grain'], ['Київ']],
    no: [['Russian grain']],
  },
];

describe('rule language', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const m = compileOk(c.yaml);
      for (const [title, text, lang] of c.yes) expect(ids(m, title, text, lang), `should match: ${title} | ${text ?? ''}`).toContain('t');
      for (const [title, text, lang] of c.no) expect(ids(m, title, text, lang), `should not match: ${title} | ${text ?? ''}`).not.toContain('t');
    });
  }

  it('list reuse: the second topic uses the same list', () => {
    const m = compileOk(`lists: {ukraine: [Ukrain*, Kyiv]}\ntopics: [{id: t, terms: ["@ukraine"]}, {id: u, all: [{list: ukraine}, guarantees]}]`);
    expect(ids(m, 'Kyiv wants guarantees').sort()).toEqual(['t', 'u']);
  });

  it('results are sorted by score and carry the threshold', () => {
    const m = compileOk(`topics: [{id: a, terms: [x]}, {id: b, terms: [{term: x, weight: 2}, y]}]`);
    const r = classify({ title: 'x y', text: '' }, m);
    expect(r.map((x) => x.topicId)).toEqual(['b', 'a']);
    expect(r[0]).toMatchObject({ threshold: 1, score: 9 });
  });
});

describe('evidence', () => {
  it('records rule, term, field, offsets, matched text and weight', () => {
    const m = compileOk(`topics:\n  - id: t\n    stem: true\n    terms:\n      en: [{term: frozen assets, weight: 2}]\n      fr: [OTAN]\n`);
    const input = { title: 'EU to use frozen assets', text: "Lead about l'OTAN.\n\nBody: Frozen Assets again.", lang: 'en' };
    const r = classify(input, m);
    expect(r).toHaveLength(1);
    checkOffsets(input, r);
    expect(r[0].evidence).toEqual([
      { rule: 'terms.en[0]', term: 'frozen assets', field: 'title', start: 10, end: 23, matched: 'frozen assets', weight: 6 },
      { rule: 'terms.en[0]', term: 'frozen assets', field: 'body', start: 6, end: 19, matched: 'Frozen Assets', weight: 2 },
    ]);
    expect(r[0].score).toBe(8);
  });

  it('offsets survive elision, apostrophes and non-Latin text', () => {
    const m = compileOk(`topics: [{id: t, stem: true, terms: {uk: ["об'єкт*", гарантії безпеки], fr: [OTAN]}}]`);
    for (const input of [
      { title: 'Нові гарантіями безпеки — і обʼєкти', text: '', lang: 'uk' },
      { title: "Sommet de l’OTAN à Vilnius", text: "Rencontre à l'OTAN", lang: 'fr' },
    ]) {
      const r = classify(input, m);
      expect(r).toHaveLength(1);
      checkOffsets(input, r);
    }
  });

  it('an explicit lead is used as given', () => {
    const m = compileOk(`topics: [{id: t, threshold: 2, terms: [x]}]`);
    const input = { title: 'T', lead: 'x here', text: 'x here\n\nrest' };
    const r = classify(input, m);
    expect(r[0].evidence[0]).toMatchObject({ field: 'lead', start: 0, end: 1 });
  });
});

describe('any text in, no throw', () => {
  it('random strings of mixed scripts, punctuation and apostrophes classify without error, offsets valid', async () => {
    const { loadTopics } = await import('../../../src/classify/load.js');
    const fs = await import('node:fs');
    const m = loadTopics(fs.readFileSync(new URL('../../../config/topics.yml', import.meta.url), 'utf8'), 'config/topics.yml').matcher;
    const alphabet = ["a", "Z", "é", "ß", "ё", "Ї", "й", "\u0306", "'", "’", "ʼ", "`", "*", "-", ".", ",", "7", " ", "\n", "\n\n", "NATO", "НАТО", "l'", "l’OTAN", "гарантії безпеки", "\uD83D\uDE00", "\uD800", "\u0000", "Euroclear"];
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let k = 0; k < 300; k++) {
      let s = '';
      const len = Math.floor(rnd() * 60);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      for (const lang of [undefined, 'en', 'uk', 'fr', 'xx']) {
        const input = { title: s.slice(0, 20), text: s, ...(lang ? { lang } : {}) };
        const r = classify(input, m);
        checkOffsets(input, r);
      }
    }
  });
});
