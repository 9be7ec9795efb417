// The poll and article pipelines against a local site, the real SQLite store, the guarded fetcher and the real
// extraction pool: conditional GET, failure health and backoff, the feed-content fallback, the SSRF guard, idempotency.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNewsSite, type NewsSite } from '../../bench/lib/news-site.js';
import { ARTICLES, FEEDS } from '../support/site-fixture.js';
import { sqliteStore, type TestStore } from '../support/stores.js';
import { createFetcher, type Fetcher } from '../../src/fetch/client.js';
import { createExtractor, type Extractor } from '../../src/extract/pool.js';
import { loadTopics } from '../../src/classify/load.js';
import { pollFeed, type PollDeps } from '../../src/pipeline/poll.js';
import { processArticle } from '../../src/pipeline/article.js';
import { recordItems, getItem } from '../../src/store/items.js';
import { getFeed, upsertFeeds } from '../../src/store/feeds.js';
import { getArticle, matchesFor } from '../../src/store/articles.js';
import { DEFAULT_FETCH_POLICY } from '../../src/fetch/client.js';

let site: NewsSite;
let s: TestStore;
let fetcher: Fetcher;
let extractor: Extractor;
const matcher = loadTopics(fs.readFileSync('config/topics.yml', 'utf8'), 'config/topics.yml').matcher;
const policy = { minIntervalS: 300, maxIntervalS: 86_400, defaultIntervalS: 900, maxBackoffS: 86_400, unconditionalAfterS: 86_400 };

beforeAll(async () => {
  site = await startNewsSite({ articles: ARTICLES, feeds: FEEDS });
  s = await sqliteStore();
  // 127.0.0.1 plays a public host; 127.0.0.2 and ::1 stay private (SECURITY-TESTS set-up).
  fetcher = createFetcher({ ...DEFAULT_FETCH_POLICY, allowedPorts: [site.port], treatAsPublic: ['127.0.0.1'] });
  extractor = createExtractor({ threads: 1, timeoutMs: 20_000 });
});

afterAll(async () => {
  await extractor?.close();
  await fetcher?.close();
  await s?.cleanup();
  await site?.close();
});

const deps = (now?: Date): PollDeps => ({ db: s.handle.db, fetcher, policy, maxItems: 100, now: now ? () => now : undefined });

describe('pollFeed', () => {
  it('records new items once, then answers 304 from the stored validators', async () => {
    const feed = { id: 'world', url: `${site.url}/feeds/world.xml` };
    await upsertFeeds(s.handle.db, [feed], new Date().toISOString());
    const first = await pollFeed(deps(), feed, { force: true });
    expect(first).toMatchObject({ status: 'ok', items: 5 });
    expect(first.status === 'ok' && first.created).toHaveLength(5);
    const row = await getFeed(s.handle.db, 'world');
    expect(row?.etag).toBeTruthy();
    // Not due yet: skipped without a request.
    const before = site.hits.get('/feeds/world.xml');
    expect((await pollFeed(deps(), feed)).status).toBe('skipped');
    expect(site.hits.get('/feeds/world.xml')).toBe(before);
    // Forced: conditional GET → 304 once an unconditional fetch is on record.
    const third = await pollFeed(deps(), feed, { force: true });
    expect(['not_modified', 'ok']).toContain(third.status);
    const fourth = await pollFeed(deps(), feed, { force: true });
    expect(fourth.status).toBe('not_modified');
    expect((await getFeed(s.handle.db, 'world'))?.not_modified).toBeGreaterThanOrEqual(1);
  });

  it('records a failing feed with its error and backs off, never disabling it', async () => {
    const feed = { id: 'broken', url: `${site.url}/feeds/broken.xml` };
    await upsertFeeds(s.handle.db, [feed], new Date().toISOString());
    const now = new Date();
    const a = await pollFeed(deps(now), feed, { force: true });
    const b = await pollFeed(deps(now), feed, { force: true });
    expect(a).toMatchObject({ status: 'error', code: expect.stringMatching(/^http_5/) });
    const row = await getFeed(s.handle.db, 'broken');
    expect(row).toMatchObject({ consecutive_failures: 2, last_status: 500 });
    expect(row?.last_error).toMatch(/HTTP 500/);
    expect(b.status === 'error' && Date.parse(b.nextPollAt)).toBeGreaterThan(now.getTime());
  });
});

describe('processArticle', () => {
  const item = (id: string, url: string | undefined, title: string, summary: string) => ({ id, contentHash: `h-${id}`, canonicalUrl: url, item: { title, url, summary } });

  it('extracts, classifies and stores a page, once', async () => {
    const url = `${site.url}/news/nato-hague-summit`;
    await recordItems(s.handle.db, 'world', [item('p1', url, 'NATO allies agree', 'x')], new Date().toISOString());
    const r = await processArticle({ db: s.handle.db, fetcher, extractor, matcher }, 'p1');
    expect(r).toMatchObject({ status: 'stored', via: expect.stringMatching(/readability|jsonld/) });
    expect((await getArticle(s.handle.db, 'p1'))?.text).toMatch(/eastern flank/);
    expect((await matchesFor(s.handle.db, 'p1')).map((m) => m.topicId)).toContain('nato');
    expect(await processArticle({ db: s.handle.db, fetcher, extractor, matcher }, 'p1')).toEqual({ status: 'already_stored' });
  });

  it('falls back to the feed content when the page is gone, or when there is no link', async () => {
    const now = new Date().toISOString();
    await recordItems(s.handle.db, 'world', [
      item('p404', `${site.url}/news/no-such-page`, 'Euroclear and the frozen Russian assets', 'The EU debates a reparations loan from immobilised Russian central bank assets held at Euroclear.'),
      item('nolink', undefined, 'NATO summit ends', 'NATO allies agreed to raise defence spending.'),
    ], now);
    const gone = await processArticle({ db: s.handle.db, fetcher, extractor, matcher }, 'p404');
    expect(gone).toMatchObject({ status: 'stored', via: 'feed', fallbackReason: expect.stringMatching(/http_404/) });
    expect((await getArticle(s.handle.db, 'p404'))?.text).toMatch(/reparations loan/);
    expect(await processArticle({ db: s.handle.db, fetcher, extractor, matcher }, 'nolink')).toMatchObject({ status: 'stored', via: 'feed' });
  });

  it('refuses a link to a private address and records why (S2), without falling back', async () => {
    let connections = 0;
    const http = await import('node:http');
    const target = http.createServer((_q, res) => res.end('secret'));
    target.on('connection', () => connections++);
    await new Promise<void>((r) => target.listen(0, '127.0.0.2', r));
    const port = (target.address() as { port: number }).port;
    await recordItems(s.handle.db, 'world', [item('ssrf', `http://127.0.0.2:${port}/admin`, 'Frozen assets', 'frozen assets')], new Date().toISOString());
    // The port is allowed: only the address policy stands in the way.
    const f3 = createFetcher({ ...DEFAULT_FETCH_POLICY, allowedPorts: [port], treatAsPublic: ['127.0.0.1'] });
    const r = await processArticle({ db: s.handle.db, fetcher: f3, extractor, matcher }, 'ssrf');
    await f3.close();
    expect(r).toMatchObject({ status: 'failed', code: 'ssrf_blocked' });
    expect((await getItem(s.handle.db, 'ssrf'))).toMatchObject({ state: 'failed', error: expect.stringMatching(/ssrf_blocked/) });
    expect(await getArticle(s.handle.db, 'ssrf')).toBeUndefined();
    expect(connections).toBe(0);
    await new Promise((r) => target.close(r));
  });

  it('retries a transient failure, and uses the feed content on the last attempt', async () => {
    const dead = 'http://127.0.0.1:9/news/x';
    const f2 = createFetcher({ ...DEFAULT_FETCH_POLICY, allowedPorts: [9], treatAsPublic: ['127.0.0.1'], connectTimeoutMs: 500, totalTimeoutMs: 2000 });
    await recordItems(s.handle.db, 'world', [item('t1', dead, 'NATO summit', 'NATO allies met in The Hague.')], new Date().toISOString());
    await expect(processArticle({ db: s.handle.db, fetcher: f2, extractor, matcher }, 't1')).rejects.toThrow(/fetch:/);
    expect((await getItem(s.handle.db, 't1'))?.state).toBe('discovered');
    const last = await processArticle({ db: s.handle.db, fetcher: f2, extractor, matcher }, 't1', { lastAttempt: true });
    expect(last).toMatchObject({ status: 'stored', via: 'feed' });
    await f2.close();
  });

  it('counts every attempt that did not store the item in items.attempts', async () => {
    const f2 = createFetcher({ ...DEFAULT_FETCH_POLICY, allowedPorts: [9], treatAsPublic: ['127.0.0.1'], connectTimeoutMs: 500, totalTimeoutMs: 2000 });
    await recordItems(s.handle.db, 'world', [item('a1', 'http://127.0.0.1:9/news/y', 'NATO summit', 'NATO allies met.')], new Date().toISOString());
    expect((await getItem(s.handle.db, 'a1'))?.attempts).toBe(0);
    await expect(processArticle({ db: s.handle.db, fetcher: f2, extractor, matcher }, 'a1')).rejects.toThrow(/fetch:/);
    await expect(processArticle({ db: s.handle.db, fetcher: f2, extractor, matcher }, 'a1')).rejects.toThrow(/fetch:/);
    expect(await getItem(s.handle.db, 'a1')).toMatchObject({ state: 'discovered', attempts: 2 });
    expect(await processArticle({ db: s.handle.db, fetcher: f2, extractor, matcher }, 'a1', { lastAttempt: true })).toMatchObject({ status: 'stored' });
    expect(await getItem(s.handle.db, 'a1')).toMatchObject({ state: 'stored', attempts: 2 });
    await f2.close();
    // An attempt that ends `failed` (an empty item with no link) counts too.
    await recordItems(s.handle.db, 'world', [item('a2', undefined, '', '')], new Date().toISOString());
    expect(await processArticle({ db: s.handle.db, fetcher, extractor, matcher }, 'a2')).toMatchObject({ status: 'failed' });
    expect(Number((await getItem(s.handle.db, 'a2'))?.attempts)).toBe(1);
  });
});
