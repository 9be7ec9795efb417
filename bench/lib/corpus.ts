// A generated news corpus for load tests: N articles of varied length and vocabulary across F feeds, a share of them
// on one of the tracked topics (NATO, frozen Russian assets, security guarantees for Ukraine). Seeded: the same
// arguments give the same corpus. Each article's publication time is stamped the first time a feed lists it
// (`published` is a getter), so publish → stored latency counts from when a poller could first see the item.
import type { SiteArticle, SiteFeed } from './news-site.js';

export const WORDS = (
  'government minister council report week city region market prices energy budget vote parliament court police ' +
  'school hospital storm rain heat river bridge rail airport company workers union strike talks plan deal law tax ' +
  'election campaign party leader opposition survey data growth inflation bank rates trade exports imports farm ' +
  'harvest water museum festival film music team season coach match league players fans stadium science study ' +
  'researchers climate emissions forest wildlife coast tourism hotel housing rent mayor district transport bus'
).split(' ');

export const ON_TOPIC: { topic: string; titles: string[]; sentences: string[] }[] = [
  {
    topic: 'nato',
    titles: ['NATO allies agree new defence spending target', 'NATO summit weighs eastern flank reinforcements', 'Alliance defence ministers meet at NATO headquarters'],
    sentences: [
      'NATO leaders agreed to raise defence spending as the alliance reinforced its eastern flank.',
      'The North Atlantic Treaty Organization said Article 5 remained the core of collective defence.',
      'Allies at the NATO summit discussed air defence for members bordering Russia.',
    ],
  },
  {
    topic: 'frozen-assets',
    titles: ['EU weighs reparations loan backed by frozen Russian assets', 'Euroclear profits from immobilised Russian assets fund Ukraine aid'],
    sentences: [
      'European finance ministers discussed a reparations loan for Ukraine financed by frozen Russian central bank assets held at Euroclear.',
      'Windfall profits on immobilised Russian sovereign assets already fund military aid to Ukraine.',
    ],
  },
  {
    topic: 'security-guarantees',
    titles: ['Coalition of the willing outlines security guarantees for Ukraine', 'Kyiv seeks binding security guarantees before any ceasefire'],
    sentences: [
      'The coalition of the willing set out security guarantees for Ukraine after a ceasefire with Russia.',
      'Kyiv insisted that any peace deal include binding security guarantees and a multinational reassurance force for Ukraine.',
    ],
  },
];

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Corpus {
  articles: SiteArticle[];
  feeds: SiteFeed[];
  /** slug → topic for the on-topic share. */
  onTopic: Map<string, string>;
  /** slug → when a feed first listed it (ms). */
  firstListed: Map<string, number>;
}

export function generateCorpus(opts: { articles: number; feeds: number; seed?: number; onTopicShare?: number }): Corpus {
  const r = rng(opts.seed ?? 42);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const sentence = () => {
    const n = 10 + Math.floor(r() * 18);
    const w = Array.from({ length: n }, () => pick(WORDS));
    return `${w[0][0].toUpperCase()}${w[0].slice(1)} ${w.slice(1).join(' ')}.`;
  };
  const firstListed = new Map<string, number>();
  const onTopic = new Map<string, string>();
  const articles: SiteArticle[] = [];
  for (let i = 0; i < opts.articles; i++) {
    const slug = `story-${i}`;
    const t = r() < (opts.onTopicShare ?? 0.2) ? pick(ON_TOPIC) : undefined;
    const paragraphs = Array.from({ length: 4 + Math.floor(r() * 9) }, () => Array.from({ length: 2 + Math.floor(r() * 4) }, sentence).join(' '));
    if (t) {
      onTopic.set(slug, t.topic);
      paragraphs.splice(0, 0, pick(t.sentences));
      paragraphs.splice(2, 0, pick(t.sentences));
    }
    const title = t ? `${pick(t.titles)} (${i})` : `${sentence().slice(0, 60).replace(/\.$/, '')} (${i})`;
    const a: SiteArticle = { slug, title, paragraphs, siteName: `Desk ${i % 17}` };
    // Publication time = the first time any feed lists the article (news-site reads `published` when it renders).
    Object.defineProperty(a, 'published', {
      enumerable: true,
      get: () => new Date(firstListed.get(slug) ?? (firstListed.set(slug, Date.now()), Date.now())).toISOString(),
    });
    articles.push(a);
  }
  const feeds: SiteFeed[] = Array.from({ length: opts.feeds }, (_, f) => ({
    path: `/feeds/f${f}.xml`,
    title: `Feed ${f}`,
    slugs: articles.filter((_, i) => i % opts.feeds === f).map((a) => a.slug),
  }));
  return { articles, feeds, onTopic, firstListed };
}
