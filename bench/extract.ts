// `npm run bench:extract`: extraction quality (the benchmark's F1 per split) and speed of wirewatch's extractor
// (decodeHtmlPage + createExtractor, 2 worker threads) against a naive single-threaded jsdom + Readability loop.
// Options: --data DIR (default ../shared/data/extraction-benchmark), --limit N (pages per split), --threads N,
// --dump FILE (per-page scores as JSON, for tuning on the dev split), --rounds N (default 2).
// The machine is shared, so load comes and goes: the two extractors run in alternating rounds and each reports its
// best round (F1 is the same every round).
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { decodeHtmlPage } from '../src/charset/decode.js';
import { createExtractor } from '../src/extract/pool.js';
import { compiled } from '../src/paths.js';
import { loadPages, argValue, defaultDataDir, percentile, type BenchPage } from './extract-data.js';
import { scorePage, summarise, type PageScore } from './extract-metric.js';

const argv = process.argv.slice(2);
const dataDir = argValue(argv, '--data') ?? defaultDataDir();
const limit = Number(argValue(argv, '--limit') ?? Infinity);
const threads = Number(argValue(argv, '--threads') ?? 2);
const dump = argValue(argv, '--dump');
const rounds = Math.max(1, Number(argValue(argv, '--rounds') ?? 2));
const PAGE_TIMEOUT_MS = 20_000;

const pages = loadPages(dataDir, limit);

interface NaiveResult {
  pages_per_s: number;
  ms: number[];
  texts: Record<string, string>;
  peak_rss_mb: number;
}

async function runNaive(): Promise<NaiveResult> {
  const args = [compiled('bench/extract-naive.ts'), '--data', dataDir];
  if (Number.isFinite(limit)) args.push('--limit', String(limit));
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 512 * 1024 * 1024, timeout: 10 * 60_000 });
  return JSON.parse(stdout) as NaiveResult;
}

interface OursResult {
  texts: Record<string, string>;
  ms: number[];
  pagesPerS: number;
  errors: string[];
}

async function runOurs(extractor: ReturnType<typeof createExtractor>): Promise<OursResult> {
  const texts: Record<string, string> = {};
  const ms: number[] = [];
  const errors: string[] = [];
  const t0 = performance.now();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < pages.length) {
      const page = pages[next++];
      const start = performance.now();
      try {
        const article = await extractor.extract({ html: decode(page), url: page.url });
        texts[page.id] = article.text;
      } catch (err) {
        texts[page.id] = '';
        errors.push(`${page.id}: ${(err as Error).message}`);
      }
      ms.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: threads }, lane));
  return { texts, ms, pagesPerS: pages.length / ((performance.now() - t0) / 1000), errors };
}

function decode(page: BenchPage): string {
  return decodeHtmlPage(page.bytes);
}

function splitScores(texts: Record<string, string>): Record<'dev' | 'test' | 'all', ReturnType<typeof summarise>> & { pages: Record<string, PageScore> } {
  const per: Record<string, PageScore> = {};
  for (const p of pages) per[p.id] = scorePage(texts[p.id] ?? '', p.truth);
  const of = (split?: 'dev' | 'test') => summarise(pages.filter((p) => !split || p.split === split).map((p) => per[p.id]));
  return { dev: of('dev'), test: of('test'), all: of(), pages: per };
}

const fmt = (x: number, d = 3): string => x.toFixed(d);

const extractor = createExtractor({ threads, timeoutMs: PAGE_TIMEOUT_MS });
let peak = process.memoryUsage.rss();
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 25);
let ours: OursResult | undefined;
let naive: NaiveResult | undefined;
try {
  // Warm-up: workers load jsdom once; not part of the timed runs.
  await Promise.all(pages.slice(0, threads).map((p) => extractor.extract({ html: decode(p), url: p.url })));
  for (let r = 0; r < rounds; r++) {
    const a = await runOurs(extractor);
    if (!ours || a.pagesPerS > ours.pagesPerS) ours = a;
    const b = await runNaive();
    if (!naive || b.pages_per_s > naive.pages_per_s) naive = b;
    console.log(`round ${r + 1}: wirewatch ${a.pagesPerS.toFixed(2)} pages/s, naive ${b.pages_per_s.toFixed(2)} pages/s`);
  }
} finally {
  clearInterval(sampler);
  await extractor.close();
}
if (!ours || !naive) throw new Error('bench: no rounds ran');
// Our process only: the naive loop runs in a child process with its own RSS.
const peakRssMb = Math.max(peak, process.resourceUsage().maxRSS * 1024) / 2 ** 20;
const o = splitScores(ours.texts);
const n = splitScores(naive.texts);

console.log(`extraction benchmark: ${pages.length} pages from ${dataDir}`);
console.log('| extractor | F1 dev | F1 test | F1 all | P all | R all | ms/page median | ms/page p95 | pages/s | peak RSS MB |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
console.log(`| wirewatch (${threads} threads) | ${fmt(o.dev.f1)} | ${fmt(o.test.f1)} | ${fmt(o.all.f1)} | ${fmt(o.all.precision)} | ${fmt(o.all.recall)} | ${fmt(percentile(ours.ms, 50), 1)} | ${fmt(percentile(ours.ms, 95), 1)} | ${fmt(ours.pagesPerS, 2)} | ${fmt(peakRssMb, 0)} |`);
console.log(`| naive (1 thread, textContent) | ${fmt(n.dev.f1)} | ${fmt(n.test.f1)} | ${fmt(n.all.f1)} | ${fmt(n.all.precision)} | ${fmt(n.all.recall)} | ${fmt(percentile(naive.ms, 50), 1)} | ${fmt(percentile(naive.ms, 95), 1)} | ${fmt(naive.pages_per_s, 2)} | ${fmt(naive.peak_rss_mb, 0)} |`);
console.log(`page errors: ${ours.errors.length}${ours.errors.length ? '\n  ' + ours.errors.join('\n  ') : ''}`);
console.log(`speed-up over naive: ${fmt(ours.pagesPerS / naive.pages_per_s, 2)}×`);
if (dump) {
  writeFileSync(dump, JSON.stringify(pages.map((p) => ({ id: p.id, split: p.split, ours: o.pages[p.id], naive: n.pages[p.id], oursLen: ours.texts[p.id]?.length, truthLen: p.truth.length })), null, 1));
}
console.log(`extract: f1_test=${fmt(o.test.f1)} pages_per_s=${fmt(ours.pagesPerS, 2)} naive_pages_per_s=${fmt(naive.pages_per_s, 2)} peak_rss_mb=${fmt(peakRssMb, 0)}`);
