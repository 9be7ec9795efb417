// Second round, hostile input (SECURITY-TESTS.md C1–C6): linear-time markup handling and the extraction complexity
// guard, per-feed fairness, one item per URL across feeds, validated and atomic feeds-file writes, huge feeds that
// yield their first items. Loopback only; every wait bounded. Time bounds are a few times the spec's (a shared
// 2-core box): a quadratic path misses them by orders of magnitude.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorFloodFeed, ANCHOR_FLOOD, discoveryFlood, hostilePages } from '../../bench/lib/hostile-inputs.js';
import { runFairness } from '../../bench/lib/fairness.js';
import { loadTopics } from '../../src/classify/load.js';
import { run as feedsCommand, type FeedFetcher } from '../../src/commands/feeds.js';
import { feedsTextIssues } from '../../src/config/load.js';
import { writeDigestFiles } from '../../src/deliver/files.js';
import { PermanentError } from '../../src/errors.js';
import { precut } from '../../src/extract/precut.js';
import { complexityRefusal } from '../../src/extract/complexity.js';
import { createExtractor, type Extractor } from '../../src/extract/pool.js';
import { discoverFeeds } from '../../src/feeds/discover.js';
import { closeFeedParser, discoverFeedUrls, parseFeed, parseFeedSync } from '../../src/feeds/parse.js';
import { htmlToText, sanitizeHtml } from '../../src/feeds/sanitize.js';
import { DEFAULT_POLL_POLICY } from '../../src/feeds/poll-policy.js';
import { createFetcher, DEFAULT_FETCH_POLICY, type Fetcher } from '../../src/fetch/client.js';
import type { FeedSource } from '../../src/model.js';
import { processArticle } from '../../src/pipeline/article.js';
import { pollFeed } from '../../src/pipeline/poll.js';
import { upsertFeeds } from '../../src/store/feeds.js';
import { stuckItems } from '../../src/store/items.js';
import { commandContext } from '../support/command-context.js';
import { fixtureDigest } from '../unit/digest/helpers.js';
import { STORES, sqliteStore, tempDir } from '../support/stores.js';
import { serve, type TestServer } from './helpers.js';

const matcher = loadTopics(fs.readFileSync('config/topics.yml', 'utf8'), 'config/topics.yml').matcher;
const ms = (f: () => unknown): number => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};

afterAll(async () => {
  await closeFeedParser();
});

describe('C1 hostile pages: linear pre-cut, complexity guard, feed content as fallback', () => {
  let pool: Extractor;
  beforeAll(async () => {
    // A generous budget: a refusal must come from the guard, not from the timeout.
    pool = createExtractor({ threads: 1, timeoutMs: 60_000 });
    // The thread loads jsdom on its first page: not part of any page's time.
    await pool.extract({ html: '<html><body><p>warm</p></body></html>', url: 'https://example.org/warm' });
  }, 60_000);
  afterAll(() => pool.close());

  it.each(hostilePages().map((p) => [p.name, p.html]))('%s: pre-cut and guard in linear time', (_name, html) => {
    expect(ms(() => complexityRefusal(precut(html).html))).toBeLessThan(1000);
  });

  it('deep or huge DOMs are refused as too_complex before parsing; an ordinary page is not', async () => {
    for (const p of hostilePages()) {
      const t0 = performance.now();
      const outcome = await pool.extract({ html: p.html, url: 'https://example.org/p' }).then(() => 'ok', (e: PermanentError) => e.code);
      const took = performance.now() - t0;
      if (p.name.includes('div')) expect(outcome, p.name).toBe('too_complex');
      else expect(outcome, p.name).toBe('ok');
      expect(took, p.name).toBeLessThan(5000);
    }
    expect(complexityRefusal('<div>'.repeat(100_000))).toMatch(/^too_complex: elements nested more than \d+ deep/);
    expect(complexityRefusal('<p>x</p>'.repeat(100_000))).toMatch(/^too_complex: more than \d+ elements/);
    // Implied end tags (<p>, <li>, <td>) do not count as nesting.
    expect(complexityRefusal(`<ul>${'<li>item'.repeat(5000)}</ul>${'<p>para'.repeat(5000)}`)).toBeUndefined();
    const ok = await pool.extract({ html: `<html><body><article>${'<p>A plain paragraph of the article body text, long enough to count.</p>'.repeat(10)}</article></body></html>`, url: 'https://example.org/ok' });
    expect(ok.text).toContain('A plain paragraph');
  });

  it('an item whose page is too complex is stored from its feed content, with the reason', async () => {
    const s = await sqliteStore();
    const srv = await serve((req, res) => {
      if (req.url === '/feed.xml') {
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(`<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>Harbour works</title><link>${srv.url('/deep')}</link><guid>d1</guid><description>The harbour authority said the north pier works finish in spring.</description></item></channel></rss>`);
      } else {
        res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><body>${'<div>'.repeat(5000)}x${'</div>'.repeat(5000)}</body></html>`);
      }
    });
    const fetcher = createFetcher({ ...DEFAULT_FETCH_POLICY, allowedPorts: [srv.port], treatAsPublic: ['127.0.0.1'] });
    try {
      const feed: FeedSource = { id: 'deep', url: srv.url('/feed.xml') };
      await upsertFeeds(s.handle.db, [feed], new Date().toISOString());
      const polled = await pollFeed({ db: s.handle.db, fetcher, policy: DEFAULT_POLL_POLICY, maxItems: 10 }, feed, { force: true });
      expect(polled.status).toBe('ok');
      const id = (polled as { created: string[] }).created[0];
      const r = await processArticle({ db: s.handle.db, fetcher, extractor: pool, matcher }, id);
      expect(r).toMatchObject({ status: 'stored', via: 'feed' });
      expect((r as { fallbackReason?: string }).fallbackReason).toMatch(/^too_complex: extract: page refused as too complex/);
    } finally {
      await fetcher.close();
      await srv.close();
      await s.cleanup();
    }
  });
});

describe('C2 feed markup and autodiscovery in linear time', () => {
  it("sanitizeHtml and htmlToText of '<a ' x 20000", () => {
    let html = '';
    expect(ms(() => (html = sanitizeHtml(ANCHOR_FLOOD, 'https://example.org/')))).toBeLessThan(1000);
    expect(html).not.toMatch(/<a[\s>]/);
    expect(ms(() => htmlToText(ANCHOR_FLOOD))).toBeLessThan(1000);
    // Same results as before on well-formed and malformed markup.
    expect(sanitizeHtml('<p title="a>b">x<a href="/y" onclick="z">y</a></p>', 'https://example.org/')).toBe('<p title="a>b">x<a href="https://example.org/y">y</a></p>');
    expect(sanitizeHtml('a <a "x">b')).toBe('a &lt;a "x"&gt;b');
    expect(htmlToText('<p>one</p><script>two</script><p>three')).toBe('one three');
  });

  it("a feed whose description is '<a ' x 20000 parses within its budget", async () => {
    expect(ms(() => parseFeedSync(anchorFloodFeed(), { url: 'https://example.org/feed' }))).toBeLessThan(2000);
    const feed = await parseFeed(new TextEncoder().encode(anchorFloodFeed()), { url: 'https://example.org/feed' });
    expect(feed.items).toHaveLength(1);
  });

  it('512 KB of unterminated <!-- and <link: discoverFeeds, and the same through the parse thread', async () => {
    const page = discoveryFlood();
    expect(ms(() => expect(discoverFeeds(page, 'https://example.org/')).toEqual([]))).toBeLessThan(1000);
    const good = '<html><head><!-- <link rel="alternate" type="application/rss+xml" href="/hidden.xml"> --><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head></html>';
    expect(await discoverFeedUrls(new TextEncoder().encode(good), { url: 'https://example.org/' })).toEqual(['https://example.org/rss.xml']);
    expect(await discoverFeedUrls(new TextEncoder().encode(page), { url: 'https://example.org/' })).toEqual([]);
  });
});

describe('C3 fairness: one feed flooding slow pages does not hold back the others', () => {
  it('the normal feeds are all stored while most of the flood is still waiting', async () => {
    const r = await runFairness({ floodPages: 60, floodDelayMs: 200, normalFeeds: 5, itemsPerNormalFeed: 2, timeoutMs: 120_000 });
    expect(r.normalMs).toHaveLength(10);
    // FIFO with no cap stores the 10 normal articles only after the 60 slow ones ahead of them.
    expect(r.floodPendingAtNormalDone).toBeGreaterThanOrEqual(20);
  }, 180_000);
});

describe.each(STORES)('C4 the same URL in two feeds with different summaries (%s)', (_name, open) => {
  let srv: TestServer;
  let fetcher: Fetcher;
  let extractor: Extractor;
  const summaries: Record<string, string> = { a: 'Summary as feed A tells it.', b: 'Feed B words it differently.' };
  let pageHits = 0;
  beforeAll(async () => {
    srv = await serve((req, res) => {
      const feed = /^\/feed-(a|b)\.xml$/.exec(req.url ?? '')?.[1];
      if (feed) {
        return res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(`<?xml version="1.0"?><rss version="2.0"><channel><title>${feed}</title>
<item><title>Shared story</title><link>${srv.url('/story')}?utm_source=${feed}</link><guid>${feed}-1</guid><description>${summaries[feed]}</description></item></channel></rss>`);
      }
      pageHits++;
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><body><article>${'<p>The shared story body, told once on its own page for every feed that links it.</p>'.repeat(5)}</article></body></html>`);
    });
    fetcher = createFetcher({ ...DEFAULT_FETCH_POLICY, allowedPorts: [srv.port], treatAsPublic: ['127.0.0.1'] });
    extractor = createExtractor({ threads: 1 });
  });
  afterAll(async () => {
    await extractor.close();
    await fetcher.close();
    await srv.close();
  });

  it('one item, fetched once; alternating polls re-fetch nothing; nothing left for the reconciler', async () => {
    const s = await open();
    pageHits = 0;
    try {
      const feeds: FeedSource[] = [{ id: 'a', url: srv.url('/feed-a.xml') }, { id: 'b', url: srv.url('/feed-b.xml') }];
      await upsertFeeds(s.handle.db, feeds, new Date().toISOString());
      const deps = { db: s.handle.db, fetcher, policy: DEFAULT_POLL_POLICY, maxItems: 10 };
      const toProcess: string[] = [];
      for (let round = 0; round < 3; round++) {
        for (const f of feeds) {
          const r = await pollFeed(deps, f, { force: true });
          expect(r.status).toBe('ok');
          const ok = r as { created: string[]; edited: string[] };
          if (round > 0 || f.id === 'b') expect([...ok.created, ...ok.edited], `round ${round} feed ${f.id}`).toEqual([]);
          toProcess.push(...ok.created, ...ok.edited);
          for (const id of toProcess.splice(0)) expect(await processArticle({ db: s.handle.db, fetcher, extractor, matcher }, id)).toMatchObject({ status: 'stored' });
        }
      }
      expect(pageHits).toBe(1);
      const items = await s.handle.db.selectFrom('items').select(['id', 'state']).execute();
      expect(items).toEqual([{ id: items[0].id, state: 'stored' }]);
      expect(await s.handle.db.selectFrom('item_sources').select('feed_id').orderBy('feed_id').execute()).toEqual([{ feed_id: 'a' }, { feed_id: 'b' }]);
      expect(await stuckItems(s.handle.db, new Date(Date.now() + 86_400_000).toISOString(), 10)).toEqual([]);

      // A real edit by one feed is still an edit.
      summaries.a = 'Feed A corrected its summary.';
      const edited = await pollFeed(deps, feeds[0], { force: true });
      expect((edited as { edited: string[] }).edited).toEqual([items[0].id]);
      summaries.a = 'Summary as feed A tells it.';
    } finally {
      await s.cleanup();
    }
  }, 60_000);
});

describe('C5 feeds add / import validate before writing, atomically, under a lock', () => {
  const dir = tempDir('ww-c5-');
  const RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>Found</title><language>portuguese</language><link>https://site.example/</link><item><title>a</title><link>https://site.example/a</link></item></channel></rss>';
  const fetcherFor = (urls: string[]): FeedFetcher => ({
    async fetch({ url }) {
      if (!urls.includes(url)) throw Object.assign(new Error(`fetch: 404 (${url})`), { code: 'http_404' });
      return { url, status: 200, headers: { 'content-type': 'application/rss+xml' }, body: Buffer.from(RSS), notModified: false, contentType: 'application/rss+xml' };
    },
  });
  const context = (file: string) => commandContext({ config: { feeds: [], feedsFile: file }, fetchPolicy: () => ({}) as never });
  const check = (file: string) => feedsTextIssues(fs.readFileSync(file, 'utf8'), file);

  it.each([
    [['--lang', 'portuguese'], /--lang "portuguese"/],
    [['--interval', '30'], /--interval 30: .*60/],
    [['--id', '[::1]'], /--id "\[::1\]"/],
  ])('add %j is refused, naming the input, and writes nothing', async (flags, message) => {
    const file = path.join(dir, `refused-${flags[0].slice(2)}.yml`);
    fs.writeFileSync(file, 'feeds: []\n');
    const { ctx, err } = context(file);
    expect(await feedsCommand(['add', 'https://site.example/rss', ...flags], ctx, { fetcher: fetcherFor(['https://site.example/rss']) })).toBe(1);
    expect(err()).toMatch(message);
    expect(fs.readFileSync(file, 'utf8')).toBe('feeds: []\n');
  });

  it("add of an IPv6-literal URL gets a valid id; a feed's own invalid language is dropped; the file passes config check", async () => {
    const file = path.join(dir, 'ipv6.yml');
    fs.writeFileSync(file, '# my feeds\nfeeds: []\n');
    const url = 'http://[::1]:8080/feed.xml';
    const { ctx, out, err } = context(file);
    expect(await feedsCommand(['add', url], ctx, { fetcher: fetcherFor([url]) })).toBe(0);
    expect(out()).toMatch(/^added ip6-1-8080-feed-xml /);
    expect(err()).toMatch(/ignoring the feed's own lang "portuguese"/);
    expect(parse(fs.readFileSync(file, 'utf8')).feeds).toEqual([{ id: 'ip6-1-8080-feed-xml', url, title: 'Found' }]);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^# my feeds/);
    expect(check(file)).toEqual([]);
  });

  it('import normalises what the schema refuses, says so, and the file passes config check', async () => {
    const opml = path.join(dir, 'in.opml');
    fs.writeFileSync(opml, `<?xml version="1.0"?><opml version="2.0" xmlns:wirewatch="https://wirewatch.invalid/opml"><body>
<outline type="rss" text="P" xmlUrl="https://p.example/rss" language="portuguese" wirewatch:id="[::1]"/>
<outline type="rss" text="Q" xmlUrl="https://q.example/rss" language="pt"/></body></opml>`);
    const file = path.join(dir, 'imported.yml');
    fs.writeFileSync(file, 'feeds: []\n');
    const { ctx, out, err } = context(file);
    expect(await feedsCommand(['import', opml], ctx)).toBe(0);
    expect(out()).toContain('imported 2 feed(s)');
    expect(err()).toMatch(/https:\/\/p\.example\/rss: id "\[::1\]" is not a valid id/);
    expect(err()).toMatch(/https:\/\/p\.example\/rss: ignoring lang "portuguese"/);
    expect(parse(fs.readFileSync(file, 'utf8')).feeds).toEqual([
      { id: 'p.example-rss', url: 'https://p.example/rss', title: 'P' },
      { id: 'q.example-rss', url: 'https://q.example/rss', title: 'Q', lang: 'pt' },
    ]);
    expect(check(file)).toEqual([]);
  });

  it('concurrent writers (separate processes) lose no entry', async () => {
    const file = path.join(dir, 'race.yml');
    fs.writeFileSync(file, 'feeds: []\n');
    const mod = path.resolve('dist/src/config/feeds-file.js');
    const n = 8;
    await Promise.all(Array.from({ length: n }, (_, i) => promisify(execFile)(process.execPath, [
      '--input-type=module', '-e',
      `const { appendFeeds } = await import(${JSON.stringify(mod)}); for (let k = 0; k < 5; k++) appendFeeds(${JSON.stringify(file)}, [{ id: 'w${i}-' + k, url: 'https://w${i}.example/' + k }]);`,
    ], { timeout: 60_000 })));
    const feeds = parse(fs.readFileSync(file, 'utf8')).feeds as { id: string }[];
    expect(feeds).toHaveLength(n * 5);
    expect(check(file)).toEqual([]);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock'))).toEqual([]);
  }, 90_000);

  it('digest files are written whole, with no temp file left behind', async () => {
    const out = tempDir('ww-c5-digest-');
    const receipt = await writeDigestFiles(out, fixtureDigest());
    for (const f of receipt.files!) expect(fs.statSync(f).size).toBeGreaterThan(0);
    expect(fs.readdirSync(path.dirname(receipt.files![0])).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('C6 a 30 MiB feed with 50,000 items', () => {
  let srv: http.Server;
  let port = 0;
  beforeAll(async () => {
    const item = (i: number) => `<item><title>Item ${i}</title><link>https://big.example/${i}</link><guid>g${i}</guid><description>${'Filler text of a large feed item. '.repeat(16)}</description></item>\n`;
    const head = '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Big</title><link>https://big.example/</link>\n';
    srv = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      // Streamed, like a real server: the reader stops at its byte cap.
      let i = 0;
      const write = () => {
        while (i < 50_000) {
          const chunk = Array.from({ length: 500 }, () => item(i++)).join('');
          if (!res.write(i === 500 ? head + chunk : chunk)) return void res.once('drain', write);
        }
        res.end('</channel></rss>');
      };
      write();
      res.on('close', () => (i = 50_000));
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    port = (srv.address() as { port: number }).port;
  });
  afterAll(async () => {
    srv.closeAllConnections();
    await new Promise<void>((r) => srv.close(() => r()));
  });

  it('yields its first poll.max_items items within budget instead of being refused whole', async () => {
    const s = await sqliteStore();
    const fetcher = createFetcher({ ...DEFAULT_FETCH_POLICY, allowedPorts: [port], treatAsPublic: ['127.0.0.1'] });
    try {
      const feed: FeedSource = { id: 'big', url: `http://127.0.0.1:${port}/big.xml` };
      await upsertFeeds(s.handle.db, [feed], new Date().toISOString());
      const t0 = performance.now();
      const r = await pollFeed({ db: s.handle.db, fetcher, policy: DEFAULT_POLL_POLICY, maxItems: 200 }, feed, { force: true });
      expect(r).toMatchObject({ status: 'ok', items: 200 });
      expect((r as { created: string[] }).created).toHaveLength(200);
      expect(performance.now() - t0).toBeLessThan(20_000);
      // Without truncateAtCap (pages, and every other caller) the byte cap stays a refusal.
      await expect(fetcher.fetch({ url: feed.url, kind: 'feed' })).rejects.toMatchObject({ code: 'too_large' });
    } finally {
      await fetcher.close();
      await s.cleanup();
    }
  }, 60_000);

  it('a feed cut at the cap before its first complete item is a parse error, and a server-truncated one still is (X3)', async () => {
    const partial = new TextEncoder().encode('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>half');
    await expect(parseFeed(partial, { url: 'https://x.example/', truncated: true })).rejects.toMatchObject({ code: 'parse_error' });
    const cut = new TextEncoder().encode('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>one</title></item><item><title>tw');
    await expect(parseFeed(cut, { url: 'https://x.example/' })).rejects.toMatchObject({ code: 'parse_error' });
    expect((await parseFeed(cut, { url: 'https://x.example/', truncated: true })).items.map((i) => i.title)).toEqual(['one']);
  });
});
