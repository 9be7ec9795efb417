// Possible matches end to end on both stores (issue 14): the article pipeline records what the second-opinion model
// flags among rule misses — apart from matches, never for a topic the rules matched — and the digest shows them
// under "Possibly relevant" without counting them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORES, type TestStore } from '../support/stores.js';
import { loadTopics } from '../../src/classify/load.js';
import { trainModel } from '../../src/classify/model/train.js';
import { parseModel } from '../../src/classify/model/types.js';
import type { SecondOpinion } from '../../src/classify/model/possible.js';
import type { Extractor } from '../../src/extract/pool.js';
import type { Fetcher } from '../../src/fetch/client.js';
import { processArticle } from '../../src/pipeline/article.js';
import { matchesFor, replaceMatches } from '../../src/store/articles.js';
import { recordItems } from '../../src/store/items.js';
import { possibleFor, possibleForPeriod } from '../../src/store/possible.js';
import { loadOrBuildDigest } from '../../src/pipeline/digest.js';
import { renderMarkdown } from '../../src/digest/render.js';

const matcher = loadTopics('topics:\n  - id: nato\n    title: NATO\n    terms: [NATO]\n', 'topics.yml').matcher;
const TRAIN = [
  { id: 'p1', title: 'NATO allies agree defence spending target at summit', topics: ['nato'] },
  { id: 'p2', title: 'Alliance summit in The Hague: allies back eastern flank', topics: ['nato'] },
  { id: 'p3', title: 'Allies pledge air defence at alliance summit', topics: ['nato'] },
  { id: 'p4', title: 'Alliance chief urges allies to spend more on defence', topics: ['nato'] },
  { id: 'n1', title: 'Bakery prices rise again this winter', topics: [] },
  { id: 'n2', title: 'Football club wins the cup final', topics: [] },
  { id: 'n3', title: 'Train strike delays commuters in the region', topics: [] },
  { id: 'n4', title: 'New museum opens with modern art exhibition', topics: [] },
];
const secondOpinion: SecondOpinion = { model: parseModel(JSON.stringify(trainModel(TRAIN, ['nato']))), threshold: 0.6, maxReasons: 3 };
// Items without a link take the feed's content: neither fetcher nor extractor may be called.
const never = new Proxy({}, { get: () => () => { throw new Error('not expected in this test'); } });
const deps = (s: TestStore, at: string) => ({ db: s.handle.db, fetcher: never as Fetcher, extractor: never as Extractor, matcher, secondOpinion, now: () => new Date(at) });

describe.each(STORES)('possible matches on %s', (_name, open) => {
  let s: TestStore;
  beforeEach(async () => { s = await open(); });
  afterEach(async () => { await s.cleanup(); });

  it('records rule misses the model flags, never a rule match, and shows them apart in the digest', async () => {
    const at = '2026-11-26T08:00:00.000Z';
    await recordItems(s.handle.db, 'f1', [
      { id: 'miss', contentHash: 'h1', item: { title: 'Allies agree at alliance summit to boost air defence', summary: 'Leaders of the alliance met.' } },
      { id: 'hit', contentHash: 'h2', item: { title: 'NATO allies agree at summit to boost air defence', summary: 'Leaders met.' } },
      { id: 'none', contentHash: 'h3', item: { title: 'Bakery prices rise again', summary: 'Bread costs more.' } },
    ], at);
    const miss = await processArticle(deps(s, at), 'miss');
    expect(miss).toMatchObject({ status: 'stored', matches: [], possible: [{ topicId: 'nato' }] });
    expect(await matchesFor(s.handle.db, 'miss')).toEqual([]);
    const [p] = await possibleFor(s.handle.db, 'miss');
    expect(p.score).toBeGreaterThanOrEqual(0.6);
    expect(p.reasons.map((r) => r.word)).toEqual(expect.arrayContaining(['alliance']));

    expect(await processArticle(deps(s, at), 'hit')).toMatchObject({ status: 'stored', possible: [] });
    expect((await matchesFor(s.handle.db, 'hit')).map((m) => m.topicId)).toEqual(['nato']);
    expect(await possibleFor(s.handle.db, 'hit')).toEqual([]);
    expect(await processArticle(deps(s, at), 'none')).toMatchObject({ status: 'stored', matches: [], possible: [] });

    const period = { period: '2026-11-26', start: '2026-11-26T00:00:00.000Z', end: '2026-11-27T00:00:00.000Z' };
    const digest = { id: 'd', title: 'D', schedule: { at: '00:00', tz: 'UTC' }, channels: [{ type: 'files' as const }], min_score: 0, max_items: 20 };
    const { digest: d } = await loadOrBuildDigest({ db: s.handle.db, digest, topics: [{ id: 'nato', title: 'NATO' }] }, period, { store: false, now: new Date(at) });
    expect(d.topics[0].articles.map((a) => a.itemId)).toEqual(['hit']);
    expect(d.counts).toEqual({ stories: 1, articles: 1 });
    expect(d.possiblyRelevant).toMatchObject([{ id: 'nato', articles: [{ itemId: 'miss', title: 'Allies agree at alliance summit to boost air defence' }] }]);
    expect(renderMarkdown(d)).toMatch(/## Possibly relevant[\s\S]*Allies agree at alliance summit[\s\S]*model 0\.\d\d: /);

    // A rule match written later (topics backtest --apply) wins: the possible match is no longer listed.
    await replaceMatches(s.handle.db, 'miss', [{ topicId: 'nato', score: 1, threshold: 1, evidence: [] }], at);
    expect(await possibleForPeriod(s.handle.db, { topicIds: ['nato'], from: period.start, to: period.end })).toEqual([]);
  });
});
