// `npm run bench:pool-cpu`: the extraction pool alone (createExtractor, 2 threads, 4 pages in flight) over the
// generated pages bench:e2e serves, no network, no queue, no store. Prints the CPU of every thread of this process
// from /proc, the extraction threads apart from V8's helper threads, and the process's CPU per page.
// It measures what the pool's threads cost; compare V8 settings with node flags, e.g. (issue 15, third round):
//   node dist/bench/pool-cpu.js                                  (the pool's heap growing factor, 2.0)
//   node --heap-growing-percent=0 dist/bench/pool-cpu.js         (V8's own factor: 1.3 under a 200 MB limit)
//   node --trace-gc dist/bench/pool-cpu.js | grep -c Mark-Compact  (full collections, all isolates)
// Usage: node dist/bench/pool-cpu.js [--pages 2000] [--threads 2]. Last line:
//   pool_cpu: pages=<n> cpu_ms_per_page=<process> extraction_threads_s=<a> helper_threads_s=<b> main_s=<c> peak_rss_mb=<d>
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { createExtractor } from '../src/extract/pool.js';
import { generateCorpus } from './lib/corpus.js';
import { articleHtml } from './lib/news-site.js';
import { threadsCpuS } from './lib/thread-cpu.js';

const { values } = parseArgs({ options: { pages: { type: 'string', default: '2000' }, threads: { type: 'string', default: '2' } } });
const N = Number(values.pages);
const THREADS = Number(values.threads);

const corpus = generateCorpus({ articles: N, feeds: 10 });
const pages = corpus.articles.map((a) => ({ html: articleHtml(a, 'http://127.0.0.1:9/'), url: `http://127.0.0.1:9/news/${a.slug}` }));

const before = threadsCpuS(process.pid);
const cpu0 = process.cpuUsage();
const extractor = createExtractor({ threads: THREADS });
let next = 0;
await Promise.all(Array.from({ length: THREADS * 2 }, async () => {
  while (next < pages.length) await extractor.extract(pages[next++]!);
}));
const after = threadsCpuS(process.pid);
const use = process.cpuUsage(cpu0);
const peakMb = Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
await extractor.close();

// Threads that existed before the pool are the main thread and V8's helpers; the new ones are the pool's threads.
const grew = (tid: number) => (after.get(tid) ?? 0) - (before.get(tid) ?? 0);
const main = grew(process.pid);
const pool = [...after.keys()].filter((t) => !before.has(t)).map(grew).filter((s) => s > 0.5);
const helpers = [...before.keys()].filter((t) => t !== process.pid).map(grew);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
console.log(`pool-cpu: ${N} pages, ${THREADS} threads; extraction threads ${pool.map((s) => s.toFixed(2)).join(' ')} s; ` +
  `V8 helper threads ${helpers.filter((s) => s > 0).map((s) => s.toFixed(2)).join(' ')} s; main ${main.toFixed(2)} s`);
console.log(`pool_cpu: pages=${N} cpu_ms_per_page=${(((use.user + use.system) / 1000) / N).toFixed(2)} extraction_threads_s=${sum(pool).toFixed(2)} ` +
  `helper_threads_s=${sum(helpers).toFixed(2)} main_s=${main.toFixed(2)} peak_rss_mb=${peakMb.toFixed(0)}`);
