// The search index kept in step on the write path (SQLite; PostgreSQL's tsvector is generated with the row): an
// article stored by the article pipeline is indexed by the indexer it nudges, and is found by a search that applies
// nothing itself. Without the nudge the same search finds nothing, so the test shows where the indexing happens.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadTopics } from '../../src/classify/load.js';
import { processArticle, type ArticleDeps } from '../../src/pipeline/article.js';
import { createSearchIndexer } from '../../src/pipeline/search-index.js';
import { upsertFeeds } from '../../src/store/feeds.js';
import { recordItems } from '../../src/store/items.js';
import { searchArticles } from '../../src/store/search.js';
import { postgresStore, sqliteStore, type TestStore } from '../support/stores.js';

const matcher = loadTopics(fs.readFileSync('config/topics.yml', 'utf8'), 'config/topics.yml').matcher;
let s: TestStore | undefined;
afterEach(async () => {
  await s?.cleanup();
  s = undefined;
});

/** A feed item without a link: the article path stores the feed's own content (no fetch, no extraction). */
async function storeViaArticlePath(deps: Omit<ArticleDeps, 'fetcher' | 'extractor' | 'matcher'>, id: string, title: string, text: string): Promise<void> {
  await upsertFeeds(deps.db, [{ id: 'world', url: 'https://world.example/rss', title: 'World' }], '2026-01-01T00:00:00.000Z');
  await recordItems(deps.db, 'world', [{ id, contentHash: `h-${id}`, item: { title, contentText: text } }], new Date().toISOString());
  const r = await processArticle({ ...deps, matcher, fetcher: undefined as never, extractor: undefined as never }, id);
  expect(r).toMatchObject({ status: 'stored', via: 'feed' });
}

const pending = async (t: TestStore) => Number((await t.handle.db.selectFrom('search_pending' as never).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow() as { n: number }).n);

describe('search index on the write path', () => {
  it('SQLite: a stored article is indexed right behind the article path, no search-time sync needed', async () => {
    s = await sqliteStore();
    const db = s.handle.db;
    const indexed: number[] = [];
    const searchIndex = createSearchIndexer(db, { delayMs: 5, onIndexed: (r) => indexed.push(r.articles) });

    // Without a nudge, the article is only queued: a search that applies nothing does not find it.
    await storeViaArticlePath({ db }, 'quiet', 'Quarterly zeppelin census', 'Counting zeppelins over Lake Constance this quarter.');
    expect(await pending(s)).toBe(1);
    expect((await searchArticles(db, { query: 'zeppelin' }, { sync: false })).hits).toEqual([]);

    // Through the article path with the indexer: indexed in one batch (with the earlier queued one), found at once.
    await storeViaArticlePath({ db, searchIndex }, 'loud', 'Zeppelin festival opens', 'A zeppelin festival opened in Friedrichshafen.');
    await storeViaArticlePath({ db, searchIndex }, 'loud2', 'Second zeppelin hangar', 'Another zeppelin hangar opened.');
    const deadline = Date.now() + 10_000;
    while ((await pending(s)) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await pending(s)).toBe(0);
    expect((await searchArticles(db, { query: 'zeppelin' }, { sync: false })).hits.map((h) => h.id).sort()).toEqual(['loud', 'loud2', 'quiet']);
    expect(indexed.reduce((a, b) => a + b, 0)).toBe(3);

    // A change to an article reaches the index the same way; flush (shutdown) applies what is queued at once.
    await db.updateTable('articles').set({ title: 'Airship festival opens' }).where('item_id', '=', 'loud').execute();
    searchIndex.nudge();
    expect(await searchIndex.flush()).toBe(1);
    expect((await searchArticles(db, { query: 'airship' }, { sync: false })).hits.map((h) => h.id)).toEqual(['loud']);
  });

  it('PostgreSQL: the indexer is a no-op and the article is searchable as soon as it is stored', async () => {
    s = await postgresStore();
    const db = s.handle.db;
    const searchIndex = createSearchIndexer(db);
    await storeViaArticlePath({ db, searchIndex }, 'pg1', 'Zeppelin festival opens', 'A zeppelin festival opened in Friedrichshafen.');
    expect(await searchIndex.flush()).toBe(0);
    expect((await searchArticles(db, { query: 'zeppelin' }, { sync: false })).hits.map((h) => h.id)).toEqual(['pg1']);
  });
});
