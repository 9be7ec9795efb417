// Alert latency on loopback (issue 16): how long from the moment an article first appears in its feed (or is pushed
// by a WebSub hub) until its alert leaves through the outbox, and what polling costs the publishers.
// News sites (one per feed, as outlets are: each its own host for the per-host gate) whose feeds publish at realistic
// rhythms — a few every minute, some every quarter hour, many hourly, some daily; a few announce a hub
// (bench/lib/websub-hub.ts) — and `wirewatch run` (scheduler, workers, web server for the WebSub callback) with the
// default configuration except addresses, one alert rule (webhook to a local receiver) and the time compression
// below. Publishing starts once every feed has been polled and its history stored (the warm-up is not measured).
// TIME-COMPRESSED ×K (default 10, so a 4-minute run stands for 40 minutes): the poll settings (min, default and max
// interval, backoff cap, unconditional GET) and every publishing rhythm are divided by K; a measured wait for a poll
// (appeared → first served in a feed) is multiplied by K, the processing after it (fetch, extract, classify, store,
// alert, webhook) is counted as measured. Pushed articles wait for no poll: their latency is as measured. The WebSub
// safety-net poll (at least hourly) is not compressed, which makes hub feeds cheaper here than in a real hour.
// The alert rule has coalescing off (it holds later triggers of a topic back by design, up to its window).
// polls_per_feed_hour counts every feed request the sites answered after the warm-up (first polls excluded: fixed
// polling makes them too), per feed and per simulated hour; fixed_polls_per_feed_hour is a fixed 900 s interval's.
// Last line: latency: alert_p50_s=<a> alert_p95_s=<b> websub_alert_p95_s=<c> polls_per_feed_hour=<d> fixed_polls_per_feed_hour=<e>
// (a, b over polled feeds publishing at least 4 times an hour; c over hub feeds; goals c ≤ 10, b ≤ 300, d ≤ e).
// Usage: npm run bench:latency -- [--minutes 4] [--scale 10] [--redis URL] [--keep]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { dropRedisPrefix } from './lib/redis-prefix.js';
import { rssXml, startNewsSite, type SiteArticle, type SiteFeed } from './lib/news-site.js';
import { ON_TOPIC, WORDS, rng } from './lib/corpus.js';
import { startLoopbackHub } from './lib/websub-hub.js';
import { ROOT } from '../src/paths.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '4' },
    scale: { type: 'string', default: '10' },
    redis: { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    keep: { type: 'boolean', default: false },
  },
});
const K = Number(values.scale);
const RUN_MS = Number(values.minutes) * 60_000;
const CLI = path.join(ROOT, 'dist', 'src', 'cli.js');
const out = (s: string) => process.stdout.write(`${s}\n`);
const r = rng(16);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/** The feeds: real publishing gap (s), how many, how many of them announce a hub. */
const RHYTHMS = [
  { name: 'minutely', gapS: 60, count: 3, hubs: 1 },
  { name: 'quarter-hourly', gapS: 900, count: 3, hubs: 1 },
  { name: 'hourly', gapS: 3_600, count: 20, hubs: 2 },
  { name: 'daily', gapS: 86_400, count: 8, hubs: 0 },
];
/** Share of new articles on a tracked topic (each a distinct story, so each alerts once). */
const ON_TOPIC_SHARE = 0.35;

interface BenchFeed extends SiteFeed { gapS: number; rhythm: string; nextAt: number }

const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
const sentence = () => `${words(12 + Math.floor(r() * 10))}.`;
let serial = 0;

/** A new article: a distinct headline; on-topic ones carry a tracked topic's wording in title and body. */
function article(onTopic: boolean, published: string): SiteArticle {
  const t = onTopic ? pick(ON_TOPIC) : undefined;
  const id = serial++;
  const paragraphs = Array.from({ length: 4 + Math.floor(r() * 4) }, () => Array.from({ length: 3 }, sentence).join(' '));
  if (t) paragraphs.splice(0, 0, `${pick(t.sentences)} ${pick(t.sentences)}`);
  const head = `${words(5)} ${id}`;
  const title = t ? `${pick(t.titles)}: ${head}` : `${head[0].toUpperCase()}${head.slice(1)}`;
  return { slug: `l${id}`, title, paragraphs, published, siteName: `Outlet ${id % 23}` };
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((res) => s.listen(0, '127.0.0.1', () => res()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((res) => s.close(() => res()));
  return port;
}

/** The webhook receiver: when each alert message arrived, and the headlines it carried. */
async function startReceiver() {
  const got: { at: number; headlines: string[] }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { topics: { stories: { headline: string }[] }[] } };
        got.push({ at, headlines: body.data.topics.flatMap((t) => t.stories.map((s) => s.headline)) });
      } catch {
        // Not an alert: ignore.
      }
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got, close: () => new Promise<void>((res) => { server.closeAllConnections(); server.close(() => res()); }) };
}

function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}
const f = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '–');

/** Feeds with a history of off-topic items at their rhythm (so the poller can learn it from the first poll). */
function makeFeeds(hubUrl: string, all: Map<string, SiteArticle>): BenchFeed[] {
  const feeds: BenchFeed[] = [];
  const now = Date.now();
  for (const rh of RHYTHMS) {
    for (let i = 0; i < rh.count; i++) {
      const gapMs = (rh.gapS * 1000) / K;
      const phase = r() * gapMs;
      const slugs: string[] = [];
      for (let j = 9; j >= 0; j--) {
        const a = article(false, new Date(now - phase - j * gapMs).toISOString());
        all.set(a.slug, a);
        slugs.push(a.slug);
      }
      feeds.push({ path: `/feeds/${rh.name}-${i}.xml`, title: `${rh.name} ${i}`, slugs: slugs.reverse(), gapS: rh.gapS, rhythm: rh.name,
        nextAt: now + gapMs - phase, ...(i < rh.hubs ? { hub: hubUrl } : {}) });
    }
  }
  return feeds;
}

function writeConfig(dir: string, o: { prefix: string; webPort: number; hook: string; feeds: string[] }): void {
  const c = (s: number) => Math.max(30, Math.round(s / K));
  fs.writeFileSync(path.join(dir, 'feeds.yml'), o.feeds.map((u) => `- ${u}`).join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'wirewatch.yml'), [
    `redis: { url: "${values.redis}", prefix: ${o.prefix}, start_private: false }`,
    `topics_file: ${path.join(ROOT, 'config', 'topics.yml')}`,
    `# time-compressed ×${K}: the defaults (300, 900, 86400, 86400, 86400 s) divided by ${K}`,
    `poll: { min_interval_s: ${c(300)}, default_interval_s: ${c(900)}, max_interval_s: ${c(86_400)}, max_backoff_s: ${c(86_400)}, unconditional_after_s: ${c(86_400)} }`,
    `http: { enabled: true, host: 127.0.0.1, port: ${o.webPort}, base_url: "http://127.0.0.1:${o.webPort}/" }`,
    'websub: { enabled: "on" }',
    'alerts:',
    '  - id: desk',
    '    title: Bench desk',
    '    topics: [security-guarantees, frozen-assets, nato]',
    '    trigger: { min_score: 0 }',
    `    channels: [{ type: webhook, url: "${o.hook}", name: bench }]`,
    '    coalesce_minutes: 0',
  ].join('\n') + '\n');
}

async function main(): Promise<void> {
  out(`latency: ${RHYTHMS.map((x) => `${x.count} ${x.name} (${x.hubs} with a hub)`).join(', ')}; time-compressed ×${K}: ${values.minutes} min run = ${f((RUN_MS * K) / 60_000)} simulated min; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
  const all = new Map<string, SiteArticle>();
  const hub = await startLoopbackHub();
  const feeds = makeFeeds(hub.url, all);
  const appeared = new Map<string, number>();
  const served = new Map<string, number>();
  const pushed = new Map<string, number>();
  const sites = new Map<string, Awaited<ReturnType<typeof startNewsSite>>>();
  for (const feed of feeds) {
    sites.set(feed.path, await startNewsSite({
      articles: feed.slugs.map((s) => all.get(s)!), feeds: [feed],
      onFeedServed: (served1) => { for (const s of served1.slugs) if (!served.has(s)) served.set(s, Date.now()); },
    }));
  }
  const urlOf = (feed: BenchFeed) => `${sites.get(feed.path)!.url}${feed.path}`;
  const receiver = await startReceiver();
  const webPort = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ww-bench-latency-'));
  const prefix = `bench-latency-${randomUUID().slice(0, 8)}`;
  writeConfig(dir, { prefix, webPort, hook: receiver.url, feeds: feeds.map(urlOf) });
  const child = spawn(process.execPath, [CLI, 'run', '--config', path.join(dir, 'wirewatch.yml'), '--feeds', path.join(dir, 'feeds.yml'), '--data-dir', path.join(dir, 'data'),
    '--allow-private-networks', '--log-level', process.env.BENCH_LOG_LEVEL ?? 'warn'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: '1' } });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-20_000)));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));

  // Warm-up (not measured): every feed polled once, the hubs' subscriptions verified, the history stored.
  const warm = Date.now() + 120_000;
  const hubFeeds = feeds.filter((x) => x.hub).length;
  while (Date.now() < warm && child.exitCode === null && (feeds.some((x) => !sites.get(x.path)!.hits.get(x.path)) || [...hub.subs.values()].filter((s) => s.verified).length < hubFeeds)) {
    await new Promise((res) => setTimeout(res, 250));
  }
  await new Promise((res) => setTimeout(res, 20_000));
  const firstPolls = new Map(feeds.map((x) => [x.path, sites.get(x.path)!.hits.get(x.path) ?? 0]));
  out(`latency: warm-up done in ${f((Date.now() - (warm - 120_000)) / 1000)} s: ${feeds.filter((x) => firstPolls.get(x.path)).length}/${feeds.length} feeds polled, ${[...hub.subs.values()].filter((s) => s.verified).length}/${hubFeeds} hub subscriptions verified`);

  const started = Date.now();
  // Each feed's first article at a random point of its rhythm.
  for (const feed of feeds) feed.nextAt = started + r() * ((feed.gapS * 1000) / K);
  const feedOfSlug = new Map<string, BenchFeed>();
  while (Date.now() < started + RUN_MS && child.exitCode === null) {
    const now = Date.now();
    for (const feed of feeds) {
      if (now < feed.nextAt) continue;
      const a = article(r() < ON_TOPIC_SHARE, new Date(now).toISOString());
      all.set(a.slug, a);
      const site = sites.get(feed.path)!;
      site.addArticles([a]);
      feed.slugs = [a.slug, ...feed.slugs].slice(0, 20);
      site.setFeeds([feed]);
      appeared.set(a.slug, now);
      feedOfSlug.set(a.slug, feed);
      // Next one: the rhythm ±30 %.
      feed.nextAt = now + ((feed.gapS * 1000) / K) * (0.7 + 0.6 * r());
      if (feed.hub) {
        pushed.set(a.slug, now);
        void hub.publish(urlOf(feed), rssXml(feed, all, site.url));
      }
    }
    await new Promise((res) => setTimeout(res, 100));
  }
  // Let what was published last finish (bounded), then stop the service as an operator would.
  const settle = Date.now() + Math.min(60_000, (300_000 / K) * 2);
  while (Date.now() < settle && child.exitCode === null) await new Promise((res) => setTimeout(res, 250));
  const simulatedH = ((Date.now() - started) * K) / 3_600_000;
  child.kill('SIGTERM');
  const code = await exited;
  if (code !== 0 && code !== null) out(`latency: wirewatch run exited with ${code}\n${stderr.slice(-4000)}`);
  const hits = new Map(feeds.map((x) => [x.path, (sites.get(x.path)!.hits.get(x.path) ?? 0) - (firstPolls.get(x.path) ?? 0)]));
  report({ feeds, feedOfSlug, all, appeared, served, pushed, got: receiver.got, hits, simulatedH, hubSubs: hub.subs.size });
  await receiver.close();
  for (const site of sites.values()) await site.close();
  await hub.close();
  await dropRedisPrefix(prefix, values.redis!);
  if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
  else out(`latency: data kept in ${dir}`);
}

interface Seen {
  feeds: BenchFeed[];
  feedOfSlug: Map<string, BenchFeed>;
  all: Map<string, SiteArticle>;
  appeared: Map<string, number>;
  served: Map<string, number>;
  pushed: Map<string, number>;
  got: { at: number; headlines: string[] }[];
  hits: Map<string, number>;
  simulatedH: number;
  hubSubs: number;
}

function report(s: Seen): void {
  const slugOfTitle = new Map([...s.all.values()].map((a) => [a.title, a.slug]));
  const alerted = new Map<string, number>();
  for (const m of s.got) for (const h of m.headlines) { const slug = slugOfTitle.get(h); if (slug && !alerted.has(slug)) alerted.set(slug, m.at); }
  const polledFast: number[] = [];
  const polledAll: number[] = [];
  const viaHub: number[] = [];
  let onTopic = 0;
  for (const [slug, t0] of s.appeared) {
    const a = s.all.get(slug)!;
    if (ON_TOPIC.some((t) => t.titles.some((x) => a.title.startsWith(`${x}:`)))) onTopic++;
    const at = alerted.get(slug);
    if (at === undefined) continue;
    const feed = s.feedOfSlug.get(slug);
    const detected = Math.min(s.served.get(slug) ?? Infinity, s.pushed.get(slug) ?? Infinity);
    if (!Number.isFinite(detected)) continue;
    // The wait for a poll is compressed ×K; what follows is measured as is.
    const latencyS = (K * (detected - t0) + (at - detected)) / 1000;
    if (feed?.hub) viaHub.push(latencyS);
    else {
      polledAll.push(latencyS);
      if (feed && feed.gapS <= 900) polledFast.push(latencyS);
    }
  }
  const polls = s.feeds.reduce((n, x) => n + Math.max(0, s.hits.get(x.path) ?? 0), 0);
  const d = polls / s.feeds.length / s.simulatedH;
  const e = 3_600 / 900;
  out(`latency: published ${s.appeared.size} (on-topic ${onTopic}), alerted ${alerted.size}; hub subscriptions ${s.hubSubs}; ${polls} feed requests after the warm-up over ${f(s.simulatedH, 2)} simulated h`);
  out(`latency: polled feeds ≥4/h: n=${polledFast.length} p50_s=${f(quantile(polledFast, 0.5))} p95_s=${f(quantile(polledFast, 0.95))}; all polled feeds: n=${polledAll.length} p50_s=${f(quantile(polledAll, 0.5))} p95_s=${f(quantile(polledAll, 0.95))}; hub feeds: n=${viaHub.length} p50_s=${f(quantile(viaHub, 0.5), 1)} p95_s=${f(quantile(viaHub, 0.95), 1)}`);
  out(`latency: alert_p50_s=${f(quantile(polledFast, 0.5))} alert_p95_s=${f(quantile(polledFast, 0.95))} websub_alert_p95_s=${f(quantile(viaHub, 0.95), 1)} polls_per_feed_hour=${f(d, 2)} fixed_polls_per_feed_hour=${f(e, 2)}`);
}

main().catch((err) => {
  out(`latency: failed: ${(err as Error).stack ?? err}`);
  process.exitCode = 1;
});
