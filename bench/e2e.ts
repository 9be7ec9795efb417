// End-to-end load benchmark on loopback. A local news site (generated articles across F feeds), the whole pipeline
// as a user runs it, as child processes of the compiled CLI, with a private data dir and a unique Redis prefix:
//   1. burst  — `wirewatch run --once` over N articles listed at once: throughput (articles/s) of poll → record →
//               queue → fetch → extract (worker threads) → classify → store;
//   2. steady — `wirewatch run` (scheduler + all workers, polls every 30 s) while the site publishes articles at a
//               rate below capacity: publish → stored latency of a running service;
//   3. bare   — fetch + extractArticle + classify, one page at a time, in this process (no queue, no store) over the
//               same pages: the baseline for the ratio.
// Latency is publish → stored: from the moment a feed first lists the article (the site stamps its pubDate then) to
// the article's stored_at. Peak RSS is VmHWM of each wirewatch process (worker threads included).
// The news site is ONE host, so the bench raises fetch.per_host_concurrency and sets per_host_min_gap_ms: 0 (else
// production politeness, 2 requests and 1 s per host, is the whole story). Worker settings are the defaults.
// Last line: e2e: articles_per_s=<burst> ratio_vs_bare=<burst/bare> p95_latency_ms=<steady> peak_rss_mb=<max>
// Usage: npm run bench:e2e -- [--articles 2000] [--feeds 200] [--steady-articles 600] [--steady-rate 10] [--bare N]
//        [--redis URL] [--keep]      env: BENCH_LOG_LEVEL, BENCH_LOG_FILE, BENCH_NODE_ARGS (e.g. --cpu-prof)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { dropRedisPrefix } from './lib/redis-prefix.js';
import { startNewsSite, type SiteFeed } from './lib/news-site.js';
import { generateCorpus, type Corpus } from './lib/corpus.js';
import { extractArticle } from '../src/extract/extract.js';
import { classify } from '../src/classify/classify.js';
import { loadTopics } from '../src/classify/load.js';
import { ROOT } from '../src/paths.js';

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '2000' },
    feeds: { type: 'string', default: '200' },
    'steady-articles': { type: 'string', default: '600' },
    'steady-rate': { type: 'string', default: '10' },
    bare: { type: 'string' },
    redis: { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    keep: { type: 'boolean', default: false },
    'article-concurrency': { type: 'string' },
    'extract-threads': { type: 'string' },
  },
});
const N = Number(values.articles);
const F = Math.min(Number(values.feeds), N);
const NS = Number(values['steady-articles']);
const RATE = Number(values['steady-rate']);
const BARE = Math.min(N, Number(values.bare ?? N));
const CLI = path.join(ROOT, 'dist', 'src', 'cli.js');
const topicsFile = path.join(ROOT, 'config', 'topics.yml');
const out = (s: string) => process.stdout.write(`${s}\n`);

function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

function vmHwmMb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

interface PhaseResult {
  stored: number;
  notStored: number;
  seconds: number;
  wallS: number;
  perS: number;
  p50: number;
  p95: number;
  rssMb: number;
  code: number | null;
}

/** Run one pipeline phase against `corpus` served by a fresh site; `release` drives the site while it runs. */
async function phase(name: string, corpus: Corpus, cmd: string[], poll: string[], release?: (setFeeds: (f: SiteFeed[]) => void, done: () => boolean) => Promise<void>): Promise<PhaseResult> {
  const site = await startNewsSite({ articles: corpus.articles, feeds: release ? corpus.feeds.map((f) => ({ ...f, slugs: [] })) : corpus.feeds });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ww-bench-${name}-`));
  const prefix = `bench-${name}-${randomUUID().slice(0, 8)}`;
  const workers = [
    values['article-concurrency'] ? `article_concurrency: ${values['article-concurrency']}` : '',
    values['extract-threads'] ? `extract_threads: ${values['extract-threads']}` : '',
  ].filter(Boolean);
  fs.writeFileSync(path.join(dir, 'feeds.yml'), corpus.feeds.map((f) => `- ${site.url}${f.path}`).join('\n') + '\n');
  fs.writeFileSync(
    path.join(dir, 'wirewatch.yml'),
    [
      `redis: { url: "${values.redis}", prefix: ${prefix}, start_private: false }`,
      `topics_file: ${topicsFile}`,
      // One host serves everything here: lift the per-host gate, or it alone sets the pace.
      `fetch: { allowed_ports: [80, 443, ${site.port}], per_host_concurrency: 64, per_host_min_gap_ms: 0 }`,
      ...(workers.length ? [`workers: { ${workers.join(', ')} }`] : []),
      ...poll,
      'http: { enabled: false }',
    ].join('\n') + '\n',
  );
  const dbFile = path.join(dir, 'data', 'wirewatch.db');
  const countStored = (): number => {
    if (!fs.existsSync(dbFile)) return 0;
    const db = new Database(dbFile, { readonly: true, timeout: 5000 });
    try {
      return (db.prepare("SELECT count(*) n FROM items WHERE state = 'stored'").get() as { n: number }).n;
    } catch {
      return 0;
    } finally {
      db.close();
    }
  };

  const t0 = Date.now();
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, CLI, ...cmd, '--config', path.join(dir, 'wirewatch.yml'), '--feeds', path.join(dir, 'feeds.yml'),
    '--data-dir', path.join(dir, 'data'), '--allow-private-networks', '--log-level', process.env.BENCH_LOG_LEVEL ?? 'warn'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: '1' } });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-20_000)));
  if (process.env.BENCH_LOG_FILE) child.stderr.pipe(fs.createWriteStream(`${process.env.BENCH_LOG_FILE}.${name}`));
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, vmHwmMb(child.pid!) ?? 0)), 100);
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  if (release) {
    await release((f) => site.setFeeds(f), () => child.exitCode !== null);
    // Everything listed: wait (bounded) until stored, then stop the service as an operator would.
    const deadline = Date.now() + 180_000;
    while (countStored() < corpus.articles.length && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 250));
    child.kill('SIGTERM');
  }
  const code = await exited;
  clearInterval(sampler);
  const wallS = (Date.now() - t0) / 1000;
  if (code !== 0) out(`e2e: ${name}: wirewatch ${cmd.join(' ')} exited with ${code}\n${stderr.slice(-4000)}`);

  const db = new Database(dbFile, { readonly: true });
  const rows = db.prepare('SELECT a.url, a.stored_at FROM articles a').all() as { url: string; stored_at: string }[];
  const notStored = (db.prepare("SELECT count(*) n FROM items WHERE state != 'stored'").get() as { n: number }).n;
  db.close();
  const latencies: number[] = [];
  let lastStored = 0;
  for (const r of rows) {
    const listed = corpus.firstListed.get(/\/news\/([^/?#]+)/.exec(r.url)?.[1] ?? '');
    const stored = Date.parse(r.stored_at);
    if (listed !== undefined) latencies.push(stored - listed);
    lastStored = Math.max(lastStored, stored);
  }
  const firstListed = Math.min(...corpus.firstListed.values());
  const seconds = (lastStored - firstListed) / 1000;
  await site.close();
  await dropRedisPrefix(prefix, values.redis!);
  if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
  else out(`e2e: ${name}: data kept in ${dir}`);
  return { stored: rows.length, notStored, seconds, wallS, perS: rows.length / seconds, p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95), rssMb: peak, code };
}

async function main(): Promise<void> {
  out(`e2e: burst ${N} articles / ${F} feeds; steady ${NS} articles at ${RATE}/s; bare ${BARE}; redis ${values.redis}; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
  out('e2e: bench config: fetch.per_host_concurrency=64, per_host_min_gap_ms=0 (the news site is a single host); worker settings: defaults' +
    (values['article-concurrency'] || values['extract-threads'] ? ' except those given on the command line' : ''));

  // 1. Burst: everything listed at once, run --once drains it.
  const burstCorpus = generateCorpus({ articles: N, feeds: F, seed: 1 });
  const burst = await phase('burst', burstCorpus, ['run', '--once'], []);

  // 2. Steady: a running service polling every 30 s while the site publishes RATE articles per second.
  const steadyCorpus = generateCorpus({ articles: NS, feeds: F, seed: 2 });
  const steady = NS > 0
    ? await phase('steady', steadyCorpus, ['run'], ['poll: { min_interval_s: 30, default_interval_s: 60, max_interval_s: 60 }'], async (setFeeds, done) => {
      const listed: SiteFeed[] = steadyCorpus.feeds.map((f) => ({ ...f, slugs: [] }));
      const started = Date.now();
      for (let i = 0; i < NS && !done(); ) {
        const due = Math.min(NS, Math.floor(((Date.now() - started) / 1000) * RATE) + 1);
        for (; i < due; i++) listed[i % F].slugs.push(steadyCorpus.articles[i].slug);
        setFeeds(listed.map((f) => ({ ...f, slugs: [...f.slugs] })));
        await new Promise((r) => setTimeout(r, 200));
      }
    })
    : undefined;

  // 3. Bare loop over the burst pages, in this process.
  const site = await startNewsSite({ articles: burstCorpus.articles, feeds: [] });
  const topics = loadTopics(fs.readFileSync(topicsFile, 'utf8'), topicsFile);
  const b0 = Date.now();
  let bareMatched = 0;
  for (const a of burstCorpus.articles.slice(0, BARE)) {
    const url = `${site.url}/news/${a.slug}`;
    const html = await (await fetch(url)).text();
    const art = extractArticle(html, url);
    if (classify({ title: art.title, text: art.text, lang: art.lang }, topics.matcher).length) bareMatched++;
  }
  const bareS = (Date.now() - b0) / 1000;
  const barePerS = BARE / bareS;
  const benchRss = vmHwmMb(process.pid) ?? 0;
  await site.close();

  const f = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '–');
  out('');
  out('| run | stored | time s | articles/s | p50 ms | p95 ms | peak RSS MB |');
  out('|---|---:|---:|---:|---:|---:|---:|');
  out(`| burst: run --once, ${N} listed at once | ${burst.stored}/${N} | ${f(burst.seconds, 1)} (wall ${f(burst.wallS, 1)}) | ${f(burst.perS, 1)} | ${f(burst.p50)} | ${f(burst.p95)} | ${f(burst.rssMb)} |`);
  if (steady) out(`| steady: run, ${NS} published at ${RATE}/s, polls every 30 s | ${steady.stored}/${NS} | ${f(steady.seconds, 1)} | ${f(steady.perS, 1)} | ${f(steady.p50)} | ${f(steady.p95)} | ${f(steady.rssMb)} |`);
  out(`| bare loop: fetch + extract + classify, sequential, in-process | ${BARE} | ${f(bareS, 1)} | ${f(barePerS, 1)} | – | – | ${f(benchRss)} (bench process) |`);
  out(`e2e: matched a topic in the bare loop: ${bareMatched}/${BARE} (generated on-topic: ${[...burstCorpus.onTopic.keys()].filter((s) => Number(s.slice(6)) < BARE).length})`);
  const p95 = steady ? steady.p95 : burst.p95;
  const rss = Math.max(burst.rssMb, steady?.rssMb ?? 0);
  out(`e2e: articles_per_s=${f(burst.perS, 1)} ratio_vs_bare=${f(burst.perS / barePerS, 2)} p95_latency_ms=${f(p95)} peak_rss_mb=${f(rss)}`);
  if (burst.code !== 0 || burst.stored !== N || (steady && steady.stored !== NS)) process.exitCode = 1;
}

main().catch((err) => {
  process.stderr.write(`e2e: ${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
