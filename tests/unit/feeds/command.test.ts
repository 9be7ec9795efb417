// `wirewatch feeds`: the pure parts (feeds-file append, health formatting) and add/import/export with a fake
// fetcher and a fake context — no network, no store.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { appendToFeedsFile, formatHealth, resolveFeed, run, type FeedFetcher } from '../../../src/commands/feeds.js';
import { closeFeedParser } from '../../../src/feeds/parse.js';
import { openDb } from '../../../src/store/db.js';
import { recordPoll, upsertFeeds } from '../../../src/store/feeds.js';
import type { FeedSource } from '../../../src/model.js';
import { commandContext } from '../../support/command-context.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ww-feeds-'));
afterAll(async () => {
  await closeFeedParser();
});

const RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>Found feed</title><language>uk-UA</language><link>https://site.example/</link><item><title>a</title><link>https://site.example/a</link></item></channel></rss>';
const PAGE = '<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body>hi</body></html>';

function fakeFetcher(pages: Record<string, string>): FeedFetcher & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async fetch({ url }) {
      calls.push(url);
      const body = pages[url];
      if (body === undefined) throw Object.assign(new Error(`fetch: 404 (${url})`), { code: 'http_404' });
      const contentType = body.startsWith('<html') ? 'text/html; charset=utf-8' : 'application/rss+xml';
      return { url, status: 200, headers: { 'content-type': contentType }, body: Buffer.from(body), notModified: false, contentType };
    },
  };
}

function fakeContext(feeds: FeedSource[], feedsFile: string, dataDir?: string) {
  return commandContext({ config: { feeds, feedsFile }, fetchPolicy: () => ({}) as never, openStore: () => openDb({ dataDir: dataDir ?? dir }) });
}

describe('appendToFeedsFile', () => {
  it('appends flow entries under feeds:, keeping comments', () => {
    const file = path.join(dir, 'feeds.yml');
    writeFileSync(file, '# my feeds\nfeeds:\n  # first\n  - { id: a, url: "https://a.example/rss" }\n');
    appendToFeedsFile(file, [{ id: 'b', url: 'https://b.example/rss?x=1&y=2', title: 'B: "quoted" — ґ', lang: 'uk', interval_s: 900 }]);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# my feeds');
    expect(text).toContain('# first');
    expect(parse(text).feeds).toEqual([
      { id: 'a', url: 'https://a.example/rss' },
      { id: 'b', url: 'https://b.example/rss?x=1&y=2', title: 'B: "quoted" — ґ', lang: 'uk', interval_s: 900 },
    ]);
  });

  it('appends to a top-level list too', () => {
    const file = path.join(dir, 'list.yml');
    writeFileSync(file, '- https://a.example/rss\n');
    appendToFeedsFile(file, [{ id: 'b', url: 'https://b.example/rss' }]);
    expect(parse(readFileSync(file, 'utf8'))).toEqual(['https://a.example/rss', { id: 'b', url: 'https://b.example/rss' }]);
  });

  it('creates the file when missing', () => {
    const file = path.join(dir, 'new.yml');
    appendToFeedsFile(file, [{ id: 'x', url: 'https://x.example/' }]);
    expect(parse(readFileSync(file, 'utf8'))).toEqual({ feeds: [{ id: 'x', url: 'https://x.example/' }] });
  });
});

describe('resolveFeed', () => {
  it('accepts a feed URL directly', async () => {
    const f = fakeFetcher({ 'https://site.example/rss.xml': RSS });
    const r = await resolveFeed(f, 'https://site.example/rss.xml');
    expect(r.url).toBe('https://site.example/rss.xml');
    expect(r.feed.title).toBe('Found feed');
  });

  it('autodiscovers the feed of a web page', async () => {
    const f = fakeFetcher({ 'https://site.example/': PAGE, 'https://site.example/rss.xml': RSS });
    const r = await resolveFeed(f, 'https://site.example/');
    expect(r.url).toBe('https://site.example/rss.xml');
    expect(f.calls).toEqual(['https://site.example/', 'https://site.example/rss.xml']);
  });

  it('says so when a page advertises no feed', async () => {
    const f = fakeFetcher({ 'https://site.example/': '<html><head></head><body>no feeds</body></html>' });
    await expect(resolveFeed(f, 'https://site.example/')).rejects.toMatchObject({ code: 'not_a_feed' });
  });
});

describe('feeds command', () => {
  it('add: checks the page once, discovers its feed and appends it', async () => {
    const file = path.join(dir, 'add.yml');
    writeFileSync(file, 'feeds:\n  - { id: a, url: "https://a.example/rss" }\n');
    const { ctx, out } = fakeContext([{ id: 'a', url: 'https://a.example/rss' }], file);
    const fetcher = fakeFetcher({ 'https://site.example/': PAGE, 'https://site.example/rss.xml': RSS });
    expect(await run(['add', 'https://site.example/'], ctx, { fetcher })).toBe(0);
    expect(out()).toMatch(/^added site\.example-rss-xml https:\/\/site\.example\/rss\.xml \(Found feed\): rss, 1 items/);
    expect(parse(readFileSync(file, 'utf8')).feeds[1]).toEqual({ id: 'site.example-rss-xml', url: 'https://site.example/rss.xml', title: 'Found feed', lang: 'uk' });
  });

  it('add: a URL already configured (canonically equal) is not added twice', async () => {
    const file = path.join(dir, 'dup.yml');
    writeFileSync(file, 'feeds: []\n');
    const { ctx, out } = fakeContext([{ id: 'a', url: 'https://a.example/rss' }], file);
    const fetcher = fakeFetcher({});
    expect(await run(['add', 'https://A.example/rss?utm_source=x'], ctx, { fetcher })).toBe(0);
    expect(out()).toContain('already present: a');
    expect(fetcher.calls).toEqual([]);
  });

  it('add: a dead URL is an error and writes nothing', async () => {
    const file = path.join(dir, 'dead.yml');
    writeFileSync(file, 'feeds: []\n');
    const { ctx, err } = fakeContext([], file);
    expect(await run(['add', 'https://dead.example/'], ctx, { fetcher: fakeFetcher({}) })).toBe(1);
    expect(err()).toContain('404');
    expect(readFileSync(file, 'utf8')).toBe('feeds: []\n');
  });

  it('export → import round-trips through OPML', async () => {
    const feeds: FeedSource[] = [
      { id: 'k', url: 'https://k.example/rss', title: 'K & <K>' },
      { id: 'u', url: 'https://u.example/atom', title: 'Укрінформ', lang: 'uk' },
    ];
    const exp = fakeContext(feeds, path.join(dir, 'unused.yml'));
    expect(await run(['export'], exp.ctx)).toBe(0);
    const opml = path.join(dir, 'f.opml');
    writeFileSync(opml, exp.out());
    const file = path.join(dir, 'imported.yml');
    writeFileSync(file, 'feeds: []\n');
    const imp = fakeContext([{ id: 'k', url: 'https://k.example/rss' }], file);
    expect(await run(['import', opml], imp.ctx)).toBe(0);
    expect(imp.out()).toContain('imported 1 feed(s)');
    expect(parse(readFileSync(file, 'utf8')).feeds).toEqual([{ id: 'u', url: 'https://u.example/atom', title: 'Укрінформ', lang: 'uk' }]);
  });

  it('list: health from the store, configured-but-unpolled feeds too, and --json', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ww-feeds-list-'));
    const feeds: FeedSource[] = [
      { id: 'good', url: 'https://good.example/rss' },
      { id: 'bad', url: 'https://bad.example/rss' },
      { id: 'new', url: 'https://new.example/rss' },
    ];
    const store = await openDb({ dataDir });
    await upsertFeeds(store.db, feeds.slice(0, 2), '2026-11-26T07:00:00.000Z');
    await recordPoll(store.db, 'good', { lastPollAt: '2026-11-26T08:00:00.000Z', status: 200, success: true, consecutiveFailures: 0, nextPollAt: '2026-11-26T09:00:00.000Z', intervalS: 3600 });
    await recordPoll(store.db, 'bad', { lastPollAt: '2026-11-26T08:00:00.000Z', status: 404, success: false, error: 'fetch: 404 (https://bad.example/rss)', consecutiveFailures: 2, nextPollAt: '2026-11-26T12:00:00.000Z', intervalS: 3600 });
    await store.db.destroy();
    const text = fakeContext(feeds, path.join(dir, 'unused.yml'), dataDir);
    expect(await run(['list'], text.ctx)).toBe(0);
    expect(text.out()).toMatch(/good\s+ok\s+last 2026-11-26T08:00:00.000Z\s+next 2026-11-26T09:00:00.000Z/);
    expect(text.out()).toMatch(/bad\s+failing ×2[\s\S]*error: fetch: 404/);
    expect(text.out()).toMatch(/new\s+never polled/);
    const json = fakeContext(feeds, path.join(dir, 'unused.yml'), dataDir);
    expect(await run(['list', '--json'], json.ctx)).toBe(0);
    const rows = JSON.parse(json.out()) as Array<{ feedId: string; consecutiveFailures: number; lastStatus?: number }>;
    expect(rows.map((r) => [r.feedId, r.consecutiveFailures, r.lastStatus])).toEqual([['good', 0, 200], ['bad', 2, 404], ['new', 0, undefined]]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints usage for unknown subcommands', async () => {
    const { ctx, err } = fakeContext([], path.join(dir, 'x.yml'));
    expect(await run(['frobnicate'], ctx)).toBe(1);
    expect(err()).toContain('usage: wirewatch feeds');
  });
});

describe('formatHealth', () => {
  it('shows status, last and next poll, failures and the last error', () => {
    const text = formatHealth([
      { feedId: 'ok-feed', url: 'https://a/', consecutiveFailures: 0, lastPollAt: '2026-11-26T08:00:00.000Z', nextPollAt: '2026-11-26T09:00:00.000Z' },
      { feedId: 'bad', url: 'https://b/', consecutiveFailures: 3, lastPollAt: '2026-11-26T08:00:00.000Z', lastError: 'fetch: 404 (https://b/)' },
      { feedId: 'new', url: 'https://c/', consecutiveFailures: 0 },
    ]);
    expect(text).toMatch(/ok-feed\s+ok\s+last 2026-11-26T08:00:00.000Z\s+next 2026-11-26T09:00:00.000Z\s+failures 0/);
    expect(text).toMatch(/bad\s+failing ×3/);
    expect(text).toContain('error: fetch: 404 (https://b/)');
    expect(text).toMatch(/new\s+never polled/);
    expect(text).toContain('3 feed(s), 1 failing');
  });
});
