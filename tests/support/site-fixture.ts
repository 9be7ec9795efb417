// The articles of the end-to-end news site: on-topic stories in several languages, the usual confusions, one
// story syndicated by two outlets, and one story listed in two feeds.
import type { SiteArticle, SiteFeed } from '../../bench/lib/news-site.js';

const now = new Date();
const iso = (minAgo: number) => new Date(now.getTime() - minAgo * 60_000).toISOString();

export const ON_TOPIC: Record<string, string[]> = {
  nato: ['nato-hague-summit'],
  'frozen-assets': ['euroclear-reparations-loan', 'eu-vermoegenswerte', 'reparations-loan-wire'],
  'security-guarantees': ['coalition-guarantees', 'koalitsiia-harantii'],
};
export const OFF_TOPIC = ['frozen-food-sales', 'football-cup-final', 'deposit-guarantee-limit'];

export const ARTICLES: SiteArticle[] = [
  {
    slug: 'nato-hague-summit', published: iso(300), siteName: 'World Desk',
    title: 'NATO allies agree to raise defence spending at The Hague summit',
    paragraphs: [
      'NATO leaders meeting in The Hague agreed on Wednesday to raise defence spending to five percent of economic output, the biggest commitment since the end of the Cold War.',
      'The alliance also discussed reinforcing its eastern flank and reaffirmed that Article 5, the collective defence clause, remains the core of the North Atlantic Treaty.',
      'Secretary General Mark Rutte said the allies were united, while diplomats said the question of Ukraine’s membership was left for a later summit.',
    ],
  },
  {
    slug: 'euroclear-reparations-loan', published: iso(240), siteName: 'World Desk',
    title: 'EU moves closer to a reparations loan for Ukraine backed by frozen Russian assets',
    paragraphs: [
      'European Union finance ministers moved closer on Tuesday to a reparations loan for Ukraine financed by immobilised Russian central bank assets held at Euroclear in Brussels.',
      'About 185 billion euros of Russian sovereign assets have been frozen at the Belgian depository since 2022, and the windfall profits they generate already fund military aid.',
      'Belgium has demanded guarantees from other member states before agreeing to use the frozen assets, fearing legal risks if Moscow challenges the decision.',
    ],
  },
  {
    slug: 'reparations-loan-wire', published: iso(200), siteName: 'Europe Wire',
    title: 'EU edges toward reparations loan for Ukraine from frozen Russian assets',
    paragraphs: [
      'European Union finance ministers moved closer on Tuesday to a reparations loan for Ukraine financed by immobilised Russian central bank assets held at Euroclear in Brussels.',
      'About 185 billion euros of Russian sovereign assets have been frozen at the Belgian depository since 2022, and the windfall profits they generate already fund military aid.',
      'Belgium wants guarantees from other member states before agreeing to use the frozen assets, fearing legal risks if Moscow challenges the decision, officials said.',
    ],
  },
  {
    slug: 'eu-vermoegenswerte', lang: 'de', published: iso(180), siteName: 'Europa Nachrichten',
    title: 'EU ringt um eingefrorene russische Vermögenswerte für die Ukraine',
    paragraphs: [
      'Die EU-Staaten ringen weiter um die Nutzung der eingefrorenen russischen Zentralbankgelder, die größtenteils beim Finanzdienstleister Euroclear in Brüssel liegen.',
      'Mit einem Reparationsdarlehen sollen die immobilisierten Vermögenswerte der Ukraine zugutekommen, ohne sie formell zu beschlagnahmen.',
    ],
  },
  {
    slug: 'coalition-guarantees', published: iso(120), siteName: 'World Desk',
    title: 'Coalition of the willing sets out security guarantees for Ukraine after a ceasefire',
    paragraphs: [
      'Leaders of the coalition of the willing met in Paris to set out the security guarantees Ukraine would receive once a ceasefire with Russia takes hold.',
      'The plan includes a multinational reassurance force, long-term military support and commitments modelled on Article 5, officials said.',
      'Kyiv has insisted that any peace deal must include binding security guarantees to prevent a new invasion.',
    ],
  },
  {
    slug: 'koalitsiia-harantii', lang: 'uk', published: iso(100), siteName: 'Новини Європи',
    title: 'Коаліція охочих обговорила гарантії безпеки для України',
    paragraphs: [
      'Лідери коаліції охочих обговорили в Парижі гарантії безпеки для України після припинення вогню.',
      'Йдеться про багатонаціональні сили стримування та довгострокову військову підтримку, заявили учасники зустрічі.',
    ],
  },
  {
    slug: 'frozen-food-sales', published: iso(90), siteName: 'World Desk',
    title: 'Frozen food sales rise as shoppers stock up for winter',
    paragraphs: ['Supermarkets report that sales of frozen vegetables and ready meals rose by a tenth this autumn.', 'Retail analysts expect the trend to continue into the new year.'],
  },
  {
    slug: 'football-cup-final', published: iso(80), siteName: 'World Desk',
    title: 'City win the cup final after extra time',
    paragraphs: ['A late header settled the cup final in front of a sold-out stadium on Saturday.', 'The manager praised his team’s resilience.'],
  },
  {
    slug: 'deposit-guarantee-limit', published: iso(70), siteName: 'Europe Wire',
    title: 'Regulator raises deposit guarantee limit for savers',
    paragraphs: ['The deposit guarantee scheme will now protect savings of up to 100,000 euros per bank, the regulator said.', 'Loan guarantees for small businesses were also extended.'],
  },
];

export const FEEDS: SiteFeed[] = [
  { path: '/feeds/world.xml', title: 'World Desk', slugs: ['nato-hague-summit', 'euroclear-reparations-loan', 'coalition-guarantees', 'frozen-food-sales', 'football-cup-final'] },
  // Lists euroclear-reparations-loan too (with other tracking parameters): one item, one row.
  { path: '/feeds/europe.xml', title: 'Europe Wire', slugs: ['euroclear-reparations-loan', 'reparations-loan-wire', 'eu-vermoegenswerte', 'koalitsiia-harantii', 'deposit-guarantee-limit'] },
  { path: '/feeds/broken.xml', title: 'Broken', slugs: [], mode: 'error500' },
  { path: '/feeds/garbage.xml', title: 'Garbage', slugs: [], mode: 'garbage' },
];
