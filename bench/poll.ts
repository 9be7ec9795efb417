// Poll cost: 2,000 feeds served from a local server (a child process, so its CPU is not counted), polled through the
// real poll path (pipeline/poll: guarded fetcher → parse worker → identity → SQLite store → schedule) once in full
// and once on the 304 path, plus a bare fetch + rss-parser loop over the same feeds in the same run.
// Scale (issue 15): the same poll path over a fresh store and Redis prefix at 500 and at 10,000 feeds (--scale-feeds),
// after the scheduler's start-up (applySchedules: store rows + one BullMQ job scheduler per feed) timed in wall ms,
// with the Redis memory under the prefix (MEMORY USAGE of every key) per feed. --no-scale skips it.
// Usage: node dist/bench/poll.js [--feeds 2000] [--concurrency 8] [--scale-feeds 10000] [--no-scale] [--redis URL]
// Lines: `poll_scale: cpu_ms_per_feed_10000=<a> ratio_10000_vs_500=<b> redis_kb_per_feed=<c> scheduler_start_ms_10000=<d>`,
// then the last line: `poll: cpu_ms_per_feed=<a> cpu_ms_per_feed_304=<b> bare_cpu_ms_per_feed=<c>`.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Parser from 'rss-parser';
import type { FeedSource } from '../src/model.js';
import { closeFeedParser } from '../src/feeds/parse.js';
import { DEFAULT_POLL_POLICY } from '../src/feeds/poll-policy.js';
import { createFetcher, DEFAULT_FETCH_POLICY } from '../src/fetch/client.js';
import { pollFeed } from '../src/pipeline/poll.js';
import { openDb } from '../src/store/db.js';
import { upsertFeeds } from '../src/store/feeds.js';
import { producerConnection } from '../src/queue/connection.js';
import { closeQueues, createQueues } from '../src/queue/queues.js';
import { applySchedules } from '../src/scheduler.js';
import { dropRedisPrefix } from './lib/redis-prefix.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

const FEEDS = arg('--feeds', 2_000);
const CONCURRENCY = arg('--concurrency', 8);
const SCALE_FEEDS = arg('--scale-feeds', 10_000);
const SCALE = !process.argv.includes('--no-scale');
const REDIS = process.argv.includes('--redis') ? process.argv[process.argv.indexOf('--redis') + 1] : process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The feed server, run as a child process: /feed/N is an RSS 2.0 feed of 20 items with ETag / Last-Modified. */
const SERVER = `
const http = require('node:http');
const item = (f, i) => '<item><title>Feed ' + f + ' item ' + i + ' — talks &amp; news</title><link>http://127.0.0.1/f' + f + '/i' + i + '?utm_source=rss</link><guid>f' + f + '-i' + i + '</guid><pubDate>' + new Date(Date.UTC(2026, 10, 26, 8, 0, 0) - i * 3600e3).toUTCString() + '</pubDate><description>&lt;p&gt;Paragraph ' + i + ' of feed ' + f + ', with &lt;b&gt;markup&lt;/b&gt; and a &lt;a href="/x"&gt;link&lt;/a&gt;.&lt;/p&gt;</description></item>';
const bodies = new Map();
const server = http.createServer((req, res) => {
  const m = /^\\/feed\\/(\\d+)$/.exec(req.url);
  if (!m) { res.writeHead(404); return res.end(); }
  const etag = '"v1-' + m[1] + '"';
  if (req.headers['if-none-match'] === etag) { res.writeHead(304, { etag }); return res.end(); }
  let body = bodies.get(m[1]);
  if (!body) {
    const items = []; for (let i = 0; i < 20; i++) items.push(item(m[1], i));
    body = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed ' + m[1] + '</title><link>http://127.0.0.1/</link><description>d</description>' + items.join('') + '</channel></rss>';
    bodies.set(m[1], body);
  }
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag, 'last-modified': 'Thu, 26 Nov 2026 08:00:00 GMT' });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function inPool<T>(items: T[], n: number, fn: (t: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

/** Bytes Redis holds under `prefix` (MEMORY USAGE of each key, samples 0 = exact). */
async function redisBytes(url: string, prefix: string): Promise<number> {
  const r = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let bytes = 0;
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      const pipe = r.pipeline();
      for (const k of keys) pipe.memory('USAGE', k, 'SAMPLES', 0);
      for (const [, v] of (await pipe.exec()) ?? []) bytes += Number(v ?? 0);
      cursor = next;
    } while (cursor !== '0');
    return bytes;
  } finally {
    r.disconnect();
  }
}

interface ScaleRun { cpuMsPerFeed: number; startMs: number; redisKbPerFeed: number }

/** The scheduler's start-up over `n` feeds (fresh store, fresh prefix), then one full poll pass over them. */
async function scaleRun(port: number, n: number): Promise<ScaleRun> {
  const feeds: FeedSource[] = Array.from({ length: n }, (_, i) => ({ id: `scale-${i}`, url: `http://127.0.0.1:${port}/feed/${i}` }));
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ww-poll-scale-'));
  const prefix = `bench-poll-${randomUUID().slice(0, 8)}`;
  const conn = producerConnection(REDIS);
  const queues = createQueues(conn, prefix);
  const store = await openDb({ dataDir });
  const fetcher = createFetcher({ ...DEFAULT_FETCH_POLICY, allowPrivateNetworks: true, allowHosts: ['127.0.0.1'], allowedPorts: [port] });
  try {
    const t0 = performance.now();
    await applySchedules(store.db, queues, { feeds, digests: [], checkIntervalS: 300, reconcileEveryS: 60 });
    const startMs = performance.now() - t0;
    const redisKbPerFeed = (await redisBytes(REDIS, prefix)) / 1024 / n;
    const deps = { db: store.db, fetcher, policy: DEFAULT_POLL_POLICY, maxItems: 200 };
    let errors = 0;
    const c0 = cpuMs();
    await inPool(feeds, CONCURRENCY, async (f) => {
      const r = await pollFeed(deps, f, { force: true });
      if (r.status !== 'ok') errors++;
    });
    const cpuMsPerFeed = (cpuMs() - c0) / n;
    console.log(`scale ${n} feeds: scheduler start ${startMs.toFixed(0)} ms, redis ${redisKbPerFeed.toFixed(2)} kB/feed, poll path ${cpuMsPerFeed.toFixed(3)} cpu ms/feed${errors ? `, ${errors} not ok` : ''}`);
    return { cpuMsPerFeed, startMs, redisKbPerFeed };
  } finally {
    await fetcher.close();
    await store.db.destroy();
    await closeQueues(queues);
    conn.disconnect();
    await dropRedisPrefix(prefix, REDIS);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
    child.once('exit', (code) => reject(new Error(`feed server exited (${code})`)));
  });
  const feeds: FeedSource[] = Array.from({ length: FEEDS }, (_, i) => ({ id: `bench-${i}`, url: `http://127.0.0.1:${port}/feed/${i}` }));
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ww-poll-bench-'));
  let full = 'n/a';
  let notModified = 'n/a';
  let bare = 'n/a';
  try {
    // Bare loop: fetch + rss-parser, nothing else.
    const parser = new Parser();
    const t0 = cpuMs();
    await inPool(feeds, CONCURRENCY, async (f) => {
      const res = await fetch(f.url);
      await parser.parseString(await res.text());
    });
    bare = ((cpuMs() - t0) / FEEDS).toFixed(3);
    console.log(`bare fetch + rss-parser: ${bare} cpu ms/feed`);

    // The real poll path: guarded fetcher (loopback allowed for the bench) → parse worker → store → schedule.
    const store = await openDb({ dataDir });
    const fetcher = createFetcher({ ...DEFAULT_FETCH_POLICY, allowPrivateNetworks: true, allowHosts: ['127.0.0.1'], allowedPorts: [port] });
    try {
      await upsertFeeds(store.db, feeds, new Date().toISOString());
      const deps = { db: store.db, fetcher, policy: DEFAULT_POLL_POLICY, maxItems: 200 };
      const statuses = new Map<string, number>();
      const pass = async (label: string) => {
        statuses.clear();
        const start = cpuMs();
        await inPool(feeds, CONCURRENCY, async (f) => {
          const r = await pollFeed(deps, f, { force: true });
          const key = r.status === 'error' ? `error:${r.code}` : r.status;
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
        });
        const per = ((cpuMs() - start) / FEEDS).toFixed(3);
        console.log(`${label}: ${per} cpu ms/feed  ${[...statuses].map(([k, v]) => `${k}=${v}`).join(' ')}`);
        return per;
      };
      full = await pass('poll path, full');
      notModified = await pass('poll path, 304');
    } finally {
      await fetcher.close();
      await store.db.destroy();
    }
    if (SCALE) {
      const small = await scaleRun(port, 500);
      const large = await scaleRun(port, SCALE_FEEDS);
      console.log(`poll_scale: cpu_ms_per_feed_${SCALE_FEEDS}=${large.cpuMsPerFeed.toFixed(3)} ratio_${SCALE_FEEDS}_vs_500=${(large.cpuMsPerFeed / small.cpuMsPerFeed).toFixed(2)}` +
        ` redis_kb_per_feed=${large.redisKbPerFeed.toFixed(2)} scheduler_start_ms_${SCALE_FEEDS}=${large.startMs.toFixed(0)}`);
    }
  } finally {
    await closeFeedParser();
    child.kill();
    rmSync(dataDir, { recursive: true, force: true });
    console.log(`poll: cpu_ms_per_feed=${full} cpu_ms_per_feed_304=${notModified} bare_cpu_ms_per_feed=${bare}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
