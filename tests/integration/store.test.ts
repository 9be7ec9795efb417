// The store's contract, run against both SQLite and the real PostgreSQL on the machine.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORES, sqliteStore, type TestStore } from '../support/stores.js';
import { getFeed, listFeeds, recordPoll, upsertFeeds } from '../../src/store/feeds.js';
import { countItemsByState, discoveredItems, getItem, recordItems, recordItemsIn, stuckItems } from '../../src/store/items.js';
import { countArticles, entriesForPeriod, getArticle, iterateArticles, matchesFor, replaceMatches, saveArticle, saveArticleIn } from '../../src/store/articles.js';
import { possibleFor } from '../../src/store/possible.js';
import { getDigest, listDigests, putDigest } from '../../src/store/digests.js';
import type { Article, PossibleMatch, TopicMatch } from '../../src/model.js';

const T0 = '2026-11-26T08:00:00.000Z';
const article: Article = { url: 'https://ex.org/a', canonicalUrl: 'https://ex.org/a', title: 'NATO summit', text: 'Allies met.\n\nMore.', via: 'readability', lang: 'en', siteName: 'Example' };
const match: TopicMatch = { topicId: 'nato', score: 5, threshold: 3, evidence: [{ rule: 'any[0]', term: 'NATO', field: 'title', start: 0, end: 4, matched: 'NATO', weight: 3 }] };

describe.each(STORES)('store on %s', (_name, open) => {
  let s: TestStore;
  beforeEach(async () => { s = await open(); });
  afterEach(async () => { await s.cleanup(); });

  it('upserts feeds without resetting poll state', async () => {
    await upsertFeeds(s.handle.db, [{ id: 'f1', url: 'https://ex.org/rss' }], T0);
    await recordPoll(s.handle.db, 'f1', { lastPollAt: T0, status: 200, etag: '"x"', success: true, consecutiveFailures: 0, nextPollAt: T0, intervalS: 900 });
    await upsertFeeds(s.handle.db, [{ id: 'f1', url: 'https://ex.org/rss2', title: 'Renamed' }], T0);
    const f = await getFeed(s.handle.db, 'f1');
    expect(f).toMatchObject({ url: 'https://ex.org/rss2', title: 'Renamed', etag: '"x"', polls: 1 });
    await recordPoll(s.handle.db, 'f1', { lastPollAt: T0, status: 500, success: false, error: 'fetch: 500', consecutiveFailures: 1, nextPollAt: T0, intervalS: 900 });
    const g = (await listFeeds(s.handle.db))[0];
    expect(g).toMatchObject({ etag: '"x"', last_error: 'fetch: 500', consecutive_failures: 1, polls: 2 });
  });

  it('records an item once across feeds and polls, and marks edits', async () => {
    const it1 = { id: 'i1', canonicalUrl: 'https://ex.org/a', contentHash: 'h1', item: { title: 'A', url: 'https://ex.org/a' } };
    expect(await recordItems(s.handle.db, 'f1', [it1], T0)).toEqual({ created: ['i1'], edited: [] });
    for (let n = 0; n < 10; n++) expect(await recordItems(s.handle.db, n % 2 ? 'f1' : 'f2', [it1], T0)).toEqual({ created: [], edited: [] });
    // Not yet stored: an edit while discovered just waits for its job.
    await saveArticle(s.handle.db, 'i1', article, 'h1', [match], T0);
    expect(await recordItems(s.handle.db, 'f1', [{ ...it1, contentHash: 'h2' }], T0)).toEqual({ created: [], edited: ['i1'] });
    expect((await getItem(s.handle.db, 'i1'))?.state).toBe('discovered');
    expect(await countItemsByState(s.handle.db)).toEqual({ discovered: 1 });
  });

  it('saves article + matches atomically and idempotently; replaces matches', async () => {
    await recordItems(s.handle.db, 'f1', [{ id: 'i1', contentHash: 'h1', item: { title: 'A', url: 'https://ex.org/a' } }], T0);
    await saveArticle(s.handle.db, 'i1', article, 'h1', [match], T0);
    await saveArticle(s.handle.db, 'i1', article, 'h1', [match], T0);
    expect(await getArticle(s.handle.db, 'i1')).toMatchObject({ title: 'NATO summit', via: 'readability' });
    expect(await matchesFor(s.handle.db, 'i1')).toEqual([match]);
    await replaceMatches(s.handle.db, 'i1', [{ ...match, topicId: 'frozen-assets' }], T0);
    expect((await matchesFor(s.handle.db, 'i1')).map((m) => m.topicId)).toEqual(['frozen-assets']);
    expect(await countArticles(s.handle.db, '2026-01-01')).toBe(1);
    const all = [];
    for await (const a of iterateArticles(s.handle.db, '2026-01-01', 1)) all.push(a.itemId);
    expect(all).toEqual(['i1']);
  });

  it('lists digest entries for a period, by score', async () => {
    await upsertFeeds(s.handle.db, [{ id: 'f1', url: 'https://ex.org/rss', title: 'Feed One' }], T0);
    await recordItems(s.handle.db, 'f1', [
      { id: 'i1', contentHash: 'h', item: { title: 'A', url: 'https://ex.org/a' } },
      { id: 'i2', contentHash: 'h', item: { title: 'B', url: 'https://ex.org/b' } },
    ], T0);
    await saveArticle(s.handle.db, 'i1', article, 'h', [match], T0);
    await saveArticle(s.handle.db, 'i2', { ...article, url: 'https://ex.org/b', canonicalUrl: 'https://ex.org/b', siteName: undefined }, 'h', [{ ...match, score: 9 }], '2026-11-26T09:00:00.000Z');
    const e = await entriesForPeriod(s.handle.db, { topicIds: ['nato'], from: '2026-11-26T00:00:00.000Z', to: '2026-11-27T00:00:00.000Z' });
    expect(e.map((x) => [x.itemId, x.score, x.source])).toEqual([['i2', 9, 'Feed One'], ['i1', 5, 'Example']]);
    expect(await entriesForPeriod(s.handle.db, { topicIds: ['nato'], from: T0, to: '2026-11-26T08:30:00.000Z', minScore: 6 })).toEqual([]);
  });

  it('claims a digest period once', async () => {
    const row = { digest_id: 'd', period: '2026-11-26', period_start: T0, period_end: T0, built_at: T0, content: '{}' };
    expect(await putDigest(s.handle.db, row)).toBe(true);
    expect(await putDigest(s.handle.db, { ...row, content: '{"x":1}' })).toBe(false);
    expect((await getDigest(s.handle.db, 'd', '2026-11-26'))?.content).toBe('{}');
    expect(await listDigests(s.handle.db)).toHaveLength(1);
  });

  it('stores text carrying U+0000 from hostile feeds and pages (PostgreSQL text rejects it)', async () => {
    await recordItems(s.handle.db, 'f1', [{ id: 'n1', guidKey: 'f1\u0000g', contentHash: 'h', item: { title: 'Ti\u0000tle', url: 'https://ex.org/\u0000a' } }], T0);
    await saveArticle(s.handle.db, 'n1', { ...article, title: 'A\u0000B', text: 'x\u0000y' }, 'h', [match], T0);
    expect(await getArticle(s.handle.db, 'n1')).toMatchObject({ title: 'AB', text: 'xy' });
    expect((await getItem(s.handle.db, 'n1'))?.title).toBe('Title');
  });

  it('finds items stuck in discovered', async () => {
    await recordItems(s.handle.db, 'f1', [{ id: 'i1', contentHash: 'h', item: { title: 'A' } }], T0);
    expect((await stuckItems(s.handle.db, '2026-11-26T09:00:00.000Z', 10)).map((r) => r.id)).toEqual(['i1']);
    expect(await stuckItems(s.handle.db, T0, 10)).toEqual([]);
  });

  it('lists discovered items, and with `before` only those that went discovered earlier (run --once adopts those)', async () => {
    const T1 = '2026-11-26T09:00:00.000Z';
    await recordItems(s.handle.db, 'f1', [{ id: 'old', contentHash: 'h', item: { title: 'A' } }], T0);
    await recordItems(s.handle.db, 'f1', [{ id: 'new', contentHash: 'h', item: { title: 'B' } }], T1);
    await recordItems(s.handle.db, 'f2', [{ id: 'other', contentHash: 'h', item: { title: 'C' } }], T0);
    expect((await discoveredItems(s.handle.db, ['f1'], 10)).map((r) => r.id)).toEqual(['old', 'new']);
    expect((await discoveredItems(s.handle.db, ['f1'], 10, T1)).map((r) => r.id)).toEqual(['old']);
    expect(await discoveredItems(s.handle.db, ['f1'], 10, T0)).toEqual([]);
  });
});

// On SQLite, recordItems and the poll path run as synchronous prepared statements (store/sqlite-sync); PostgreSQL,
// and a caller's Kysely transaction, take the Kysely path. Both decide with one pure planner but write with their
// own SQL: the same script of polls must leave the same rows and give the same answers through each.
describe('SQLite: the synchronous path writes what the Kysely path writes', () => {
  const script: { feed: string; items: { id: string; contentHash: string; title: string }[]; store?: string[] }[] = [
    { feed: 'f1', items: [{ id: 'a', contentHash: 'h1', title: 'A' }, { id: 'b', contentHash: 'h1', title: 'B' }] },
    { feed: 'f2', items: [{ id: 'a', contentHash: 'h9', title: 'A elsewhere' }, { id: 'c', contentHash: 'h1', title: 'C' }] },
    // Still discovered: f1's edit of `a` waits for its job.
    { feed: 'f1', items: [{ id: 'a', contentHash: 'h2', title: 'A edited' }], store: ['a', 'b'] },
    // Stored now: the same edit counts; f2's own, unchanged hash does not.
    { feed: 'f1', items: [{ id: 'a', contentHash: 'h2', title: 'A edited' }, { id: 'b', contentHash: 'h1', title: 'B' }] },
    { feed: 'f2', items: [{ id: 'a', contentHash: 'h9', title: 'A elsewhere' }, { id: 'a', contentHash: 'h9', title: 'A twice' }] },
  ];

  async function play(viaKysely: boolean) {
    const s = await sqliteStore();
    try {
      const answers = [];
      for (const [n, step] of script.entries()) {
        const at = `2026-11-26T08:0${n}:00.000Z`;
        const items = step.items.map((i) => ({ id: i.id, contentHash: i.contentHash, item: { title: i.title, url: `https://ex.org/${i.id}` } }));
        answers.push(viaKysely
          ? await s.handle.db.transaction().execute((tx) => recordItemsIn(tx, step.feed, items, at))
          : await recordItems(s.handle.db, step.feed, items, at));
        for (const id of step.store ?? []) await saveArticle(s.handle.db, id, article, 'h1', [], at);
      }
      const items = await s.handle.db.selectFrom('items').selectAll().orderBy('id').execute();
      const sources = await s.handle.db.selectFrom('item_sources').selectAll().orderBy('item_id').orderBy('feed_id').execute();
      return { answers, items, sources };
    } finally {
      await s.cleanup();
    }
  }

  it('same answers, same items and item_sources rows', async () => {
    const sync = await play(false);
    const kysely = await play(true);
    expect(sync.answers.map((a) => a.edited)).toEqual([[], [], [], ['a'], []]);
    expect(sync).toEqual(kysely);
  });
});

describe('SQLite: saveArticle, synchronous and through Kysely, writes the same rows', () => {
  const evidence = match.evidence;
  const script: { item: string; article: Article; matches: TopicMatch[]; possible?: PossibleMatch[] }[] = [
    { item: 'i1', article, matches: [match, { ...match, topicId: 'frozen-assets', score: 4 }], possible: [{ topicId: 'guarantees', score: 0.8, reasons: [{ word: 'security', weight: 1.2 }] }] },
    { item: 'i2', article: { ...article, url: 'https://ex.org/b', byline: 'A. Writer', html: '<p>Allies met.</p>' }, matches: [] },
    // A re-run of i1: one match dropped, one changed; possible matches not given are left as they are.
    { item: 'i1', article: { ...article, title: 'NATO summit, updated' }, matches: [{ ...match, score: 7, evidence }] },
    { item: 'i1', article, matches: [match], possible: [] },
  ];

  async function play(viaKysely: boolean) {
    const s = await sqliteStore();
    try {
      await recordItems(s.handle.db, 'f1', ['i1', 'i2'].map((id) => ({ id, contentHash: 'h1', item: { title: id, url: `https://ex.org/${id}` } })), T0);
      const seen = [];
      for (const [n, step] of script.entries()) {
        const at = `2026-11-26T09:0${n}:00.000Z`;
        if (viaKysely) await s.handle.db.transaction().execute((tx) => saveArticleIn(tx, step.item, step.article, 'h1', step.matches, at, step.possible));
        else await saveArticle(s.handle.db, step.item, step.article, 'h1', step.matches, at, step.possible);
        seen.push({ matches: await matchesFor(s.handle.db, 'i1'), possible: await possibleFor(s.handle.db, 'i1') });
      }
      const rows = async (t: 'articles' | 'matches' | 'possible_matches' | 'items') => s.handle.db.selectFrom(t).selectAll().execute();
      return { seen, articles: await rows('articles'), matches: await rows('matches'), possible: await rows('possible_matches'), items: await rows('items') };
    } finally {
      await s.cleanup();
    }
  }

  it('same rows after a script of saves and re-runs', async () => {
    const sync = await play(false);
    expect(sync.seen.map((x) => x.possible.length)).toEqual([1, 1, 1, 0]);
    expect(sync.articles.find((a) => a.item_id === 'i1')).toMatchObject({ stored_at: '2026-11-26T09:00:00.000Z', updated_at: '2026-11-26T09:03:00.000Z' });
    expect(sync).toEqual(await play(true));
  });
});
