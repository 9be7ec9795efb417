// The C3 scenario, shared by tests/security/hostile-input.test.ts and bench/hostile.ts: one feed lists `floodPages`
// slow pages beside `normalFeeds` ordinary feeds, all on a loopback site, run through the real poll and article
// workers (BullMQ on Redis with a unique prefix, SQLite store, extraction threads, per-feed slots). Returns each
// normal article's latency from "its feed's poll enqueued it" (the poll job's discoveredAt stamp, taken right after
// the feed was fetched and its items recorded) to "stored" (the article worker's onStored callback, after the
// store transaction committed). Everything is closed before it returns.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'bullmq';
import { articleHtml, rssXml, type SiteArticle } from './news-site.js';
import { dropRedisPrefix } from './redis-prefix.js';
import { loadTopics } from '../../src/classify/load.js';
import { createExtractor } from '../../src/extract/pool.js';
import { createFetcher, DEFAULT_FETCH_POLICY } from '../../src/fetch/client.js';
import { createLogger } from '../../src/log.js';
import type { FeedSource } from '../../src/model.js';
import { producerConnection, workerConnection } from '../../src/queue/connection.js';
import { createFeedSlots, defaultPerFeed } from '../../src/queue/feed-slots.js';
import { JOBS, jobIds } from '../../src/queue/names.js';
import { closeQueues, createQueues, pendingCount } from '../../src/queue/queues.js';
import { openDb } from '../../src/store/db.js';
import { upsertFeeds } from '../../src/store/feeds.js';
import { closeFeedParser } from '../../src/feeds/parse.js';
import { DEFAULT_POLL_POLICY } from '../../src/feeds/poll-policy.js';
import { ROOT } from '../../src/paths.js';
import { startArticleWorker } from '../../workers/article.js';
import { startPollWorker } from '../../workers/poll.js';

export interface FairnessOptions {
  redisUrl?: string;
  /** Pages listed by the flooding feed (0: no flooding feed, the baseline). */
  floodPages: number;
  /** How long the site takes to answer each flood page, ms. */
  floodDelayMs: number;
  normalFeeds: number;
  itemsPerNormalFeed: number;
  articleConcurrency?: number;
  /** Per-feed running cap; 0 = none (what the code did before C3). Default: the service's default. */
  perFeed?: number;
  timeoutMs?: number;
}

export interface FairnessResult {
  /** Latency of each normal article, ms (see the header for the two clock points). */
  normalMs: number[];
  /** Flood articles still not stored when the last normal article was. */
  floodPendingAtNormalDone: number;
}

function article(slug: string, i: number): SiteArticle {
  return {
    slug,
    title: `Story ${slug} about the harbour works`,
    published: new Date(Date.now() - 3600_000).toISOString(),
    paragraphs: Array.from({ length: 5 }, (_, p) => `Paragraph ${p} of story ${i}: the harbour authority said on Monday that the works on the north pier would finish before the storms of the winter season.`),
  };
}

export async function runFairness(o: FairnessOptions): Promise<FairnessResult> {
  const redisUrl = o.redisUrl ?? 'redis://127.0.0.1:6379';
  const articles = new Map<string, SiteArticle>();
  const feeds = new Map<string, { path: string; title: string; slugs: string[] }>();
  const slow = new Set<string>();
  for (let f = 0; f < o.normalFeeds; f++) {
    const slugs = Array.from({ length: o.itemsPerNormalFeed }, (_, i) => `n${f}-${i}`);
    slugs.forEach((s, i) => articles.set(s, article(s, i)));
    feeds.set(`/feeds/normal-${f}.xml`, { path: `/feeds/normal-${f}.xml`, title: `Normal ${f}`, slugs });
  }
  if (o.floodPages > 0) {
    const slugs = Array.from({ length: o.floodPages }, (_, i) => `flood-${i}`);
    slugs.forEach((s, i) => { articles.set(s, article(s, i)); slow.add(s); });
    feeds.set('/feeds/flood.xml', { path: '/feeds/flood.xml', title: 'Flood', slugs });
  }
  let base = '';
  const server = http.createServer((req, res) => {
    const p = (req.url ?? '/').split('?')[0];
    const feed = feeds.get(p);
    if (feed) return res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(rssXml(feed, articles, base));
    const slug = /^\/news\/([^/]+)$/.exec(p)?.[1];
    const a = slug ? articles.get(slug) : undefined;
    if (!a) return res.writeHead(404).end();
    const send = () => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(articleHtml(a, base));
    if (slow.has(a.slug)) setTimeout(send, o.floodDelayMs);
    else send();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ww-fair-'));
  const prefix = `fair-${randomUUID().slice(0, 8)}`;
  const store = await openDb({ dataDir: dir });
  const producer = producerConnection(redisUrl);
  const wconn = workerConnection(redisUrl);
  const queues = createQueues(producer, prefix);
  const log = createLogger({ level: 'error' });
  const fetcher = createFetcher({ ...DEFAULT_FETCH_POLICY, allowPrivateNetworks: true, allowedPorts: [port] });
  const concurrency = o.articleConcurrency ?? 4;
  const extractor = createExtractor({ threads: 2 });
  const matcher = loadTopics(fs.readFileSync(path.join(ROOT, 'config/topics.yml'), 'utf8'), 'config/topics.yml').matcher;
  const sources: FeedSource[] = [...feeds.keys()].map((p) => ({ id: p.replace(/^\/feeds\/|\.xml$/g, ''), url: `${base}${p}` }));
  await upsertFeeds(store.db, sources, new Date().toISOString());

  const normalMs: number[] = [];
  let floodStored = 0;
  const normalTotal = o.normalFeeds * o.itemsPerNormalFeed;
  let floodPendingAtNormalDone = -1;
  const perFeed = o.perFeed ?? defaultPerFeed(concurrency);
  const workers: Worker[] = [];
  const floodIds = new Set<string>();
  try {
    workers.push(startPollWorker({
      connection: wconn, prefix, queues, log, concurrency: 2, db: store.db, fetcher, maxItems: 500,
      policy: DEFAULT_POLL_POLICY,
      feedById: (id) => sources.find((s) => s.id === id),
    }));
    workers.push(startArticleWorker({
      connection: wconn, prefix, log, concurrency, db: store.db, fetcher, extractor, matcher: () => matcher,
      ...(perFeed > 0 ? { feedSlots: createFeedSlots(producer, { prefix, perFeed }) } : {}),
      onStored: (r) => {
        if (!r.discoveredAt) return;
        if (floodIds.has(r.itemId)) floodStored++;
        else {
          normalMs.push(Date.now() - Date.parse(r.discoveredAt));
          if (normalMs.length === normalTotal) floodPendingAtNormalDone = o.floodPages - floodStored;
        }
      },
    }));
    const poll = async (feedId: string) => {
      const job = await queues.poll.add(JOBS.pollFeed, { feedId, force: true }, { jobId: jobIds.pollOnce(feedId, Date.now()) });
      return job;
    };
    const deadline = Date.now() + (o.timeoutMs ?? 120_000);
    let lastCheck = Date.now();
    // On a saturated machine a feed's parse can run past its budget: poll such a feed again, as its scheduler would.
    const repollFailed = async () => {
      if (Date.now() - lastCheck < 2000) return;
      lastCheck = Date.now();
      const failed = await store.db.selectFrom('feeds').select('id').where('consecutive_failures', '>', 0).execute();
      for (const f of failed) {
        await store.db.updateTable('feeds').set({ consecutive_failures: 0 }).where('id', '=', f.id).execute();
        await poll(f.id);
      }
    };
    if (o.floodPages > 0) {
      await poll('flood');
      // The flood's items are in the queue before the normal feeds are polled: the worst case for FIFO.
      while ((await store.db.selectFrom('items').select('id').where('feed_id', '=', 'flood').execute()).length < o.floodPages) {
        if (Date.now() > deadline) throw new Error('fairness: flood feed not recorded in time');
        await new Promise((r) => setTimeout(r, 20));
        await repollFailed();
      }
      for (const r of await store.db.selectFrom('items').select('id').where('feed_id', '=', 'flood').execute()) floodIds.add(r.id);
      while ((await pendingCount(queues.article)) + floodStored < o.floodPages) {
        if (Date.now() > deadline) throw new Error('fairness: flood jobs not enqueued in time');
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    for (const s of sources) if (s.id !== 'flood') await poll(s.id);
    while (normalMs.length < normalTotal) {
      if (Date.now() > deadline) throw new Error(`fairness: ${normalMs.length}/${normalTotal} normal articles stored in time`);
      await new Promise((r) => setTimeout(r, 20));
      await repollFailed();
    }
  } finally {
    await Promise.allSettled(workers.map((w) => w.close(true)));
    await closeQueues(queues);
    await extractor.close();
    await fetcher.close();
    await closeFeedParser();
    await store.db.destroy();
    producer.disconnect();
    wconn.disconnect();
    await dropRedisPrefix(prefix, redisUrl);
    await new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); });
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { normalMs, floodPendingAtNormalDone };
}

/** The p-th percentile (0–100) of `xs`, nearest rank. */
export function percentileOf(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
