// End-to-end load benchmark: a local news site (N generated articles across F feeds on 127.0.0.1), the whole
// pipeline as a user runs it (`wirewatch run --once` as a child process: poll → record → queue → fetch → extract in
// worker threads → classify → store), then a bare single-process loop (fetch + extractArticle + classify, one page
// at a time, no queue, no store) over the same pages for comparison. Prints a table and, last, one line:
//   e2e: articles_per_s=<x> ratio_vs_bare=<y> p95_latency_ms=<z> peak_rss_mb=<m>
// Latency is publish → stored: from the moment a feed first listed the article (its pubDate is stamped then) to the
// article's stored_at. The news site is ONE host, so the bench raises fetch.per_host_concurrency and sets
// per_host_min_gap_ms: 0 (production politeness would otherwise be the whole story).
// Usage: npm run bench:e2e -- [--articles 2000] [--feeds 200] [--bare N] [--redis URL] [--keep]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { startNewsSite } from './lib/news-site.js';
import { generateCorpus } from './lib/corpus.js';
import { extractArticle } from '../src/extract/extract.js';
import { classify } from '../src/classify/classify.js';
import { loadTopics } from '../src/classify/load.js';
import { ROOT } from '../src/paths.js';

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '2000' },
    feeds: { type: 'string', default: '200' },
    bare: { type: 'string' },
    redis: { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    keep: { type: 'boolean', default: false },
    'article-concurrency': { type: 'string' },
    'extract-threads': { type: 'string' },
  },
});
const N = Number(values.articles);
const F = Math.min(Number(values.feeds), N);
const BARE = Math.min(N, Number(values.bare ?? N));
const CLI = path.join(ROOT, 'dist', 'src', 'cli.js');
const topicsFile = path.join(ROOT, 'config', 'topics.yml');

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

async function dropPrefix(url: string, prefix: string): Promise<void> {
  const r = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await r.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}

async function main(): Promise<void> {
  const corpus = generateCorpus({ articles: N, feeds: F });
  const site = await startNewsSite({ articles: corpus.articles, feeds: corpus.feeds });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ww-bench-e2e-'));
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
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
      'http: { enabled: false }',
    ].join('\n') + '\n',
  );
  const out = (s: string) => process.stdout.write(`${s}\n`);
  out(`e2e: ${N} articles in ${F} feeds on ${site.url}; redis ${values.redis} prefix ${prefix}; data ${dir}`);
  out('e2e: bench config: fetch.per_host_concurrency=64, per_host_min_gap_ms=0 (single-host news site); worker settings: defaults' + (workers.length ? ` except ${workers.join(', ')}` : ''));

  // 1. The pipeline, as a child process.
  const t0 = Date.now();
  const child = spawn(process.execPath, [CLI, 'run', '--once', '--config', path.join(dir, 'wirewatch.yml'), '--feeds', path.join(dir, 'feeds.yml'),
    '--data-dir', path.join(dir, 'data'), '--allow-private-networks', '--log-level', process.env.BENCH_LOG_LEVEL ?? 'warn'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: '1' } });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-20_000)));
  // BENCH_LOG_LEVEL=info BENCH_LOG_FILE=/tmp/e2e.log keeps the child's log lines for profiling.
  if (process.env.BENCH_LOG_FILE) child.stderr.pipe(fs.createWriteStream(process.env.BENCH_LOG_FILE));
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, vmHwmMb(child.pid!) ?? 0)), 100);
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  clearInterval(sampler);
  const wallS = (Date.now() - t0) / 1000;
  if (code !== 0) {
    out(`e2e: wirewatch run --once exited with ${code}\n${stderr.slice(-4000)}`);
  }

  const db = new Database(path.join(dir, 'data', 'wirewatch.db'), { readonly: true });
  const rows = db.prepare('SELECT a.url, a.stored_at, i.discovered_at, a.via FROM articles a JOIN items i ON i.id = a.item_id').all() as { url: string; stored_at: string; discovered_at: string; via: string }[];
  const failed = (db.prepare("SELECT count(*) n FROM items WHERE state != 'stored'").get() as { n: number }).n;
  const matched = (db.prepare('SELECT count(DISTINCT item_id) n FROM matches').get() as { n: number }).n;
  db.close();
  const latencies: number[] = [];
  let firstDiscovered = Infinity;
  let lastStored = 0;
  for (const r of rows) {
    const slug = /\/news\/([^/?#]+)/.exec(r.url)?.[1] ?? '';
    const listed = corpus.firstListed.get(slug);
    const stored = Date.parse(r.stored_at);
    if (listed !== undefined) latencies.push(stored - listed);
    firstDiscovered = Math.min(firstDiscovered, Date.parse(r.discovered_at));
    lastStored = Math.max(lastStored, stored);
  }
  const pipelineS = (lastStored - Math.min(firstDiscovered, ...[...corpus.firstListed.values()])) / 1000;
  const perS = rows.length / pipelineS;
  const viaPage = rows.filter((r) => r.via !== 'feed').length;

  // 2. The bare loop, in this process: the same pages, one at a time.
  const topics = loadTopics(fs.readFileSync(topicsFile, 'utf8'), topicsFile);
  const b0 = Date.now();
  let bareMatched = 0;
  for (const a of corpus.articles.slice(0, BARE)) {
    const url = `${site.url}/news/${a.slug}`;
    const html = await (await fetch(url)).text();
    const art = extractArticle(html, url);
    if (classify({ title: art.title, text: art.text, lang: art.lang }, topics.matcher).length) bareMatched++;
  }
  const bareS = (Date.now() - b0) / 1000;
  const barePerS = BARE / bareS;
  const benchRss = vmHwmMb(process.pid) ?? 0;
  await site.close();
  await dropPrefix(values.redis!, prefix);
  if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });

  const p50 = quantile(latencies, 0.5);
  const p95 = quantile(latencies, 0.95);
  out('');
  out('| run | articles | time s | articles/s | p50 ms | p95 ms | peak RSS MB |');
  out('|---|---:|---:|---:|---:|---:|---:|');
  out(`| pipeline (run --once, 1 process) | ${rows.length}/${N} | ${pipelineS.toFixed(1)} (wall ${wallS.toFixed(1)}) | ${perS.toFixed(1)} | ${p50.toFixed(0)} | ${p95.toFixed(0)} | ${peak.toFixed(0)} |`);
  out(`| bare loop (fetch+extract+classify, sequential, in-process) | ${BARE} | ${bareS.toFixed(1)} | ${barePerS.toFixed(1)} | – | – | ${benchRss.toFixed(0)} (bench process) |`);
  out(`e2e: not stored: ${failed}; extracted from page: ${viaPage}/${rows.length}; matched a topic: pipeline ${matched}, bare ${bareMatched}/${BARE}, generated on-topic ${corpus.onTopic.size}`);
  out(`e2e: articles_per_s=${perS.toFixed(1)} ratio_vs_bare=${(perS / barePerS).toFixed(2)} p95_latency_ms=${p95.toFixed(0)} peak_rss_mb=${peak.toFixed(0)}`);
  if (code !== 0 || rows.length !== N) process.exitCode = 1;
}

main().catch((err) => {
  process.stderr.write(`e2e: ${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
