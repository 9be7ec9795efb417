// Polling etiquette, end to end through the real poll path (guarded fetcher + Redis host gate + parser + store)
// against a local server that counts requests per host: per-host concurrency and gap, 304s, 429 with Retry-After,
// 500s backing off without ever giving up, slow servers, windows-1251 and utf-16 feeds, feeds without GUIDs.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import iconv from 'iconv-lite';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteStore, type TestStore } from '../support/stores.js';
import { dropRedisPrefix } from '../support/cli.js';
import { createFetcher, DEFAULT_FETCH_POLICY, type Fetcher } from '../../src/fetch/client.js';
import { createHostGate } from '../../src/queue/host-gate.js';
import { pollFeed, type PollDeps } from '../../src/pipeline/poll.js';
import { getFeed, upsertFeeds } from '../../src/store/feeds.js';
import type { FeedSource } from '../../src/model.js';

const rss = (title: string, items: { title: string; link?: string; guid?: string }[]) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title><link>http://example.org/</link>${items
    .map((i) => `<item><title>${i.title}</title>${i.link ? `<link>${i.link}</link>` : ''}${i.guid ? `<guid>${i.guid}</guid>` : ''}<description>${i.title}</description></item>`)
    .join('')}</channel></rss>`;

let server: http.Server;
let base = '';
const hits = new Map<string, number>();
let inFlight = 0;
let maxInFlight = 0;
const starts: number[] = [];

const routes: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void> = {
  '/slow-gate': (_q, res) => setTimeout(() => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('g', [{ title: 'x', link: 'http://example.org/x' }])), 150),
  '/etag': (req, res) => {
    if (req.headers['if-none-match'] === '"v1"') return res.writeHead(304, { etag: '"v1"' }).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"' }).end(rss('e', [{ title: 'one', link: 'http://example.org/1' }]));
  },
  '/429': (_q, res) => res.writeHead(429, { 'retry-after': '120', 'content-type': 'text/plain' }).end('slow down'),
  '/500': (_q, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('oops'),
  '/never': () => undefined, // accepts, never answers
  '/cp1251': (_q, res) =>
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=windows-1251' })
      .end(iconv.encode(rss('Новини', [{ title: 'Гарантії безпеки для України', link: 'http://example.org/uk1' }]).replace('<?xml version="1.0"?>', ''), 'windows-1251')),
  '/utf16': (_q, res) =>
    res.writeHead(200, { 'content-type': 'application/xml' })
      .end(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(rss('Nachrichten', [{ title: 'Eingefrorene Vermögenswerte', link: 'http://example.org/de1' }]).replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>'), 'utf-16le')])),
  '/noguid': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('n', [{ title: 'Alpha' }, { title: 'Beta' }])),
};

let s: TestStore;
let redis: Redis;
let fetcher: Fetcher;
const prefix = `etq-${randomUUID().slice(0, 8)}`;
const policy = { minIntervalS: 300, maxIntervalS: 86_400, defaultIntervalS: 900, maxBackoffS: 86_400, unconditionalAfterS: 86_400 };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    hits.set(path, (hits.get(path) ?? 0) + 1);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    starts.push(Date.now());
    res.on('close', () => inFlight--);
    (routes[path] ?? ((_q, r) => r.writeHead(404).end()))(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  s = await sqliteStore();
  redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 3 });
  const hostGate = createHostGate(redis, { prefix, maxConcurrent: 2, minGapMs: 200 });
  fetcher = createFetcher({ ...DEFAULT_FETCH_POLICY, allowedPorts: [Number(new URL(base).port)], treatAsPublic: ['127.0.0.1'], headersTimeoutMs: 800, totalTimeoutMs: 1500, hostGate });
});

afterAll(async () => {
  await fetcher?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await s?.cleanup();
  redis?.disconnect();
  await dropRedisPrefix(prefix);
});

const deps = (now = new Date()): PollDeps => ({ db: s.handle.db, fetcher, policy, maxItems: 100, now: () => now });
async function feed(id: string, path: string, extra: Partial<FeedSource> = {}): Promise<FeedSource> {
  const f = { id, url: `${base}${path}`, ...extra };
  await upsertFeeds(s.handle.db, [f], new Date().toISOString());
  return f;
}

describe('polling etiquette against a local server', () => {
  it('keeps at most N requests in flight per host, spaced by the minimum gap', async () => {
    const feeds = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => feed(`gate${n}`, '/slow-gate')));
    maxInFlight = 0;
    starts.length = 0;
    const results = await Promise.all(feeds.map((f) => pollFeed(deps(), f, { force: true })));
    expect(results.every((r) => r.status === 'ok')).toBe(true);
    expect(hits.get('/slow-gate')).toBe(6);
    expect(maxInFlight).toBeLessThanOrEqual(2);
    const sorted = [...starts].sort((a, b) => a - b);
    // The gate spaces its grants 200 ms apart; arrivals at the server jitter by connection set-up.
    for (let i = 1; i < sorted.length; i++) expect(sorted[i] - sorted[i - 1]).toBeGreaterThanOrEqual(150);
  });

  it('sends validators and counts 304s', async () => {
    const f = await feed('etag', '/etag');
    const before = hits.get('/etag') ?? 0;
    expect((await pollFeed(deps(), f, { force: true })).status).toBe('ok'); // unconditional: no validators yet
    for (let i = 0; i < 3; i++) expect((await pollFeed(deps(), f, { force: true })).status).toBe('not_modified');
    expect(hits.get('/etag')).toBe(before + 4);
    expect(await getFeed(s.handle.db, 'etag')).toMatchObject({ etag: '"v1"', not_modified: 3, consecutive_failures: 0, polls: 4 });
  });

  it('honours 429 Retry-After', async () => {
    const f = await feed('limited', '/429');
    const now = new Date('2026-11-26T12:00:00Z');
    const r = await pollFeed(deps(now), f, { force: true });
    expect(r).toMatchObject({ status: 'error', code: 'http_429' });
    expect(Date.parse(r.nextPollAt) - now.getTime()).toBeGreaterThanOrEqual(120_000);
  });

  it('backs off on 500s, up to the cap, and keeps polling', async () => {
    const f = await feed('failing', '/500');
    let now = new Date('2026-11-26T12:00:00Z');
    const delays: number[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await pollFeed(deps(now), f, { force: true });
      expect(r.status).toBe('error');
      const next = Date.parse(r.nextPollAt);
      delays.push(next - now.getTime());
      now = new Date(next);
    }
    expect(delays[5]).toBeGreaterThan(delays[0]);
    for (const d of delays) expect(d).toBeLessThanOrEqual(86_400_000 * 1.5);
    expect(await getFeed(s.handle.db, 'failing')).toMatchObject({ consecutive_failures: 12 });
    expect(hits.get('/500')).toBe(12);
  });

  it('gives up on a silent server at the deadline, as a soft error', async () => {
    const f = await feed('silent', '/never');
    const started = Date.now();
    const r = await pollFeed(deps(), f, { force: true });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r).toMatchObject({ status: 'error' });
    expect((await getFeed(s.handle.db, 'silent'))?.last_error).toMatch(/fetch:/);
  });

  it('decodes windows-1251 (header only) and utf-16 feeds', async () => {
    const a = await pollFeed(deps(), await feed('cp1251', '/cp1251'), { force: true });
    const b = await pollFeed(deps(), await feed('utf16', '/utf16'), { force: true });
    expect(a.status).toBe('ok');
    expect(b.status).toBe('ok');
    const titles = await s.handle.db.selectFrom('items').select('title').where('feed_id', 'in', ['cp1251', 'utf16']).execute();
    expect(titles.map((t) => t.title).sort()).toEqual(['Eingefrorene Vermögenswerte', 'Гарантії безпеки для України']);
  });

  it('identifies items without GUIDs or links stably across polls', async () => {
    const f = await feed('noguid', '/noguid');
    const first = await pollFeed(deps(), f, { force: true });
    const second = await pollFeed(deps(), f, { force: true });
    expect(first.status === 'ok' && first.created.length).toBe(2);
    expect(second.status === 'ok' && second.created.length).toBe(0);
  });
});
