// Main-thread CPU of one article, stage by stage (issue 15: the main thread's cost per article). The article path
// of pipeline/article.ts without BullMQ, over the bench:e2e pages served by a child process (so the site's CPU is
// not counted), four articles at a time, run five times with one more stage each:
//   fetch (guarded client + decode) → + host gate (two Redis script calls) → + extraction hand-off (the pool's
//   task and result messages; the extraction itself runs in its threads and is not counted) → + classify →
//   + store (getItem + saveArticle on SQLite).
// The clock is the main thread's own CPU time (utime + stime of /proc/self/task/<pid>), not wall time; a stage's
// figure is its pass minus the pass before, so expect ±0.1 ms of noise on a shared VM.
// Usage: node dist/bench/article-path.js [--articles 1500] [--redis URL]
// Last line: `article_path: fetch_ms=<a> host_gate_ms=<b> extract_handoff_ms=<c> classify_ms=<d> store_ms=<e> main_total_ms=<f>`
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { generateCorpus } from './lib/corpus.js';
import { startNewsSite } from './lib/news-site.js';
import { dropRedisPrefix } from './lib/redis-prefix.js';
import { threadCpuS } from './lib/thread-cpu.js';
import { createFetcher } from '../src/fetch/client.js';
import { createHostGate } from '../src/queue/host-gate.js';
import { decodeHtmlPage } from '../src/charset/decode.js';
import { createExtractor } from '../src/extract/pool.js';
import { classify } from '../src/classify/classify.js';
import { loadTopics } from '../src/classify/load.js';
import { openDb } from '../src/store/db.js';
import { upsertFeeds } from '../src/store/feeds.js';
import { getItem, recordItems } from '../src/store/items.js';
import { saveArticle } from '../src/store/articles.js';
import { ROOT } from '../src/paths.js';
import type { Article } from '../src/model.js';

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '1500' },
    redis: { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    serve: { type: 'string' },
  },
});
const N = Number(values.articles);
const STAGES = ['fetch', 'host_gate', 'extract_handoff', 'classify', 'store'] as const;
type Stage = (typeof STAGES)[number];

/** This (main) thread's CPU time, ms, in 10 ms clock ticks. */
const mainCpuMs = (): number => threadCpuS(process.pid, process.pid) * 1000;

async function serve(n: number): Promise<void> {
  const corpus = generateCorpus({ articles: n, feeds: 1, seed: 1 });
  const site = await startNewsSite({ articles: corpus.articles, feeds: [] });
  process.stdout.write(`${site.port}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void site.close().then(() => process.exit(0)));
}

async function main(): Promise<void> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', String(N)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
    child.once('exit', (code) => reject(new Error(`news site exited (${code})`)));
  });
  const corpus = generateCorpus({ articles: N, feeds: 1, seed: 1 });
  const urls = corpus.articles.map((a) => `http://127.0.0.1:${port}/news/${a.slug}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ww-article-path-'));
  const prefix = `bench-path-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(values.redis!, { maxRetriesPerRequest: null });
  const plain = createFetcher({ allowPrivateNetworks: true, allowedPorts: [port] });
  const gated = createFetcher({ allowPrivateNetworks: true, allowedPorts: [port], hostGate: createHostGate(redis, { prefix, maxConcurrent: 64, minGapMs: 0 }) });
  const extractor = createExtractor({ threads: 2 });
  const topicsFile = path.join(ROOT, 'config', 'topics.yml');
  const topics = loadTopics(fs.readFileSync(topicsFile, 'utf8'), topicsFile);
  const store = await openDb({ dataDir: dir });
  const now = new Date().toISOString();
  await upsertFeeds(store.db, [{ id: 'bench', url: `http://127.0.0.1:${port}/feed.xml` }], now);
  const ids = urls.map((_, i) => `item-${i}`);
  await recordItems(store.db, 'bench', urls.map((url, i) => ({ id: ids[i]!, contentHash: `h${i}`, item: { title: `t${i}`, url } })), now);

  const one = async (i: number, on: Set<Stage>): Promise<void> => {
    const res = await (on.has('host_gate') ? gated : plain).fetch({ url: urls[i]!, kind: 'page' });
    const html = decodeHtmlPage(res.body, res.contentType ?? res.headers['content-type']);
    const art: Article = on.has('extract_handoff')
      ? await extractor.extract({ html, url: res.url })
      : { url: res.url, canonicalUrl: res.url, title: corpus.articles[i]!.title, text: corpus.articles[i]!.paragraphs.join('\n\n'), via: 'readability' };
    const matches = on.has('classify') ? classify({ id: ids[i], title: art.title, text: art.text, lang: art.lang }, topics.matcher) : [];
    if (on.has('store')) {
      const item = await getItem(store.db, ids[i]!);
      await saveArticle(store.db, ids[i]!, art, item!.content_hash, matches, new Date().toISOString(), []);
    }
  };
  const pass = async (on: Set<Stage>, count: number): Promise<number> => {
    let next = 0;
    const c0 = mainCpuMs();
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (next < count) await one(next++, on);
    }));
    return (mainCpuMs() - c0) / count;
  };
  try {
    await pass(new Set(STAGES), Math.min(100, N)); // warm-up: JIT, connections, prepared statements
    const perPass: number[] = [];
    for (let k = 1; k <= STAGES.length; k++) {
      const ms = await pass(new Set(STAGES.slice(0, k)), N);
      perPass.push(ms);
      process.stdout.write(`pass ${k}: ${STAGES.slice(0, k).join(' + ')}: ${ms.toFixed(3)} ms of main-thread CPU per article\n`);
    }
    const stage = STAGES.map((s, k) => `${s}_ms=${(perPass[k]! - (k ? perPass[k - 1]! : 0)).toFixed(3)}`);
    process.stdout.write(`article_path: ${stage.join(' ')} main_total_ms=${perPass[perPass.length - 1]!.toFixed(3)}\n`);
  } finally {
    await extractor.close();
    await plain.close();
    await gated.close();
    await store.db.destroy();
    redis.disconnect();
    await dropRedisPrefix(prefix, values.redis!);
    fs.rmSync(dir, { recursive: true, force: true });
    child.stdin!.end();
  }
}

if (values.serve) {
  void serve(Number(values.serve));
} else {
  main().catch((err) => {
    process.stderr.write(`article-path: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 1;
  });
}
